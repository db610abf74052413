/* tracer's cascade viewer.
 *
 * Draws a family's Cytoscape.js elements (tracer's `cytoscape` export) with time on the
 * x axis and the account tier on the y axis, one lane per tier. The data come from a
 * fetch (`data-graph-url`) or from an HTML-escaped `data-elements` attribute; nothing is
 * ever evaluated, and text reaches the page through `textContent` only.
 * `window.tracerGraph` is the Cytoscape instance, for dashboards and tests.
 */
(function () {
  "use strict";

  var LANES = ["central", "province", "regency", "other"];
  var LANE_NAMES = {
    central: "central",
    province: "province",
    regency: "regency / city",
    other: "other",
  };
  var MIN_WIDTH = 900; // model units spanned by the family's time range, at the least
  var ROW = 48; // vertical step between stacked nodes of one lane
  var LANE_GAP = 56;
  var MIN_GAP = 46; // horizontal room a node needs before the next one in its row
  var STEPS = [
    60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400,
    30 * 86400,
  ];

  var root = document.getElementById("tracer-embed");
  var status = document.getElementById("tracer-status");

  function nodeSize(reach) {
    // Grows with the square root of the reach, capped below a lane row's height.
    return Math.min(16 + 6 * Math.sqrt(reach || 0), 44);
  }

  function laneOf(tier) {
    return LANES.indexOf(tier) >= 0 ? tier : "other";
  }

  /* Positions for the preset layout: x from the time, y from the tier's lane; nodes of a
   * lane that would overlap are stacked in rows below each other. The time axis is
   * stretched until the drawing has about the container's aspect ratio, so a family of
   * hundreds of posts is neither a thin strip nor a tall tower. */
  function place(nodes, aspect) {
    var t0 = Infinity;
    var t1 = -Infinity;
    nodes.forEach(function (n) {
      t0 = Math.min(t0, n.data.timestamp);
      t1 = Math.max(t1, n.data.timestamp);
    });
    var span = Math.max(t1 - t0, 1);
    var byLane = {};
    nodes.forEach(function (n) {
      var lane = laneOf(n.data.tier);
      (byLane[lane] = byLane[lane] || []).push(n);
    });
    LANES.forEach(function (tier) {
      (byLane[tier] = byLane[tier] || []).sort(function (a, b) {
        return a.data.timestamp - b.data.timestamp || (a.data.id < b.data.id ? -1 : 1);
      });
    });

    function at(width) {
      var lanes = [];
      var y = 0;
      LANES.forEach(function (tier) {
        var rowEnds = [];
        byLane[tier].forEach(function (n) {
          var x = (width * (n.data.timestamp - t0)) / span;
          var row = 0;
          while (row < rowEnds.length && rowEnds[row] > x - MIN_GAP) row += 1;
          rowEnds[row] = x;
          n.position = { x: x, y: y + row * ROW };
        });
        var rows = Math.max(rowEnds.length, 1);
        lanes.push({ tier: tier, top: y - ROW / 2, bottom: y + (rows - 0.5) * ROW });
        y += rows * ROW + LANE_GAP;
      });
      return { lanes: lanes, t0: t0, span: span, width: width, height: y - LANE_GAP };
    }

    var low = MIN_WIDTH;
    var high = Math.max(MIN_WIDTH, nodes.length * MIN_GAP);
    if (at(low).width / at(low).height >= aspect) return at(low);
    for (var i = 0; i < 14 && high - low > 20; i += 1) {
      var middle = (low + high) / 2;
      var trial = at(middle);
      if (trial.width / trial.height < aspect) low = middle;
      else high = middle;
    }
    return at(high);
  }

  function duration(seconds) {
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    if (days) return days + "d" + (hours ? " " + hours + "h" : "");
    if (hours) return hours + "h" + (minutes ? " " + minutes + "m" : "");
    return minutes + "m";
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function scoresText(scores) {
    return Object.keys(scores || {})
      .sort()
      .map(function (k) {
        return k + " " + scores[k];
      })
      .join(" · ");
  }

  /* --- overlays: lane bands and labels, the time axis ------------------------------ */

  function overlays(cy, frame) {
    var lanesBox = document.getElementById("tracer-lanes");
    var axis = document.getElementById("tracer-axis");
    var bands = frame.lanes.map(function (lane) {
      var band = element("div", "lane lane-" + lane.tier);
      band.appendChild(element("span", "lane-name", LANE_NAMES[lane.tier]));
      lanesBox.appendChild(band);
      return band;
    });
    var step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i += 1) {
      if (frame.span / STEPS[i] <= 8) {
        step = STEPS[i];
        break;
      }
    }
    var ticks = [];
    for (var t = 0; t <= frame.span; t += step) {
      var tick = element("span", "tick", t === 0 ? "origin" : "+" + duration(t));
      axis.appendChild(tick);
      ticks.push({ el: tick, x: (frame.width * t) / frame.span });
    }

    function update() {
      var zoom = cy.zoom();
      var pan = cy.pan();
      frame.lanes.forEach(function (lane, i) {
        bands[i].style.top = lane.top * zoom + pan.y + "px";
        bands[i].style.height = Math.max((lane.bottom - lane.top) * zoom, 1) + "px";
      });
      ticks.forEach(function (tick) {
        tick.el.style.left = tick.x * zoom + pan.x + "px";
      });
    }
    cy.on("viewport resize", update);
    update();
  }

  /* --- tooltip ----------------------------------------------------------------------- */

  function tooltip(cy) {
    var box = document.getElementById("tracer-tooltip");

    function show(lines, at) {
      box.replaceChildren();
      lines.forEach(function (line, i) {
        box.appendChild(element(i === 0 ? "strong" : "div", line[0], line[1]));
      });
      box.hidden = false;
      var bounds = root.getBoundingClientRect();
      var left = Math.min(at.x + 14, bounds.width - box.offsetWidth - 4);
      var top = Math.min(at.y + 14, bounds.height - box.offsetHeight - 4);
      box.style.left = Math.max(left, 4) + "px";
      box.style.top = Math.max(top, 4) + "px";
    }

    function evidence(edge) {
      if (!edge) return [];
      var d = edge.data();
      return [
        ["evidence", d.modality + " match, linked by " + d.reason + ", " + d.lag + " after its parent"],
        ["scores", scoresText(d.scores)],
      ];
    }

    cy.on("mouseover", "node", function (event) {
      var d = event.target.data();
      var incoming = event.target.incomers("edge")[0];
      var lines = [
        ["account", d.account_id],
        ["time", d.local_time],
        ["tier", d.tier + (d.region ? " · " + d.region : "")],
        ["reach", d.reach + (d.reach === 1 ? " copy" : " copies") + " downstream"],
      ];
      if (incoming) lines.push(["parent", "copied from " + incoming.source().data("account_id")]);
      lines = lines.concat(evidence(incoming));
      if (d.url) lines.push(["hint", "click to open the post"]);
      show(lines, event.renderedPosition);
    });
    cy.on("mouseover", "edge", function (event) {
      var edge = event.target;
      var lines = [
        ["account", edge.source().data("account_id") + " → " + edge.target().data("account_id")],
      ].concat(evidence(edge));
      show(lines, event.renderedPosition);
    });
    function hide() {
      box.hidden = true;
    }
    cy.on("mouseout", "node, edge", hide);
    cy.on("viewport", hide);
    cy.container().addEventListener("mouseleave", hide);
  }

  /* --- legend ------------------------------------------------------------------------ */

  function legend(colors) {
    var box = document.getElementById("tracer-legend");
    var list = element("ul");
    LANES.forEach(function (tier) {
      var item = element("li");
      item.dataset.tier = tier;
      var swatch = element("span", "swatch");
      swatch.style.backgroundColor = colors[tier] || "#999";
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(LANE_NAMES[tier]));
      list.appendChild(item);
    });
    box.appendChild(list);
    box.appendChild(
      element(
        "span",
        "note",
        "size: copies downstream · arrow: post → its copy · hover for details, click to open, " +
          "scroll to zoom, drag to pan"
      )
    );
    box.hidden = false;
  }

  /* --- drawing ----------------------------------------------------------------------- */

  function pathTo(cy, id) {
    var node = cy.getElementById(id);
    var path = cy.collection();
    while (node.nonempty()) {
      path = path.union(node);
      var incoming = node.incomers("edge");
      path = path.union(incoming);
      node = incoming.sources();
    }
    return path;
  }

  function draw(graph) {
    var nodes = graph.nodes.map(function (n) {
      var data = Object.assign({}, n.data, { size: nodeSize(n.data.reach) });
      return { group: "nodes", data: data };
    });
    var edges = graph.edges.map(function (e) {
      return { group: "edges", data: Object.assign({}, e.data) };
    });
    if (root.dataset.legend === "off") root.classList.add("no-legend");
    var container = document.getElementById("tracer-graph");
    var frame = place(nodes, Math.max(container.clientWidth, 1) / Math.max(container.clientHeight, 1));
    var colors = Object.assign({}, graph.tier_colors || {});
    nodes.forEach(function (n) {
      colors[laneOf(n.data.tier)] = colors[laneOf(n.data.tier)] || n.data.color;
    });
    var cy = cytoscape({
      container: container,
      elements: nodes.concat(edges),
      layout: { name: "preset", fit: true, padding: 40 },
      minZoom: 0.05,
      maxZoom: 5,
      boxSelectionEnabled: false,
      autoungrabify: true,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(color)",
            width: "data(size)",
            height: "data(size)",
            label: "data(label)",
            "font-size": 10,
            color: "#2c3e50",
            "text-valign": "bottom",
            "text-margin-y": 3,
            "min-zoomed-font-size": 13, // account names appear once zoomed in
            "border-width": 1.5,
            "border-color": "#ffffff",
          },
        },
        {
          selector: "edge",
          style: {
            width: 1.5,
            "line-color": "#aab4be",
            "target-arrow-color": "#aab4be",
            "target-arrow-shape": "triangle",
            "arrow-scale": 0.8,
            "curve-style": "bezier",
          },
        },
        { selector: "edge.path", style: { width: 3, "line-color": "#34495e", "target-arrow-color": "#34495e" } },
        { selector: "node.highlighted", style: { "border-width": 4, "border-color": "#111111" } },
      ],
    });
    // Leave room on the left for the lane names: shrink the fitted view towards the right.
    var w = container.clientWidth;
    if (w > 300) {
      cy.zoom({ level: (cy.zoom() * (w - 90)) / w, renderedPosition: { x: w - 40, y: container.clientHeight / 2 } });
    }
    var highlight = root.dataset.highlight;
    if (highlight && cy.getElementById(highlight).nonempty()) {
      cy.getElementById(highlight).addClass("highlighted");
      pathTo(cy, highlight).addClass("path");
    }
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (typeof url === "string" && /^https?:\/\//i.test(url)) {
        window.open(url, "_blank", "noopener,noreferrer");
      }
    });
    overlays(cy, frame);
    tooltip(cy);
    if (root.dataset.legend !== "off") legend(colors);
    status.hidden = true;
    window.tracerGraph = cy;
    root.dataset.ready = "true";
  }

  function fail(message) {
    status.textContent = message;
    status.classList.add("error");
    root.dataset.ready = "error";
  }

  function load() {
    if (root.dataset.elements) {
      draw(JSON.parse(root.dataset.elements));
      return;
    }
    fetch(root.dataset.graphUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("the graph could not be loaded (HTTP " + response.status + ")");
        return response.json();
      })
      .then(draw)
      .catch(function (error) {
        fail(error.message);
      });
  }

  if (typeof cytoscape !== "function") {
    fail("the graph viewer is not installed");
  } else {
    load();
  }
})();
