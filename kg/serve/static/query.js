// The query page: YASGUI on this server's /sparql (no autocompleter that asks another host, the known prefixes filled
// in), YASR's table with IRIs shown by their labels in the page's language and linked to their pages on this server,
// the "Graph" view (yasr-graph.js), the named queries as a menu whose form runs /api/NAME (their summaries and
// descriptions come in the page's language, chosen by the server), and downloads in every format the server writes.
// Data is written into the page only as text (textContent), never as HTML.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var t = config.strings;
  var Yasr = Yasgui.Yasr;
  var Yasqe = Yasgui.Yasqe;
  var LAST = "kg-query-last";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  // --- YASQE: only completers that stay on this page; the known prefixes --------------------------------------------
  var prefixList = Object.keys(config.prefixes).sort().map(function (name) {
    return name + ": <" + config.prefixes[name] + ">";
  });
  Yasqe.forkAutocompleter("prefixes", {
    name: "kg-prefixes",
    persistenceId: null,
    get: function () { return Promise.resolve(prefixList); },
  }, false);
  // "class" and "property" would ask the LOV API, and the bundled "prefixes" list is not ours: off.
  Yasqe.defaults.autocompleters = ["kg-prefixes", "variables"];
  Yasqe.defaults.prefixCcApi = null;

  // --- YASR: plugin names in the page's language, and the graph view ---------------------------------------------------
  function named(Base, label) {
    var Named = function (yasr) {
      var plugin = new Base(yasr);
      plugin.label = label;
      return plugin;
    };
    Named.defaults = Base.defaults;
    return Named;
  }
  Yasr.registerPlugin("table", named(Yasr.plugins.table, t.table));
  Yasr.registerPlugin("response", named(Yasr.plugins.response, t.response));
  Yasr.registerPlugin("graph", window.KgGraph);
  Yasr.defaults.pluginOrder = ["table", "graph", "response"];
  Yasr.defaults.prefixes = config.prefixes;
  Yasr.defaults.maxPersistentResponseSize = 1000000;

  var endpointInfo = function () {
    var info = el("span", config.endpoint, "kg-endpoint");
    info.title = "SPARQL endpoint";
    return info;
  };
  Yasgui.defaults.endpointCatalogueOptions.getData = function () { return [{ endpoint: config.endpoint }]; };
  var yasgui = new Yasgui(document.getElementById("kg-yasgui"), {
    // Tabs, their queries and last results stay in this browser's storage, so that they survive the language switch
    // (a reload); nothing else is remembered, and nothing from the address is taken as configuration.
    persistenceId: "kg-query",
    populateFromUrl: false,
    autofocus: false,
    copyEndpointOnNewTab: true,
    corsProxy: undefined,
    endpointInfo: endpointInfo,
    requestConfig: {
      // A function, never persisted: every tab always asks this server.
      endpoint: function () { return config.endpoint; },
      method: "POST",
      acceptHeaderGraph: "text/turtle",
      acceptHeaderSelect: "application/sparql-results+json",
    },
    tabName: t.query_tab,
    yasqe: { value: config.start, prefixCcApi: null, editorHeight: "200px" },
    yasr: { prefixes: config.prefixes, maxPersistentResponseSize: 1000000 },
  });

  function tab() { return yasgui.getTab(); }
  function yasr() { return tab().getYasr(); }

  // --- Labels of IRIs in the table -------------------------------------------------------------------------------------
  var labelCache = {};
  function labelLinks(root) {
    var links = Array.prototype.slice.call(root.querySelectorAll("a.iri:not([data-kg-label])"));
    if (!links.length) return;
    links.forEach(function (a) { a.setAttribute("data-kg-label", "pending"); });
    var wanted = links.map(function (a) { return a.getAttribute("href"); }).filter(function (iri) {
      return iri && !(iri in labelCache);
    });
    var ready = wanted.length ? window.KgGraph.describe(wanted).then(function (found) {
      wanted.forEach(function (iri) { labelCache[iri] = found[iri] && found[iri].label; });
    }) : Promise.resolve();
    ready.then(function () {
      links.forEach(function (a) {
        var iri = a.getAttribute("href");
        var label = labelCache[iri];
        // The link opens the IRI's page on this server rather than the IRI itself.
        if (iri) a.setAttribute("href", window.KgGraph.pagePath(iri));
        a.setAttribute("data-kg-label", label ? "true" : "false");
        if (!label) return;
        a.title = a.textContent;
        a.textContent = label;
      });
    }, function () {
      links.forEach(function (a) { a.setAttribute("data-kg-label", "false"); });
    });
  }
  new MutationObserver(function () {
    var tables = document.querySelectorAll(".yasr_results table");
    Array.prototype.forEach.call(tables, labelLinks);
  }).observe(document.getElementById("kg-yasgui"), { childList: true, subtree: true });

  // --- What ran last in each tab: the SPARQL of the editor, or a named query with its values ----------------------------
  var runs = (function () {
    try { return JSON.parse(localStorage.getItem(LAST) || "{}") || {}; } catch (e) { return {}; }
  })();
  function remember(last) {
    runs[tab().getId()] = last;
    try { localStorage.setItem(LAST, JSON.stringify(runs)); } catch (e) { /* storage full or off: kept until reload */ }
    showDownloads(last);
  }
  function lastRun(tabId) { return runs[tabId || tab().getId()] || null; }
  // The view a fresh answer opens on: the graph for CONSTRUCT and DESCRIBE, the table for the rest.
  var viewWanted = null;
  yasgui.on("query", function (_yasgui, current) {
    var yasqe = current.getYasqe();
    var type = (yasqe.getQueryType() || "").toUpperCase();
    var kind = type === "CONSTRUCT" || type === "DESCRIBE" ? "graph" : type === "ASK" ? "ask" : "select";
    viewWanted = kind === "graph" ? "graph" : kind === "select" ? "table" : null;
    remember({ kind: kind, query: yasqe.getValue() });
  });
  // YASR counts the rows in English; where the page has its own words for it (Chinese), say it in those.
  function sayCount(instance) {
    var chip = instance.headerEl.querySelector(".yasr_response_chip");
    var rows = instance.results && instance.results.getBindings();
    if (!chip || !rows) return;
    var time = instance.results.getResponseTime();
    var text = time ? t.results_time.replace("{s}", String(time / 1000)) : t.results;
    chip.textContent = text.replace("{n}", String(rows.length));
  }
  function watch(instance) {
    if (instance.kgWatched) return;
    instance.kgWatched = true;
    instance.on("drawn", function (drawnYasr) {
      var wanted = viewWanted;
      viewWanted = null;
      var plugin = wanted && drawnYasr.plugins[wanted];
      if (plugin && drawnYasr.getSelectedPluginName() !== wanted && plugin.canHandleResults()) {
        drawnYasr.selectPlugin(wanted);  // draws again, and comes back here with nothing wanted
        return;
      }
      if (t.results) sayCount(drawnYasr);
      document.body.setAttribute("data-drawn", drawnYasr.getSelectedPluginName());
    });
  }
  // YASGUI tells of a tab selected before it makes it the current one: go by the tab's id.
  yasgui.on("tabSelect", function (_yasgui, tabId) {
    watch(yasgui.getTab(tabId).getYasr());
    showDownloads(lastRun(tabId));
  });
  yasgui.on("tabAdd", function () {
    setTimeout(function () {
      if (!tab()) return;
      watch(yasr());
      showDownloads(lastRun());
    }, 0);
  });
  watch(yasr());

  // --- Downloads in the server's formats -------------------------------------------------------------------------------
  var buttons = document.getElementById("kg-download-buttons");
  function request(last, media) {
    if (last.name) {
      var params = new URLSearchParams(last.params || []);
      return fetch(config.api + encodeURIComponent(last.name) + "?" + params.toString(), { headers: { Accept: media } });
    }
    var body = new URLSearchParams();
    body.append("query", last.query);
    return fetch(config.endpoint, { method: "POST", body: body, headers: { Accept: media } });
  }
  function save(last, format) {
    request(last, format.media).then(function (answer) {
      if (!answer.ok) throw new Error(t.failed + " " + answer.status);
      return answer.blob();
    }).then(function (blob) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = (last.name || "query") + format.ending;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }).catch(function (error) { status.textContent = String(error.message || error); });
  }
  function showDownloads(last) {
    buttons.replaceChildren();
    if (!last) return;
    (config.formats[last.kind] || []).forEach(function (format) {
      var button = el("button", format.label);
      button.type = "button";
      button.title = format.media;
      button.setAttribute("data-format", format.name);
      button.addEventListener("click", function () { save(last, format); });
      buttons.appendChild(button);
    });
  }

  // --- The named queries -----------------------------------------------------------------------------------------------
  var select = document.getElementById("kg-named-select");
  var form = document.getElementById("kg-named-form");
  var paramsBox = document.getElementById("kg-params");
  var description = document.getElementById("kg-named-description");
  var status = document.getElementById("kg-named-status");
  var byName = {};
  select.appendChild(el("option", t.choose)).value = "";
  config.queries.forEach(function (q) {
    byName[q.name] = q;
    var option = el("option", q.name + (q.summary ? " — " + q.summary : ""));
    option.value = q.name;
    select.appendChild(option);
  });
  function showParams(values) {
    var q = byName[select.value];
    paramsBox.replaceChildren();
    description.textContent = q ? q.description || q.summary : "";
    if (!q) return;
    if (!q.parameters.length) paramsBox.appendChild(el("p", t.no_params, "kg-hint"));
    q.parameters.forEach(function (p) {
      var label = el("label");
      label.appendChild(el("span", p.name));
      label.appendChild(el("span", " (" + p.kind + ", " + (p.required ? t.required : t.optional) + ")", "kg-hint"));
      var input = el("input");
      input.name = p.name;
      input.type = "text";
      input.required = p.required;
      input.setAttribute("data-param", p.name);
      if (p.kind === "iri") {
        input.setAttribute("list", "kg-names");
        fillNames();
      }
      if (values && values[p.name] !== undefined) input.value = values[p.name];
      label.appendChild(input);
      paramsBox.appendChild(label);
    });
  }
  select.addEventListener("change", function () { showParams(null); });

  // The names a parameter that takes a node may be given: the labels of the graph's individuals in the page's language.
  var names = document.getElementById("kg-names");
  var namesAsked = false;
  function fillNames() {
    if (namesAsked) return;
    namesAsked = true;
    var lang = config.lang === "zh" ? "zh" : "en";
    var body = new URLSearchParams();
    body.append("query", "SELECT DISTINCT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label " +
      "FILTER (isIRI(?s) && STRSTARTS(STR(?s), " + JSON.stringify(config.prefixes.id) + ") && " +
      "LANGMATCHES(LANG(?label), \"" + lang + "\")) } ORDER BY ?label");
    fetch(config.endpoint, { method: "POST", body: body, headers: { Accept: "application/sparql-results+json" } })
      .then(function (answer) { return answer.json(); })
      .then(function (json) {
        json.results.bindings.forEach(function (b) {
          var option = document.createElement("option");
          option.value = b.label.value;
          names.appendChild(option);
        });
      }, function () {});
  }
  function runNamed(q, params) {
    var target = yasr();
    var started = Date.now();
    var media = q.kind === "graph" ? "text/turtle" : "application/sparql-results+json";
    var query = new URLSearchParams(params);
    status.textContent = t.running;
    viewWanted = q.kind === "graph" ? "graph" : q.kind === "select" ? "table" : null;
    remember({ kind: q.kind, name: q.name, params: params });
    return fetch(config.api + encodeURIComponent(q.name) + "?" + query.toString(), { headers: { Accept: media } })
      .then(function (answer) {
        return answer.text().then(function (text) {
          var summary = { contentType: answer.headers.get("content-type"), status: answer.status };
          if (answer.ok) summary.data = text;
          else summary.error = { status: answer.status, statusText: answer.statusText, text: text };
          target.setResponse(summary, Date.now() - started);
          status.textContent = answer.ok ? "" : t.failed + " " + answer.status + ": " + text.trim();
          // Keep the answer with the tab, as YASGUI keeps the answers of the editor's queries.
          var json = tab().getPersistedJson();
          json.yasr.response = answer.ok ? target.results.getAsStoreObject(1000000) : undefined;
          tab().emit("change", tab(), json);
        });
      })
      .catch(function (error) { status.textContent = String(error.message || error); });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = byName[select.value];
    if (!q) return;
    var params = [];
    Array.prototype.forEach.call(paramsBox.querySelectorAll("input[data-param]"), function (input) {
      if (input.value.trim() !== "") params.push([input.getAttribute("data-param"), input.value.trim()]);
    });
    runNamed(q, params);
  });
  document.getElementById("kg-named-edit").addEventListener("click", function () {
    var q = byName[select.value];
    if (q) tab().setQuery(q.text);
  });

  // After a reload (the language switch): the named query chosen last, with its values, and the download buttons.
  var last = lastRun();
  if (last && last.name && byName[last.name]) {
    select.value = last.name;
    var values = {};
    (last.params || []).forEach(function (pair) { values[pair[0]] = pair[1]; });
    showParams(values);
  }
  showDownloads(last);

  window.kgQuery = {
    yasgui: yasgui,
    config: config,
    graph: function () { return window.KgGraph.current; },
    runNamed: function (name, params) { return runNamed(byName[name], params || []); },
  };
  document.body.setAttribute("data-ready", "true");
})();
