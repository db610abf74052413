/* tracer's neutrality watch page: fetches `/watch` (JSON) with the page's own query and
 * draws a table that sorts on a header click and filters by province, tier and status;
 * the CSV and JSON links follow the filters. Text reaches the page through `textContent`
 * only. */
(function () {
  "use strict";

  var STATUS = {
    release: "the release itself",
    traced: "traced to a release",
    before_release: "before any release",
    own_content: "own content",
    regional: "copied from a region"
  };
  var TIERS = ["central", "province", "regency"];
  var root = document.getElementById("tracer-watch");
  var rowsBox = document.getElementById("watch-rows");
  var count = document.getElementById("watch-count");
  var errorBox = document.getElementById("watch-error");
  var filters = {
    province: document.getElementById("watch-province"),
    tier: document.getElementById("watch-tier"),
    status: document.getElementById("watch-status")
  };
  var state = { items: [], sortKey: "published_at", ascending: true };
  var params = new URLSearchParams(root.dataset.query || "");
  params.delete("format");

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }

  function lagText(value) {
    if (value === null || value === undefined) return "–";
    var sign = value < 0 ? "-" : "+";
    var abs = Math.abs(value);
    var hours = Math.floor(abs / 3600);
    var minutes = Math.floor((abs % 3600) / 60);
    return sign + hours + "h" + String(minutes).padStart(2, "0") + "m";
  }

  function sortValue(item, key) {
    if (key === "account") return (item.account_name || item.account_id).toLowerCase();
    if (key === "tier") return TIERS.indexOf(item.tier);
    if (key === "province") return item.province || "";
    if (key === "status") return item.status;
    if (key === "release") return item.release ? item.release.post_id : "";
    if (key === "lag") return item.lag_seconds === null ? -Infinity : item.lag_seconds;
    if (key === "terms") return item.terms.join(" ");
    return item.published_at;
  }

  function shown() {
    return state.items.filter(function (item) {
      return (!filters.province.value || item.province_code === filters.province.value) &&
        (!filters.tier.value || item.tier === filters.tier.value) &&
        (!filters.status.value || item.status === filters.status.value);
    });
  }

  function link(text, href) {
    var a = element("a", null, text);
    a.href = href;
    if (root.dataset.embed === "true") a.target = "_blank";
    return a;
  }

  function row(item) {
    var tr = element("tr");
    tr.dataset.postId = item.post_id;
    var when = element("td");
    when.appendChild(link(item.local_time, root.dataset.traceUrl + "?post=" + encodeURIComponent(item.post_id)));
    tr.appendChild(when);
    var who = element("td", null, item.account_name || item.account_id);
    who.title = item.account_id;
    tr.appendChild(who);
    tr.appendChild(element("td", null, item.tier));
    tr.appendChild(element("td", null, item.province || "–"));
    tr.appendChild(element("td", "verdict verdict-" + item.status, STATUS[item.status] || item.status));
    var source = element("td");
    var other = item.release || item.first_seen;
    if (other && other.post_id !== item.post_id) {
      source.appendChild(link(other.post_id, root.dataset.traceUrl + "?post=" + encodeURIComponent(other.post_id)));
      source.appendChild(element("span", "muted", " " + other.account_id));
    }
    tr.appendChild(source);
    tr.appendChild(element("td", "num", lagText(item.lag_seconds)));
    tr.appendChild(element("td", null, item.terms.join(", ")));
    return tr;
  }

  function exportQuery(format) {
    var query = new URLSearchParams(params);
    Object.keys(filters).forEach(function (key) {
      if (filters[key].value) query.set(key, filters[key].value);
      else query.delete(key);
    });
    query.set("sort", state.sortKey === "release" || state.sortKey === "terms" ? "published_at" : state.sortKey);
    query.set("order", state.ascending ? "asc" : "desc");
    query.set("format", format);
    return root.dataset.watchUrl + "?" + query.toString();
  }

  function draw() {
    var items = shown().slice();
    var key = state.sortKey;
    items.sort(function (a, b) {
      var x = sortValue(a, key);
      var y = sortValue(b, key);
      var order = x < y ? -1 : x > y ? 1 : a.published_at < b.published_at ? -1 : 1;
      return state.ascending ? order : -order;
    });
    rowsBox.textContent = "";
    if (!items.length) {
      var empty = element("td", "empty", "No post matches.");
      empty.colSpan = 8;
      rowsBox.appendChild(element("tr")).appendChild(empty);
    }
    items.forEach(function (item) {
      rowsBox.appendChild(row(item));
    });
    count.textContent = items.length + " of " + state.items.length + " posts";
    document.getElementById("watch-csv").href = exportQuery("csv");
    document.getElementById("watch-json").href = exportQuery("json");
    var embedLink = document.getElementById("watch-embed");
    if (embedLink) embedLink.href = exportQuery("html").replace("/watch?", "/embed/watch?");
    document.querySelectorAll("#watch th").forEach(function (th) {
      th.setAttribute("aria-sort", th.dataset.key === key ? (state.ascending ? "ascending" : "descending") : "none");
    });
  }

  function fillProvinces() {
    var seen = {};
    state.items.forEach(function (item) {
      if (item.province_code) seen[item.province_code] = item.province;
    });
    Object.keys(seen).sort().forEach(function (code) {
      var option = element("option", null, seen[code]);
      option.value = code;
      filters.province.appendChild(option);
    });
  }

  function fillForm() {
    var form = document.getElementById("watch-form");
    if (!form) return;
    if (params.get("from")) form.elements.from.value = params.get("from").slice(0, 10);
    if (params.get("to")) form.elements.to.value = params.get("to").slice(0, 10);
    var flags = params.getAll("flag");
    if (flags.length) {
      form.querySelectorAll("input[name=flag]").forEach(function (box) {
        box.checked = flags.indexOf(box.value) >= 0;
      });
    }
  }

  function load() {
    var query = new URLSearchParams(params);
    ["province", "tier", "status"].forEach(function (key) {
      if (query.get(key)) filters[key].dataset.initial = query.get(key);
      query.delete(key);
    });
    query.set("format", "json");
    fetch(root.dataset.watchUrl + "?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.detail || response.statusText);
          return body;
        });
      })
      .then(function (body) {
        state.items = body.items;
        var zone = document.getElementById("watch-zone");
        if (zone && body.items.length) zone.textContent = body.items[0].local_time.split(" ").pop();
        fillProvinces();
        Object.keys(filters).forEach(function (key) {
          if (filters[key].dataset.initial) filters[key].value = filters[key].dataset.initial;
        });
        draw();
      })
      .catch(function (error) {
        rowsBox.textContent = "";
        errorBox.hidden = false;
        errorBox.textContent = "The watch list could not be loaded: " + error.message;
      });
  }

  document.querySelectorAll("#watch th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.parentNode.dataset.key;
      state.ascending = state.sortKey === key ? !state.ascending : true;
      state.sortKey = key;
      draw();
    });
  });
  Object.keys(filters).forEach(function (key) {
    filters[key].addEventListener("change", draw);
  });
  fillForm();
  load();
})();
