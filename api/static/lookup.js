/* The overview's look-up box: a post id or URL → `/trace` and `/verify`, shown as where
 * the post came from (its release, the lag, the verdict) with links to its cascade, its
 * verification card and its family's adoption and exports. Text reaches the page through
 * `textContent` only. */
(function () {
  "use strict";

  var root = document.getElementById("tracer-overview");
  var form = document.getElementById("lookup");
  var box = document.getElementById("lookup-result");
  var base = root.dataset.root || "";
  var format = new Intl.DateTimeFormat("en-CA", {
    timeZone: root.dataset.zone || "UTC",
    year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
  });

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }

  function local(iso) {
    var parts = {};
    format.formatToParts(new Date(iso)).forEach(function (p) {
      parts[p.type] = p.value;
    });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" +
      parts.minute + ":" + parts.second + " " + (root.dataset.zoneLabel || "");
  }

  function lag(seconds) {
    var abs = Math.abs(seconds);
    return (seconds < 0 ? "-" : "+") + Math.floor(abs / 3600) + "h" +
      String(Math.floor((abs % 3600) / 60)).padStart(2, "0") + "m";
  }

  function fact(list, name, value) {
    list.appendChild(element("dt", null, name));
    var dd = element("dd");
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = value;
    list.appendChild(dd);
  }

  function links(pairs) {
    var span = element("span", "links");
    pairs.forEach(function (pair, i) {
      if (i) span.appendChild(document.createTextNode(" · "));
      var a = element("a", null, pair[0]);
      a.href = pair[1];
      if (pair[2]) a.id = pair[2];
      span.appendChild(a);
    });
    return span;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.detail || response.statusText);
        return body;
      });
    });
  }

  function show(trace, verdict) {
    var post = trace.post;
    var id = encodeURIComponent(post.post_id);
    var list = element("dl", "lookup-facts");
    fact(list, "post", post.post_id + " · " + post.account_id + " (" + post.tier + ") · " + local(post.published_at));
    fact(list, "verdict", verdict.verdict + ": " + verdict.reason);
    if (trace.release) {
      fact(list, "release", trace.release.post_id + " · " + trace.release.account_id + " · " + local(trace.release.published_at) +
        (verdict.lag_seconds !== null ? " (" + lag(verdict.lag_seconds) + ")" : ""));
    } else {
      fact(list, "release", "none known: no central account posted this content");
    }
    fact(list, "family", trace.family_id ? trace.family_id + " · " + trace.graph.nodes.length + " posts" : "none: no other post carries this content");
    fact(list, "path", trace.path.join(" → "));
    var flags = (verdict.flags || []).map(function (f) { return f.flag; });
    if (flags.length) fact(list, "flags", flags.join(", "));
    var more = [
      ["cascade", base + "/embed/trace?post=" + id, "lookup-embed"],
      ["verification card", base + "/verify/card?post=" + id, "lookup-card"],
      ["trace JSON", base + "/trace?post=" + id],
      ["verify JSON", base + "/verify?post=" + id]
    ];
    if (trace.release && trace.family_id) {
      more.push(["adoption", base + "/adoption?post=" + id, "lookup-adoption"]);
      more.push(["adoption CSV", base + "/adoption?format=csv&post=" + id, "lookup-adoption-csv"]);
    }
    if (trace.family_id) {
      var family = base + "/families/" + encodeURIComponent(trace.family_id) + "/graph?format=";
      more.push(["GEXF", family + "gexf"]);
      more.push(["nodes CSV", family + "csv"]);
    }
    fact(list, "open", links(more));
    box.replaceChildren(list);
    box.dataset.postId = post.post_id;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var ref = form.elements.post.value.trim();
    if (!ref) return;
    box.dataset.postId = "";
    box.replaceChildren(element("p", "muted", "Looking up…"));
    var query = "?post=" + encodeURIComponent(ref);
    Promise.all([getJSON(root.dataset.traceUrl + query), getJSON(root.dataset.verifyUrl + query)])
      .then(function (answers) {
        show(answers[0], answers[1]);
      })
      .catch(function (error) {
        box.replaceChildren(element("p", "error", error.message));
        box.dataset.postId = "";
      });
  });
})();
