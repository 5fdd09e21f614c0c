// The page's behaviour: draw the graph (or first its overview), labels in either language, hover summary, side panel,
// search, the legend. Data from the graph is written into the page only as text (textContent, canvas labels), never
// as HTML. The parts it shares with the query page's Graph view are graph-ui.js (window.kgGraphUI), which runs before.
(function () {
  "use strict";
  var ui = window.kgGraphUI;
  var el = ui.el;
  var section = ui.section;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = data.details;
  var terms = data.terms;
  var lang = data.lang;
  var overview = data.overview && data.overview.nodes ? data.overview : null;
  var view = overview ? "overview" : "whole";
  var edgeLabels = !data.large;
  var byId = {};
  function indexNodes() {
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    data.edges.forEach(function (e, i) { if (e.id === undefined) e.id = "e" + i; });
  }
  indexNodes();
  // A page that opens on its overview holds the rest of the graph apart, read only when the reader asks for more.
  function readWhole() {
    if (!data.partial) return;
    var whole = JSON.parse(document.getElementById("kg-whole").textContent);
    data.nodes = whole.nodes;
    data.edges = whole.edges;
    Object.keys(whole.details).forEach(function (id) { details[id] = whole.details[id]; });
    data.partial = false;
    indexNodes();
    index = null;
  }
  // The overview's links are faint, so that the labels read first; a node's links darken on hover and selection.
  var FAINT = { color: "#d3d9de", highlight: "#3b4a5a", hover: "#3b4a5a" };
  var made = {};  // the overview's own nodes (row headings, folds) by id
  var opened = {};  // the folds open now
  var nodes = new vis.DataSet(overview ? overviewNodes() : data.nodes);
  var edges = new vis.DataSet(overview ? edgesAmong(nodes.getIds()) : data.edges);
  var container = document.getElementById("kg-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var tooltip = document.getElementById("kg-tooltip");
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var status = document.getElementById("kg-search-status");

  // The first complete draw is noted (window.__kgPainted, ms from navigation); the page is ready once drawn and
  // wholly read: the rest of the graph comes after the scripts, so that the overview paints before it is read.
  function markReady() {
    window.__kgPainted = window.__kgPainted || performance.now();
    whenRead(function () {
      window.__kgReady = true;
      document.body.setAttribute("data-ready", "true");
    });
  }
  function whenRead(go) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  }
  if (view === "whole" && !data.large && nodes.length > 0) {
    network.once("stabilizationIterationsDone", function () { network.once("afterDrawing", markReady); });
  } else {
    network.once("afterDrawing", function () { legible(); markReady(); });
  }

  // On a narrow screen the whole overview would be drawn too small to read: it starts at a readable scale instead,
  // its left part (the rows' names and the first models) in view, the rest a drag away.
  var LEGIBLE = 0.7;
  function legible() {
    if (view !== "overview" || network.getScale() >= LEGIBLE) return;
    var places = network.getPositions();
    var xs = Object.keys(places).map(function (id) { return places[id].x; });
    var ys = Object.keys(places).map(function (id) { return places[id].y; });
    var width = container.clientWidth / LEGIBLE, height = container.clientHeight / LEGIBLE;
    var top = Math.min.apply(null, ys), bottom = Math.max.apply(null, ys);
    var y = bottom - top + 80 < height ? (top + bottom) / 2 : top - 40 + height / 2;
    network.moveTo({ position: { x: Math.min.apply(null, xs) - 80 + width / 2, y: y }, scale: LEGIBLE });
  }

  // --- The overview: models, their dimensions, folds that open on demand ------------------------------------------
  function words() { return data.words[lang] || data.words.en; }
  function madeLabel(n) { return (zh() ? n.label_zh : n.label_en) + (n.kind === "fold" && opened[n.id] ? " ▾" : ""); }
  function overviewNodes() {
    return overview.nodes.map(function (spot) {
      if (spot.kind) {
        made[spot.id] = spot;
        return Object.assign({}, spot, { label: madeLabel(spot) });
      }
      return Object.assign({}, byId[spot.id], spot, { physics: false });
    });
  }
  function edgesAmong(ids) {
    var shown = {};
    ids.forEach(function (id) { shown[id] = true; });
    return data.edges.filter(function (e) { return shown[e.from] && shown[e.to]; }).map(function (e) {
      return Object.assign({}, e, { color: FAINT, label: undefined });
    });
  }
  function showEdgesAmongShown() {
    var want = edgesAmong(nodes.getIds());
    var keep = {};
    want.forEach(function (e) { keep[e.id] = true; });
    edges.remove(edges.getIds().filter(function (id) { return !keep[id]; }));
    edges.update(want);
  }
  function toggleFold(id) {
    readWhole();
    var members = (overview.folds[id] || []);
    if (opened[id]) {
      delete opened[id];
      nodes.remove(members.map(function (m) { return m[0]; }).filter(function (m) { return !inRows(m); }));
    } else {
      Object.keys(opened).forEach(function (other) { toggleFold(other); });  // one fold open at a time
      opened[id] = true;
      nodes.update(members.filter(function (m) { return !inRows(m[0]); }).map(function (m) {
        return Object.assign({}, byId[m[0]], { x: m[1], y: m[2], size: m[3], physics: false, label: nodeLabel(m[0]) });
      }));
    }
    nodes.update({ id: id, label: madeLabel(made[id]) });
    showEdgesAmongShown();
    syncLegend();
    network.fit({ nodes: opened[id] ? [id].concat(members.map(function (m) { return m[0]; })) : nodes.getIds(),
                  animation: false });
  }
  var rowIds = {};
  if (overview) overview.nodes.forEach(function (n) { rowIds[n.id] = true; });
  function inRows(id) { return rowIds[id] === true; }
  function showView(next) {
    if (!overview) return;
    readWhole();
    view = next;
    opened = {};
    nodes.clear();
    edges.clear();
    if (view === "overview") {
      nodes.add(overviewNodes());
      edges.add(edgesAmong(nodes.getIds()));
    } else {
      nodes.add(data.nodes.map(function (n) { return Object.assign({}, n, { label: nodeLabel(n.id) }); }));
      edges.add(data.edges.map(function (e) { return edgeLabels ? Object.assign({}, e, { label: termLabel(e.predicate) }) : e; }));
    }
    network.fit({ animation: false });
    legible();
    syncViewButtons();
    syncLegend();
  }
  function syncViewButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("#kg-view button"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === view));
    });
    var hint = document.getElementById("kg-hint");
    if (hint) hint.hidden = view !== "overview";
  }
  Array.prototype.forEach.call(document.querySelectorAll("#kg-view button"), function (b) {
    b.addEventListener("click", function () { whenRead(function () { showView(b.getAttribute("data-view")); }); });
  });

  // --- The legend: every class drawn, its colour and shape, in the page's language --------------------------------
  // A node's page lists its legend under the drawing (kg/serve/panels.py): none is laid over the drawing there.
  var legend = document.getElementById("kg-legend");
  if (!legend && data.legend && !document.getElementById("kg-node-legend")) {
    legend = el("aside", null, "kg-legend");
    legend.id = "kg-legend";
    container.parentNode.appendChild(legend);
  }
  function syncLegend() {
    if (!legend || !data.legend) return;
    var drawn = {};
    nodes.forEach(function (n) { var d = details[n.id]; if (d) drawn[d["class"] || ""] = (drawn[d["class"] || ""] || 0) + 1; });
    var list = el("ul");
    data.legend.forEach(function (style) {
      if (!drawn[style.iri]) return;
      var li = el("li");
      li.setAttribute("data-class", style.iri);
      li.setAttribute("data-colour", style.colour);
      li.setAttribute("data-shape", style.shape);
      var swatch = el("span", null, "swatch shape-" + style.shape);
      swatch.style.setProperty("--colour", style.colour);
      li.appendChild(swatch);
      li.appendChild(el("span", zh() ? style.name_zh : style.name_en));
      li.appendChild(el("span", " " + drawn[style.iri], "count"));
      list.appendChild(li);
    });
    legend.setAttribute("aria-label", words().legend);
    legend.replaceChildren(el("h2", words().classes), list);
  }

  function zh() { return lang === "zh-Hans"; }
  function nodeLabel(id) {
    var d = details[id];
    if (!d) return made[id] ? madeLabel(made[id]) : String(id);
    return (zh() ? d.label_zh : d.label_en) || d.label_en || d.curie || d.iri;
  }
  function termLabel(iri) {
    var t = terms[iri];
    if (t) return zh() ? t[1] : t[0];
    return ui.localName(iri);
  }

  // --- Labels in either language -----------------------------------------------------------------------------------
  // The page's own words: an element's text (data-w), or one of its attributes (data-w-placeholder, data-w-aria-label).
  function applyWords() {
    var w = words();
    Array.prototype.forEach.call(document.querySelectorAll("[data-w]"), function (e) {
      var text = w[e.getAttribute("data-w")];
      if (typeof text === "string") e.textContent = text;
    });
    ["placeholder", "aria-label", "title"].forEach(function (attr) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-w-" + attr + "]"), function (e) {
        var text = w[e.getAttribute("data-w-" + attr)];
        if (typeof text === "string") e.setAttribute(attr, text);
      });
    });
    if (data.title === null) document.title = w.title;
  }
  function setLang(next) {
    lang = next === "zh-Hans" ? "zh-Hans" : "en";
    document.documentElement.lang = lang;
    document.body.className = zh() ? "lang-zh" : "lang-en";
    applyWords();
    syncLegend();
    nodes.update(nodes.getIds().map(function (id) {
      return { id: id, label: made[id] ? madeLabel(made[id]) : nodeLabel(id) };
    }));
    if (edgeLabels && view === "whole") {
      edges.update(edges.get().map(function (e) { return { id: e.id, label: termLabel(e.predicate) }; }));
    }
    Array.prototype.forEach.call(document.querySelectorAll("#kg-lang button"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-lang") === lang));
    });
    if (!panel.hidden && panel.getAttribute("data-node")) openPanel(panel.getAttribute("data-node"));
  }
  Array.prototype.forEach.call(document.querySelectorAll("#kg-lang button"), function (b) {
    b.addEventListener("click", function () { setLang(b.getAttribute("data-lang")); });
  });

  // --- Hover summary -------------------------------------------------------------------------------------------------
  // A node's name, its name in the other language, and its class: the head of both the hover summary and the panel.
  function nameBlock(id, d, titleTag, classCss) {
    var box = document.createDocumentFragment();
    box.appendChild(el(titleTag, nodeLabel(id)));
    var other = zh() ? d.label_en : d.label_zh;
    if (other && other !== nodeLabel(id)) box.appendChild(el("div", other));
    var cls = zh() ? d.class_zh : d.class_en;
    if (cls) box.appendChild(el("div", cls, classCss));
    return box;
  }
  function summary(id) {
    var d = details[id] || {};
    var box = nameBlock(id, d, "strong", "class");
    var def = (zh() ? d.definition_zh : d.definition_en) || d.definition_en || "";
    if (def) box.appendChild(el("div", def.length > 180 ? def.slice(0, 177) + "…" : def));
    return box;
  }
  ui.hoverSummary(network, tooltip, summary);

  // --- Side panel ----------------------------------------------------------------------------------------------------
  function linkButton(id) {
    return ui.linkButton(nodeLabel(id), function () { focusNode(id); });
  }
  function linkItems(id, outgoing) {
    return network.getConnectedEdges(id).map(function (eid) { return edges.get(eid); }).filter(function (e) {
      return e && (outgoing ? e.from === id : e.to === id);
    }).map(function (e) {
      return ui.linkItem(termLabel(e.predicate), outgoing, linkButton(outgoing ? e.to : e.from));
    });
  }
  function openPanel(id) {
    readWhole();  // the panel links to the node's neighbours, wherever they are
    var d = details[id];
    if (!d) return;
    var body = nameBlock(id, d, "h2", "prop");
    body.appendChild(el("div", d.iri, "iri"));
    var def = zh() ? d.definition_zh || d.definition_en : d.definition_en || d.definition_zh;
    if (def) body.appendChild(el("p", def));
    var props = d.literals.map(function (lit) { return ui.literalItem(termLabel(lit[0]), lit); });
    var notes = d.links.map(function (link) {
      var li = el("li");
      li.appendChild(el("span", termLabel(link[0]) + ": ", "prop"));
      li.appendChild(details[link[1]] ? linkButton(link[1]) : el("span", link[1], "iri"));
      return li;
    });
    [
      section(zh() ? "类型" : "Types", d.types.map(function (t) { return el("li", t, "iri"); })),
      section(zh() ? "属性" : "Properties", props),
      section(zh() ? "指向" : "Links out", linkItems(id, true)),
      section(zh() ? "来自" : "Links in", linkItems(id, false)),
      section(zh() ? "注释" : "Annotations", notes),
    ].forEach(function (part) { if (part) body.appendChild(part); });
    panelBody.replaceChildren(body);
    panel.setAttribute("data-node", id);
    panel.hidden = false;
  }
  function closePanel() { panel.hidden = true; panel.removeAttribute("data-node"); }
  document.getElementById("kg-panel-close").addEventListener("click", closePanel);
  network.on("click", function (params) {
    tooltip.hidden = true;
    var id = params.nodes.length ? params.nodes[0] : null;
    whenRead(function () {
      if (id !== null && made[id] && made[id].kind === "fold") toggleFold(id);
      else if (id !== null && details[id]) openPanel(id);
      else closePanel();
    });
  });

  // --- Search --------------------------------------------------------------------------------------------------------
  function normalise(text) { return String(text).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  var index = null;  // every node's names, normalised: made on the first search
  function searchIndex() {
    readWhole();
    index = index || Object.keys(details).sort().map(function (id) {
      var d = details[id];
      var names = [d.label_en, d.label_zh, d.curie, d.iri].concat(d.labels || []);
      return { id: id, names: names.filter(Boolean).map(normalise) };
    });
    return index;
  }
  function find(text) {
    var q = normalise(text);
    if (!q) return null;
    var index = searchIndex();
    var tests = [
      function (n) { return n === q; },
      function (n) { return n.indexOf(q) === 0; },
      function (n) { return n.indexOf(q) >= 0; },
    ];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < index.length; i++) {
        if (index[i].names.some(tests[t])) return index[i].id;
      }
    }
    return null;
  }
  function focusNode(id) {
    if (!nodes.get(id)) showView("whole");
    ui.centre(network, id);
    openPanel(id);
  }
  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    whenRead(search);
  });
  function search() {
    var id = find(document.getElementById("kg-search").value);
    status.textContent = id === null ? words().not_found : "";
    if (id !== null) focusNode(id);
  }

  syncLegend();
  syncViewButtons();

  window.kg = {
    network: network, nodes: nodes, edges: edges, find: find, focus: focusNode, setLang: setLang,
    lang: function () { return lang; }, view: function () { return view; }, showView: showView,
    toggleFold: toggleFold, overview: overview,
  };
})();
