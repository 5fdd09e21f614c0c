// The query page's "Graph" view (图): a YASR plugin that draws CONSTRUCT and DESCRIBE results, and SELECT results
// whose values are IRIs, with vis-network in the look of the project's renderer (kg/templates/graph.js): nodes
// coloured and shaped by class, labels in the page's language, a summary on hover, every property and link of a node
// in a panel on click, a legend of the classes. Labels and classes of the IRIs are asked from this server's /sparql.
// Data is written into the page only as text (textContent, canvas labels), never as HTML. The parts it shares with
// the renderer's pages are kg/templates/graph-ui.js (window.kgGraphUI), at /static/graph-ui.js before this.
(function () {
  "use strict";
  var ui = window.kgGraphUI;
  var el = ui.el;
  var section = ui.section;
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var t = config.strings;
  var RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  var RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  var SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel";
  // An IRI as SPARQL may write it between < and >: no spaces, no <>"{}|^`\ and a scheme.
  var SAFE_IRI = /^[A-Za-z][A-Za-z0-9+.\-]*:[^\u0000-\u0020<>"{}|^`\\]*$/;

  // --- Labels and classes of IRIs, from this server ------------------------------------------------------------------
  function post(query) {
    var body = new URLSearchParams();
    body.append("query", query);
    return fetch(config.endpoint, {
      method: "POST",
      body: body,
      headers: { Accept: "application/sparql-results+json" },
      credentials: "same-origin",
    }).then(function (answer) {
      if (!answer.ok) throw new Error(t.failed + " " + answer.status);
      return answer.json();
    });
  }
  function preferred(texts) {
    // The text in the page's language, else English, else untagged, else any.
    var want = config.lang === "zh" ? "zh" : "en";
    var order = [want, "en", ""];
    for (var i = 0; i < order.length; i++) {
      for (var j = 0; j < texts.length; j++) {
        var tag = (texts[j][1] || "").toLowerCase();
        if (order[i] === "" ? tag === "" : tag === order[i] || tag.indexOf(order[i] + "-") === 0) return texts[j][0];
      }
    }
    return texts.length ? texts[0][0] : null;
  }
  // {iri: {label, labels: [[text, lang]], classes: [iri], classLabels: {iri: label}}} for the IRIs given.
  function describe(iris) {
    var seen = {};
    var unique = iris.filter(function (iri) {
      if (seen[iri] || !SAFE_IRI.test(iri)) return false;
      seen[iri] = true;
      return true;
    });
    var found = {};
    var chunks = [];
    for (var i = 0; i < unique.length; i += 400) chunks.push(unique.slice(i, i + 400));
    return Promise.all(chunks.map(function (chunk) {
      var query = "SELECT ?iri ?label ?class ?classLabel WHERE { VALUES ?iri { " +
        chunk.map(function (iri) { return "<" + iri + ">"; }).join(" ") + " } " +
        "{ ?iri <" + RDFS_LABEL + "> ?label } UNION { ?iri <" + RDF_TYPE + "> ?class " +
        "OPTIONAL { ?class <" + RDFS_LABEL + "> ?classLabel } } }";
      return post(query).then(function (json) {
        json.results.bindings.forEach(function (b) {
          var entry = found[b.iri.value] || (found[b.iri.value] = { labels: [], classes: [], classLabels: {} });
          if (b.label) entry.labels.push([b.label.value, b.label["xml:lang"] || ""]);
          if (b["class"] && entry.classes.indexOf(b["class"].value) < 0) entry.classes.push(b["class"].value);
          if (b.classLabel) {
            var list = entry.classLabels[b["class"].value] || (entry.classLabels[b["class"].value] = []);
            list.push([b.classLabel.value, b.classLabel["xml:lang"] || ""]);
          }
        });
      });
    })).then(function () {
      Object.keys(found).forEach(function (iri) { found[iri].label = preferred(found[iri].labels); });
      return found;
    });
  }

  // The page of an IRI on this server (kg.serve.pages.href): its own path for the project's IRIs, /node?iri= for others.
  // Always a path of this server, so no scheme a browser runs can reach a link.
  function pagePath(iri) {
    var base = config.pages.base;
    if (iri.indexOf(base) === 0) {
      var rest = iri.slice(base.length);
      var inSpace = config.pages.spaces.some(function (space) { return rest.indexOf(space) === 0; });
      var ontology = rest.indexOf("ontology") === 0 && ["", "#", "/"].indexOf(rest.charAt(8)) >= 0;
      if (inSpace && (rest.indexOf("ontology") !== 0 || ontology)) return "/" + encodeURI(rest);
    }
    return "/node?iri=" + encodeURIComponent(iri);
  }

  function curie(iri) {
    var best = null;
    Object.keys(config.prefixes).forEach(function (name) {
      var ns = config.prefixes[name];
      if (iri.indexOf(ns) === 0 && (!best || ns.length > config.prefixes[best].length)) best = name;
    });
    return best ? best + ":" + iri.slice(config.prefixes[best].length) : iri;
  }

  // --- From results to nodes and links -------------------------------------------------------------------------------
  function termKey(term) { return term.type === "bnode" ? "_:" + term.value : term.value; }
  function isNode(term) { return term && (term.type === "uri" || term.type === "bnode"); }

  function collect(results, extra, found) {
    var nodes = {};
    var edges = {};
    function node(term) {
      var key = termKey(term);
      return nodes[key] || (nodes[key] = {
        id: key, iri: term.type === "uri" ? term.value : null, literals: [], own: [], types: [],
      });
    }
    function link(from, to, predicate, name) {
      var id = from.id + "\u0000" + predicate + "\u0000" + to.id;
      if (!edges[id]) edges[id] = { id: id, from: from.id, to: to.id, predicate: predicate, name: name };
    }
    var bindings = results.getBindings() || [];
    if (results.getType() === "ttl") {
      bindings.forEach(function (b) {
        var subject = node(b.subject);
        var predicate = b.predicate.value;
        if (isNode(b.object)) {
          if (predicate === RDF_TYPE && b.object.type === "uri") subject.types.push(b.object.value);
          else link(subject, node(b.object), predicate, null);
        } else {
          subject.literals.push([predicate, b.object.value, b.object["xml:lang"] || ""]);
          if (predicate === RDFS_LABEL || predicate === SKOS_PREF) {
            subject.own.push([b.object.value, b.object["xml:lang"] || ""]);
          }
        }
      });
    } else {
      // A SELECT: its nodes, each with the row's other values; the links between them come from the graph (links()).
      var vars = results.getVariables();
      bindings.forEach(function (b) {
        var inRow = vars.filter(function (v) { return isNode(b[v]); });
        if (!inRow.length) return;
        var first = node(b[inRow[0]]);
        inRow.slice(1).forEach(function (v) { node(b[v]); });
        vars.forEach(function (v) {
          if (b[v] && !isNode(b[v])) first.literals.push(["?" + v, b[v].value, b[v]["xml:lang"] || ""]);
        });
      });
      (extra || []).forEach(function (iri) { node({ type: "uri", value: iri }); });
      (found || []).forEach(function (b) { link(node(b.s), node(b.o), b.p.value, null); });
    }
    return { nodes: nodes, edges: Object.keys(edges).map(function (k) { return edges[k]; }) };
  }

  // The nodes a query asks about: the graph's IRIs written in it (<…/id/x> or id:x), as a named query's value is.
  function askedAbout(text) {
    var found = [];
    var base = config.prefixes.id;
    var full = new RegExp("<(" + base.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&") + "[^>\\s]+)>", "g");
    var match;
    while ((match = full.exec(text))) found.push(match[1]);
    var short = /(^|[^\w:])id:([A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]|[A-Za-z0-9_])/g;
    while ((match = short.exec(text))) found.push(base + match[2]);
    return found.filter(function (iri, i) { return found.indexOf(iri) === i && SAFE_IRI.test(iri); });
  }
  // The statements of the graph that link two of ``iris`` (types aside), as SPARQL JSON bindings of ?s ?p ?o.
  function links(iris) {
    var safe = iris.filter(function (iri) { return SAFE_IRI.test(iri); }).slice(0, 400);
    if (safe.length < 2) return Promise.resolve([]);
    var values = safe.map(function (iri) { return "<" + iri + ">"; }).join(" ");
    return post("SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?s { " + values + " } VALUES ?o { " + values + " } " +
      "?s ?p ?o FILTER (?p != <" + RDF_TYPE + "> && ?s != ?o) }").then(function (json) {
      return json.results.bindings;
    });
  }

  // --- Styles: the renderer's colours and shapes by class --------------------------------------------------------------
  // A class the table does not name gets the spare pair its IRI hashes to (FNV-1a, as kg.styles.style_of), so that
  // it looks the same here as in every other drawing.
  function spareFor(cls) {
    var hash = 2166136261;
    for (var i = 0; i < cls.length; i++) hash = Math.imul(hash ^ cls.charCodeAt(i), 16777619) >>> 0;
    return config.styles.spare[hash % config.styles.spare.length] || config.styles.none;
  }
  function styler(classesInUse) {
    var known = config.styles.classes;
    var chosen = {};
    classesInUse.forEach(function (cls) {
      chosen[cls] = known[cls] || (cls === "" ? config.styles.none : spareFor(cls));
    });
    return chosen;
  }
  // As the renderer chooses (kg.network.main_class): one of the project's own classes, else the first by IRI that
  // says more than owl:NamedIndividual or owl:Thing.
  var BARE = [config.prefixes.owl + "NamedIndividual", config.prefixes.owl + "Thing"];
  function mainClass(classes) {
    var own = classes.filter(function (c) { return c.indexOf(config.prefixes.sce) === 0; }).sort();
    var telling = classes.filter(function (c) { return BARE.indexOf(c) < 0; }).sort();
    return own[0] || telling[0] || classes.slice().sort()[0] || "";
  }

  // --- The plugin ----------------------------------------------------------------------------------------------------
  function KgGraph(yasr) {
    this.yasr = yasr;
    this.label = t.graph;
    this.priority = 5;
    this.network = null;
  }
  // The most nodes the view draws; a larger answer is for the table and the downloads.
  KgGraph.MAX_NODES = 3000;
  KgGraph.describe = describe;
  KgGraph.pagePath = pagePath;
  KgGraph.preferred = preferred;
  KgGraph.current = null;

  KgGraph.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    if (!results || results.hasError()) return false;
    if (results.getType() === "ttl") return true;
    var bindings = results.getBindings();
    if (!bindings) return false;
    var vars = results.getVariables();
    return bindings.some(function (b) { return vars.some(function (v) { return b[v] && b[v].type === "uri"; }); });
  };

  KgGraph.prototype.getIcon = function () {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    [["3", "12", "4", "4"], ["13", "4", "12", "12"]].forEach(function (l) {
      var line = document.createElementNS(ns, "line");
      line.setAttribute("x1", l[0]); line.setAttribute("y1", l[1]); line.setAttribute("x2", l[2]); line.setAttribute("y2", l[3]);
      line.setAttribute("stroke", "currentColor");
      svg.appendChild(line);
    });
    [["3", "12"], ["4", "4"], ["13", "4"], ["12", "12"]].forEach(function (c) {
      var circle = document.createElementNS(ns, "circle");
      circle.setAttribute("cx", c[0]); circle.setAttribute("cy", c[1]); circle.setAttribute("r", "2.2");
      circle.setAttribute("fill", "currentColor");
      svg.appendChild(circle);
    });
    var wrap = document.createElement("div");
    wrap.appendChild(svg);
    return wrap;
  };

  KgGraph.prototype.download = function () {
    var results = this.yasr.results;
    if (!results) return undefined;
    var graph = results.getType() === "ttl";
    return {
      contentType: graph ? "text/turtle" : "text/csv",
      getData: function () { return graph ? results.getOriginalResponseAsString() : results.asCsv(); },
      filename: graph ? "graph.ttl" : "result.csv",
      title: graph ? "Turtle" : "CSV",
    };
  };

  KgGraph.prototype.destroy = function () {
    if (this.network) this.network.destroy();
    this.network = null;
    KgGraph.current = null;
  };

  KgGraph.prototype.draw = function () {
    var self = this;
    var results = this.yasr.results;
    if (results.getType() === "ttl") return this.drawData(collect(results));
    // A SELECT: its nodes and the node the query asks about, linked as the graph links them.
    var query = window.kgQuery ? window.kgQuery.yasgui.getTab().getYasqe().getValue() : "";
    var extra = askedAbout(query);
    var iris = Object.keys(collect(results).nodes).filter(function (id) { return id.indexOf("_:") !== 0; });
    return links(iris.concat(extra)).catch(function () { return []; }).then(function (found) {
      var data = collect(results, extra, found);
      data.select = true;
      return self.drawData(data);
    });
  };

  KgGraph.prototype.drawData = function (data) {
    var self = this;
    var ids = Object.keys(data.nodes);
    var iris = ids.filter(function (id) { return data.nodes[id].iri; });
    var predicates = data.edges.map(function (e) { return e.predicate; }).concat(
      [].concat.apply([], ids.map(function (id) { return data.nodes[id].literals.map(function (l) { return l[0]; }); }))
    ).filter(function (p) { return p.charAt(0) !== "?"; });
    var view = el("div", null, "kg-graph-view");
    var canvas = el("div", null, "kg-graph-canvas");
    var legend = el("aside", null, "kg-legend");
    var panel = el("aside", null, "kg-panel");
    var tooltip = el("div", null, "kg-tooltip");
    var counts = el("p", null, "kg-graph-counts");
    panel.hidden = true;
    tooltip.hidden = true;
    [canvas, legend, panel, tooltip, counts].forEach(function (part) { view.appendChild(part); });
    this.yasr.resultsEl.appendChild(view);
    if (ids.length > KgGraph.MAX_NODES) {
      // vis-network's physics would hold the page for minutes: say so instead of drawing.
      view.replaceChildren(el("p", t.too_many + " " + ids.length + " " + t.nodes, "kg-graph-too-many"));
      view.setAttribute("data-drawn", "true");
      return Promise.resolve();
    }
    return describe(iris.concat(predicates)).catch(function () { return {}; }).then(function (known) {
      self.render(view, data, known);
    });
  };

  KgGraph.prototype.render = function (view, data, known) {
    var self = this;
    var canvas = view.querySelector(".kg-graph-canvas");
    var legend = view.querySelector(".kg-legend");
    var panel = view.querySelector(".kg-panel");
    var tooltip = view.querySelector(".kg-tooltip");
    var ids = Object.keys(data.nodes).sort();

    function nodeLabel(id) {
      var n = data.nodes[id];
      var k = n.iri && known[n.iri];
      return (k && k.label) || preferred(n.own) || (n.iri ? curie(n.iri) : id);
    }
    function termLabel(predicate) {
      if (predicate.charAt(0) === "?") return predicate;
      var k = known[predicate];
      return (k && k.label) || ui.localName(predicate);
    }
    function classesOf(id) {
      var n = data.nodes[id];
      var k = n.iri && known[n.iri];
      return n.types.concat(k ? k.classes : []).filter(function (c, i, all) { return all.indexOf(c) === i; });
    }
    function classLabel(cls) {
      if (!cls) return t.no_class;
      for (var id in known) {
        if (known[id].classLabels[cls]) return preferred(known[id].classLabels[cls]);
      }
      return (known[cls] && known[cls].label) || curie(cls);
    }

    var nodeClass = {};
    ids.forEach(function (id) { nodeClass[id] = mainClass(classesOf(id)); });
    var inUse = ids.map(function (id) { return nodeClass[id]; }).filter(function (c, i, all) { return all.indexOf(c) === i; });
    var styles = styler(inUse);
    var degree = {};
    data.edges.forEach(function (e) {
      degree[e.from] = (degree[e.from] || 0) + 1;
      degree[e.to] = (degree[e.to] || 0) + 1;
    });
    var large = ids.length >= 200;
    var nodes = new vis.DataSet(ids.map(function (id) {
      var style = styles[nodeClass[id]];
      return {
        id: id, label: nodeLabel(id), shape: style[1], color: style[0],
        size: Math.round((10 + 4 * Math.sqrt(degree[id] || 0)) * 10) / 10,
      };
    }));
    var edges = new vis.DataSet(data.edges.map(function (e) {
      return { id: e.id, from: e.from, to: e.to, predicate: e.predicate, label: large ? undefined : termLabel(e.predicate) };
    }));
    var options = {
      nodes: { font: { size: 14, face: "sans-serif" }, borderWidth: 1 },
      edges: {
        arrows: { to: { enabled: true, scaleFactor: 0.5 } },
        color: { color: "#9aa5b1", highlight: "#3b4a5a", hover: "#3b4a5a" },
        font: { size: 10, color: "#5b6670", strokeWidth: 2, align: "middle" },
        smooth: large ? false : { enabled: true, type: "continuous" },
      },
      interaction: { hover: true, tooltipDelay: 100000, navigationButtons: false, keyboard: false, hideEdgesOnDrag: large },
      layout: { improvedLayout: !large, randomSeed: 7 },
      physics: {
        enabled: true, solver: "barnesHut",
        barnesHut: { gravitationalConstant: -4000, springLength: 120, avoidOverlap: 0.2 },
        stabilization: { enabled: true, iterations: large ? 100 : 300, updateInterval: 50, fit: true },
      },
    };
    var network = new vis.Network(canvas, { nodes: nodes, edges: edges }, options);
    this.network = network;
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      view.setAttribute("data-drawn", "true");
    });
    if (!ids.length) view.setAttribute("data-drawn", "true");

    view.querySelector(".kg-graph-counts").textContent =
      ids.length + " " + t.nodes + " · " + data.edges.length + " " + t.links;
    if (data.select && !data.edges.length && ids.length > 1) {
      var none = el("p", t.no_links, "kg-graph-no-links");
      view.appendChild(none);
    }

    // Legend
    legend.appendChild(el("h2", t.classes));
    var list = el("ul");
    inUse.slice().sort(function (a, b) { return (a === "") - (b === "") || (a < b ? -1 : a > b ? 1 : 0); })
      .forEach(function (cls) {
        var li = el("li");
        li.setAttribute("data-class", cls);
        li.setAttribute("data-colour", styles[cls][0]);
        li.setAttribute("data-shape", styles[cls][1]);
        var swatch = el("span", null, "swatch shape-" + styles[cls][1]);
        swatch.style.setProperty("--colour", styles[cls][0]);
        li.appendChild(swatch);
        li.appendChild(el("span", classLabel(cls)));
        li.appendChild(el("span", ids.filter(function (id) { return nodeClass[id] === cls; }).length, "count"));
        list.appendChild(li);
      });
    legend.appendChild(list);

    // Hover summary and side panel
    function nameBlock(id, titleTag) {
      var box = document.createDocumentFragment();
      box.appendChild(el(titleTag, nodeLabel(id)));
      if (nodeClass[id]) box.appendChild(el("div", classLabel(nodeClass[id]), "class"));
      return box;
    }
    ui.hoverSummary(network, tooltip, function (id) { return nameBlock(id, "strong"); });

    function linkButton(id) {
      return ui.linkButton(nodeLabel(id), function () { focus(id); });
    }
    function linkItems(id, outgoing) {
      return data.edges.filter(function (e) { return outgoing ? e.from === id : e.to === id; }).map(function (e) {
        return ui.linkItem(termLabel(e.predicate), outgoing, linkButton(outgoing ? e.to : e.from));
      });
    }
    function openPanel(id) {
      var n = data.nodes[id];
      var body = el("div");
      body.appendChild(nameBlock(id, "h2"));
      if (n.iri) {
        body.appendChild(el("div", n.iri, "iri"));
        var open = el("a", t.open_page, "page");
        open.href = pagePath(n.iri);
        open.target = "_blank";
        open.rel = "noopener";
        body.appendChild(open);
      }
      var props = n.literals.map(function (lit) { return ui.literalItem(termLabel(lit[0]), lit); });
      [
        section(t.types, classesOf(id).map(function (c) { return el("li", curie(c), "iri"); })),
        section(t.properties, props),
        section(t.links_out, linkItems(id, true)),
        section(t.links_in, linkItems(id, false)),
      ].forEach(function (part) { if (part) body.appendChild(part); });
      var close = el("button", "×", "close");
      close.type = "button";
      close.setAttribute("aria-label", "Close");
      close.addEventListener("click", function () { panel.hidden = true; });
      panel.replaceChildren(close, body);
      panel.setAttribute("data-node", id);
      panel.hidden = false;
    }
    function focus(id) {
      ui.centre(network, id);
      openPanel(id);
    }
    network.on("doubleClick", function (params) {
      var n = params.nodes.length ? data.nodes[params.nodes[0]] : null;
      if (n && n.iri) window.open(pagePath(n.iri), "_blank", "noopener");
    });
    network.on("click", function (params) {
      tooltip.hidden = true;
      if (params.nodes.length) openPanel(params.nodes[0]);
      else panel.hidden = true;
    });
    KgGraph.current = { network: network, nodes: nodes, edges: edges, view: view, focus: focus };
  };

  window.KgGraph = KgGraph;
})();
