// The page's behaviour: draw the graph, labels in either language, hover summary, side panel, search.
// Data from the graph is written into the page only as text (textContent, canvas labels), never as HTML.
// The parts it shares with the query page's Graph view are graph-ui.js (window.kgGraphUI), which runs before it.
(function () {
  "use strict";
  var ui = window.kgGraphUI;
  var el = ui.el;
  var section = ui.section;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = data.details;
  var terms = data.terms;
  var lang = data.lang;
  var edgeLabels = !data.large;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var tooltip = document.getElementById("kg-tooltip");
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var status = document.getElementById("kg-search-status");

  function markReady() {
    window.__kgReady = true;
    document.body.setAttribute("data-ready", "true");
  }
  if (!data.large && nodes.length > 0) {
    network.once("stabilizationIterationsDone", function () { network.once("afterDrawing", markReady); });
  } else {
    network.once("afterDrawing", markReady);
  }

  function zh() { return lang === "zh-Hans"; }
  function nodeLabel(id) {
    var d = details[id];
    if (!d) return String(id);
    return (zh() ? d.label_zh : d.label_en) || d.label_en || d.curie || d.iri;
  }
  function termLabel(iri) {
    var t = terms[iri];
    if (t) return zh() ? t[1] : t[0];
    return ui.localName(iri);
  }

  // --- Labels in either language -----------------------------------------------------------------------------------
  function setLang(next) {
    lang = next === "zh-Hans" ? "zh-Hans" : "en";
    document.documentElement.lang = lang;
    document.body.className = zh() ? "lang-zh" : "lang-en";
    nodes.update(nodes.getIds().map(function (id) { return { id: id, label: nodeLabel(id) }; }));
    if (edgeLabels) {
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
    if (params.nodes.length) openPanel(params.nodes[0]); else closePanel();
  });

  // --- Search --------------------------------------------------------------------------------------------------------
  function normalise(text) { return String(text).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  var index = Object.keys(details).sort().map(function (id) {
    var d = details[id];
    var names = [d.label_en, d.label_zh, d.curie, d.iri].concat(d.labels || []);
    return { id: id, names: names.filter(Boolean).map(normalise) };
  });
  function find(text) {
    var q = normalise(text);
    if (!q) return null;
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
    ui.centre(network, id);
    openPanel(id);
  }
  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = find(document.getElementById("kg-search").value);
    status.textContent = id === null ? (zh() ? "未找到" : "not found") : "";
    if (id !== null) focusNode(id);
  });

  window.kg = {
    network: network, nodes: nodes, edges: edges, find: find, focus: focusNode, setLang: setLang,
    lang: function () { return lang; },
  };
})();
