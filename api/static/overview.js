/* tracer's overview page: fetches every family summary from `/families` and the accounts
 * from `/accounts` (following the cursors) and draws the sortable, searchable table, the
 * timeline and the coverage by province. Text reaches the page through `textContent`
 * only. */
(function () {
  "use strict";

  var PAGE = 500; // the API's largest page: few requests under the rate limit
  var MAX_ITEMS = 5000; // families (and accounts) enough for an overview
  var TIMELINE_ROWS = 40;
  var SVG = "http://www.w3.org/2000/svg";

  var root = document.getElementById("tracer-overview");
  var rowsBox = document.getElementById("family-rows");
  var search = document.getElementById("family-search");
  var count = document.getElementById("family-count");
  var state = { families: [], provinceOf: {}, sortKey: "last_seen", ascending: false, query: "" };

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }

  function svg(tag, attrs, text) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) {
      el.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function seconds(iso) {
    return Date.parse(iso) / 1000;
  }

  var localFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone: root.dataset.zone || "UTC",
    year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  /* An instant in the server's zone (TRACER_TIMEZONE, WIB by default), as the CLI shows it. */
  function shortTime(iso) {
    if (!iso) return "";
    var parts = {};
    localFormat.formatToParts(new Date(iso)).forEach(function (p) {
      parts[p.type] = p.value;
    });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }

  function lagText(value) {
    if (value === null || value === undefined) return "–";
    var hours = Math.floor(value / 3600);
    var minutes = Math.floor((value % 3600) / 60);
    return hours + "h" + String(minutes).padStart(2, "0") + "m";
  }

  function head(family) {
    return family.release || family.origin || {};
  }

  function sortValue(family, key) {
    if (key === "release") return (head(family).account_id || "").toLowerCase();
    if (key === "regions") return family.regions.length;
    if (key === "family_id") return Number(family.family_id.slice(1));
    var value = family[key];
    return value === null || value === undefined ? -1 : value;
  }

  function matches(family, query) {
    if (!query) return true;
    var post = head(family);
    var haystack = [family.family_id, post.account_id, post.text, family.regions.join(" ")]
      .join(" ")
      .toLowerCase();
    return query
      .split(/\s+/)
      .filter(Boolean)
      .every(function (word) {
        return haystack.indexOf(word) >= 0;
      });
  }

  /* --- table ------------------------------------------------------------------------ */

  function renderTable() {
    var key = state.sortKey;
    var direction = state.ascending ? 1 : -1;
    var shown = state.families
      .filter(function (f) {
        return matches(f, state.query);
      })
      .sort(function (a, b) {
        var x = sortValue(a, key);
        var y = sortValue(b, key);
        if (x < y) return -direction;
        if (x > y) return direction;
        return sortValue(a, "family_id") - sortValue(b, "family_id");
      });
    rowsBox.replaceChildren();
    shown.forEach(function (family) {
      var post = head(family);
      var row = element("tr");
      row.dataset.family = family.family_id;
      var idCell = element("td");
      var link = element("a", "embed-link", family.family_id);
      link.href = root.dataset.embedUrl + encodeURIComponent(family.family_id);
      idCell.appendChild(link);
      var graph = (root.dataset.root || "") + "/families/" + encodeURIComponent(family.family_id) + "/graph?format=";
      [["GEXF", "gexf"], ["CSV", "csv"]].forEach(function (pair) {
        var a = element("a", "row-export", pair[0]);
        a.href = graph + pair[1];
        a.setAttribute("download", "");
        idCell.appendChild(document.createTextNode(" "));
        idCell.appendChild(a);
      });
      row.appendChild(idCell);
      var release = element("td");
      release.appendChild(element("div", "", (post.account_id || "") + (family.release ? "" : " (no release)")));
      var text = (post.text || "").replace(/\s+/g, " ");
      release.appendChild(element("div", "text", text.length > 110 ? text.slice(0, 110) + "…" : text));
      row.appendChild(release);
      row.appendChild(element("td", "time", shortTime(family.first_seen)));
      row.appendChild(element("td", "time", shortTime(family.last_seen)));
      row.appendChild(element("td", "num", String(family.size)));
      row.appendChild(element("td", "num", String(family.accounts)));
      row.appendChild(element("td", "num", lagText(family.median_lag_seconds)));
      var regions = family.regions.slice(0, 6).join(", ");
      if (family.regions.length > 6) regions += " … +" + (family.regions.length - 6) + " more";
      row.appendChild(element("td", "regions", regions));
      rowsBox.appendChild(row);
    });
    if (!shown.length) {
      var empty = element("tr");
      var cell = element("td", "empty", state.families.length ? "No family matches." : "No families yet: ingest a corpus.");
      cell.colSpan = 8;
      empty.appendChild(cell);
      rowsBox.appendChild(empty);
    }
    count.textContent = shown.length + " of " + state.families.length + " families";
    document.querySelectorAll("table.families th").forEach(function (th) {
      if (th.dataset.key === key) th.setAttribute("aria-sort", state.ascending ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }

  document.querySelectorAll("table.families th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.parentElement.dataset.key;
      if (state.sortKey === key) state.ascending = !state.ascending;
      else {
        state.sortKey = key;
        state.ascending = key === "family_id" || key === "release";
      }
      renderTable();
    });
  });
  search.addEventListener("input", function () {
    state.query = search.value.trim().toLowerCase();
    renderTable();
  });

  /* --- timeline --------------------------------------------------------------------- */

  function renderTimeline() {
    var box = document.getElementById("timeline");
    box.replaceChildren();
    var families = state.families
      .slice()
      .sort(function (a, b) {
        return b.size - a.size || sortValue(a, "family_id") - sortValue(b, "family_id");
      })
      .slice(0, TIMELINE_ROWS);
    if (!families.length) {
      box.appendChild(element("p", "empty", "Nothing to draw yet."));
      return;
    }
    var t0 = Infinity;
    var t1 = -Infinity;
    families.forEach(function (f) {
      t0 = Math.min(t0, seconds(f.first_seen));
      t1 = Math.max(t1, seconds(f.last_seen));
    });
    var span = Math.max(t1 - t0, 1);
    var left = 70;
    var width = 1000;
    var rowHeight = 16;
    var height = families.length * rowHeight + 30;
    var x = function (t) {
      return left + ((width - left - 10) * (t - t0)) / span;
    };
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "Timeline of the largest families" });
    families.forEach(function (family, i) {
      var y = i * rowHeight + 10;
      var first = seconds(family.first_seen);
      var end = seconds(family.last_seen);
      var start = seconds(head(family).published_at || family.first_seen);
      var row = svg("g", { "data-family": family.family_id });
      row.appendChild(svg("title", {}, family.family_id + ": " + family.size + " posts, " + family.accounts + " accounts"));
      row.appendChild(svg("text", { x: 0, y: y + 4, class: "label" }, family.family_id));
      row.appendChild(svg("line", { x1: x(first), x2: Math.max(x(end), x(first) + 1), y1: y, y2: y, class: "row-line", "stroke-width": Math.min(2 + Math.sqrt(family.size), 10) }));
      if (family.median_lag_seconds !== null && family.median_lag_seconds !== undefined) {
        row.appendChild(svg("circle", { cx: x(start + family.median_lag_seconds), cy: y, r: 3.5, class: "repost" }));
      }
      row.appendChild(svg("circle", { cx: x(start), cy: y, r: 4, class: family.release ? "release" : "origin" }));
      chart.appendChild(row);
    });
    for (var k = 0; k <= 5; k += 1) {
      var t = t0 + (span * k) / 5;
      var label = new Date(t * 1000).toISOString().slice(0, 16).replace("T", " ");
      chart.appendChild(svg("text", { x: x(t), y: height - 6, class: "axis-label", "text-anchor": k === 0 ? "start" : k === 5 ? "end" : "middle" }, label));
    }
    box.appendChild(chart);
  }

  /* --- coverage --------------------------------------------------------------------- */

  function renderCoverage() {
    var box = document.getElementById("coverage");
    box.replaceChildren();
    var counts = {};
    state.families.forEach(function (family) {
      var provinces = {};
      family.regions.forEach(function (region) {
        provinces[state.provinceOf[region] || region] = true;
      });
      Object.keys(provinces).forEach(function (province) {
        counts[province] = (counts[province] || 0) + 1;
      });
    });
    var provinces = Object.keys(counts).sort(function (a, b) {
      return counts[b] - counts[a] || (a < b ? -1 : 1);
    });
    if (!provinces.length) {
      box.appendChild(element("p", "empty", "No region recorded yet."));
      return;
    }
    var most = counts[provinces[0]];
    provinces.forEach(function (province) {
      var item = element("div", "region");
      item.dataset.region = province;
      item.title = counts[province] + (counts[province] === 1 ? " family" : " families");
      item.appendChild(element("span", "name", province));
      var bar = element("span", "bar");
      bar.style.width = Math.max(4, (80 * counts[province]) / most) + "px";
      item.appendChild(bar);
      item.appendChild(element("span", "n", String(counts[province])));
      box.appendChild(item);
    });
  }

  /* --- loading ---------------------------------------------------------------------- */

  function fetchPage(base, cursor) {
    var url = base + "?limit=" + PAGE + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) throw new Error(base + " could not be loaded (HTTP " + response.status + ")");
      return response.json();
    });
  }

  function loadAll(base, items, cursor) {
    return fetchPage(base, cursor).then(function (page) {
      items = items.concat(page.items);
      if (page.next && items.length < MAX_ITEMS) return loadAll(base, items, page.next);
      return items;
    });
  }

  Promise.all([
    loadAll(root.dataset.familiesUrl, [], null),
    // Accounts say which province each region belongs to; without them, regions stay as named.
    loadAll(root.dataset.accountsUrl, [], null).catch(function () {
      return [];
    }),
  ])
    .then(function (loaded) {
      state.families = loaded[0];
      loaded[1].forEach(function (account) {
        if (account.region && account.province) state.provinceOf[account.region] = account.province;
      });
      renderTable();
      renderTimeline();
      renderCoverage();
      root.dataset.ready = "true";
    })
    .catch(function (error) {
      rowsBox.replaceChildren();
      var row = element("tr");
      var cell = element("td", "error", error.message);
      cell.colSpan = 8;
      row.appendChild(cell);
      rowsBox.appendChild(row);
      root.dataset.ready = "error";
    });
})();
