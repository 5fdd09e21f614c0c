// The query page (/query): YASGUI on this server's /sparql (no autocompleter that asks another host, the known prefixes
// filled in), YASR's table with plain values (quotes, language tags and datatypes one click away, under "Simple view"),
// IRIs shown by their labels in the page's language and linked to their pages on this server, the "Graph", "Timeline"
// and "Chart" views (yasr-graph.js, yasr-views.js), the named queries as a menu whose form puts the query's SPARQL with
// its values in place into the editor and runs it, downloads in every format the server writes, and an address that
// always holds what is on screen (the Share button gives it). With Chinese chosen, YASGUI's own words are translated
// where they are drawn (the bundle stays as published). Data is written into the page only as text (textContent) or
// through YASR's sanitiser, never as HTML of ours.
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

  // --- YASR's table: plain values by default, row numbers apart from the first cell, nothing cut short -----------------
  var NUMBERS = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger|gYear|gYearMonth|date|dateTime)$/;
  var URL_TEXT = /^https?:\/\/[^\s<>"']+$/;
  function escapeText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }
  // A column's header: the named query's own title for it in the page's language (its "#+ columns_zh", as the CLI's
  // tables say it), else the page's word for it, else the variable's name with spaces. The chart's legend and axes
  // say the same (yasr-views.js asks here).
  function header(name) {
    var base = name.replace(/_(en|zh)$/, "");
    var own = namedColumns();
    return own[base] || own[name] || config.columns[base] || config.columns[name] || base.replace(/_/g, " ");
  }
  window.KgViews.title = header;
  // The column titles of the named query the current tab ran last ({} for the reader's own SPARQL, and while YASGUI
  // draws what it kept before this page has its tabs and menu).
  function namedColumns() {
    if (!yasgui || !runs || !byName) return {};
    var last = lastRun();
    var q = last && last.name && byName[last.name];
    return (q && q.columns) || {};
  }
  // In the simple view a column that holds a node's name in one language (``model_en``, ``model_zh``) is left out
  // where the node's own column (``model``, shown by its label in the page's language) is there, and where its sibling
  // in the page's language is. A plain column of English words (``status``) beside its Chinese (``status_zh``) gives
  // way to it on the Chinese page. Turning the simple view off shows every column.
  function oneLanguage(name, names, holdsNodes) {
    var own = config.lang === "zh" ? "zh" : "en";
    var match = /^(.*)_(en|zh)$/.exec(name);
    if (!match) return own === "en" || holdsNodes(name) || names.indexOf(name + "_zh") < 0;
    if (names.indexOf(match[1]) >= 0) return match[2] === own && own === "zh" && !holdsNodes(match[1]);
    return match[2] === own || names.indexOf(match[1] + "_" + own) < 0;
  }
  // Whether a column of the answer holds nodes (IRIs) rather than words: read from its first value.
  function nodeColumns(yasr) {
    var rows = (yasr.results && yasr.results.getBindings && yasr.results.getBindings()) || [];
    return function (name) {
      for (var i = 0; i < rows.length; i++) if (rows[i][name]) return rows[i][name].type === "uri";
      return true;
    };
  }
  // The table plugin of YASR, changed in three ways: "Simple view" (compact) is on unless the reader turns it off, and
  // shows values without quotes, language tags or datatypes but keeps the row numbers; a literal that is a web address
  // is a link; dates and numbers never wrap or end in an ellipsis (no ellipsis at all unless the reader asks for it).
  function plainTable(Base) {
    var Plain = function (yasr) {
      var plugin = new Base(yasr);
      plugin.persistentConfig = { compact: true, isEllipsed: false };
      var formatLiteral = plugin.formatLiteral.bind(plugin);
      plugin.formatLiteral = function (binding, prefixes) {
        if (URL_TEXT.test(binding.value)) {
          var href = escapeText(binding.value);
          var shown = escapeText(binding.value.replace(/^https?:\/\/(www\.)?/, "").replace(/\/$/, ""));
          var link = "<a class='url' target='_blank' rel='noopener noreferrer' href='" + href + "'>" + shown + "</a>";
          return this.persistentConfig.compact ? link : formatLiteral(binding, prefixes).replace(escapeText(binding.value), link);
        }
        var text = formatLiteral(binding, prefixes);
        return binding.datatype && NUMBERS.test(binding.datatype) ? "<span class='kg-nowrap'>" + text + "</span>" : text;
      };
      var getColumns = plugin.getColumns.bind(plugin);
      plugin.getColumns = function () {
        var columns = getColumns();
        if (columns.length) {
          columns[0].visible = true;
          columns[0].width = plugin.getSizeFirstColumn() + "px";
        }
        var names = columns.slice(1).map(function (column) { return column.name; });
        var holdsNodes = nodeColumns(yasr);
        columns.slice(1).forEach(function (column) {
          column.title = escapeText(plugin.persistentConfig.compact ? header(column.name) : column.name);
          if (plugin.persistentConfig.compact && !oneLanguage(column.name, names, holdsNodes)) column.visible = false;
        });
        return columns;
      };
      plugin.getSizeFirstColumn = function () {
        return (String((yasr.results && yasr.results.getBindings() || []).length).length * 8) + 20;
      };
      return plugin;
    };
    Plain.defaults = Base.defaults;
    return Plain;
  }
  if (config.datatables) {
    Yasr.plugins.table.defaults.tableConfig.language = Object.assign(
      {}, Yasr.plugins.table.defaults.tableConfig.language, config.datatables
    );
  }

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
  Yasr.registerPlugin("table", named(plainTable(Yasr.plugins.table), t.table));
  Yasr.registerPlugin("response", named(Yasr.plugins.response, t.response));
  Yasr.registerPlugin("graph", window.KgGraph);
  Yasr.registerPlugin("timeline", window.KgViews.Timeline);
  Yasr.registerPlugin("chart", window.KgViews.Chart);
  Yasr.defaults.pluginOrder = ["table", "graph", "timeline", "chart", "response"];
  Yasr.defaults.prefixes = config.prefixes;
  Yasr.defaults.maxPersistentResponseSize = 1000000;

  var endpointInfo = function () {
    var info = el("span", config.endpoint, "kg-endpoint");
    info.title = config.ui["SPARQL endpoint"] || "SPARQL endpoint";
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
    yasqe: { value: config.start, prefixCcApi: null, editorHeight: "200px", collapsePrefixesOnLoad: false },
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

  // --- YASGUI's own words in the page's language ----------------------------------------------------------------------
  // YASGUI and YASR write their controls in English. Where the page is Chinese, each text and each title, placeholder
  // and aria-label they draw is looked up in config.ui (whole words) and config.ui_patterns (words around a value) and
  // replaced as it appears, so that the bundle itself stays as published.
  var patterns = Object.keys(config.ui_patterns).map(function (source) {
    return [new RegExp(source), config.ui_patterns[source]];
  });
  function translated(text) {
    var trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(config.ui, text)) return config.ui[text];
    if (Object.prototype.hasOwnProperty.call(config.ui, trimmed)) return text.replace(trimmed, config.ui[trimmed]);
    for (var i = 0; i < patterns.length; i++) {
      var match = patterns[i][0].exec(trimmed);
      if (match) {
        return patterns[i][1].replace(/\{(\d)\}/g, function (_all, n) {
          var value = match[Number(n) + 1];
          return Object.prototype.hasOwnProperty.call(config.ui, value) ? config.ui[value] : value;
        });
      }
    }
    return null;
  }
  var ATTRIBUTES = ["title", "placeholder", "aria-label"];
  // Only YASGUI's controls: never a cell of an answer, which is data, shown as the graph holds it; in the editor only
  // the tooltip of a line it finds wrong.
  var DATA = ".yasr_results table, .kg-graph-view, .kg-views, .CodeMirror-code, #kg-named, #kg-downloads";
  var WORDS_IN_DATA = ".yasqe_tooltip";
  function isData(element) { return !!element.closest(DATA) && !element.closest(WORDS_IN_DATA); }
  function translate(root) {
    if (!Object.keys(config.ui).length) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach(function (node) {
      var parent = node.parentElement;
      if (!parent || isData(parent)) return;
      var words = translated(node.nodeValue);
      if (words !== null && words !== node.nodeValue) node.nodeValue = words;
    });
    var elements = root.nodeType === 1 ? [root].concat(Array.prototype.slice.call(root.querySelectorAll("*"))) : [];
    elements.forEach(function (element) {
      if (isData(element)) return;
      ATTRIBUTES.forEach(function (name) {
        var value = element.getAttribute(name);
        var words = value && translated(value);
        if (words && words !== value) element.setAttribute(name, words);
      });
    });
  }
  var root = document.getElementById("kg-yasgui");
  var translating = false;
  function translateAll() {
    if (translating) return;
    translating = true;
    try { translate(root); translate(document.body.querySelector(".context-menu") || document.createTextNode("")); }
    finally { translating = false; }
  }
  new MutationObserver(translateAll).observe(document.body, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });
  // Tabs keep their names in this browser's storage: a tab named in the other language is named in this one.
  function renameTabs() {
    Object.keys(yasgui._tabs || {}).forEach(function (id) {
      var named = yasgui.getTab(id);
      var match = /^(?:Query|查询)( \d+)?$/.exec(named.getName() || "");
      if (match && named.getName() !== t.tab_pattern + (match[1] || "")) named.setName(t.tab_pattern + (match[1] || ""));
    });
  }
  renameTabs();

  // --- What ran last in each tab: the SPARQL of the editor, and the named query with its values it came from ----------
  var runs = (function () {
    try { return JSON.parse(localStorage.getItem(LAST) || "{}") || {}; } catch (e) { return {}; }
  })();
  function remember(last) {
    runs[tab().getId()] = last;
    try { localStorage.setItem(LAST, JSON.stringify(runs)); } catch (e) { /* storage full or off: kept until reload */ }
    showDownloads(last);
  }
  function lastRun(tabId) { return runs[tabId || tab().getId()] || null; }
  // The view a fresh answer opens on: the one the address or the named query names, else the one that fits it best.
  var viewWanted = null;
  var namedPending = null;  // the named query whose SPARQL was just put in the editor, until it runs
  function kindOf(yasqe) {
    var type = (yasqe.getQueryType() || "").toUpperCase();
    return type === "CONSTRUCT" || type === "DESCRIBE" ? "graph" : type === "ASK" ? "ask" : "select";
  }
  yasgui.on("query", function (_yasgui, current) {
    var yasqe = current.getYasqe();
    var kind = kindOf(yasqe);
    var last = { kind: kind, query: yasqe.getValue() };
    if (namedPending && namedPending.text === last.query) {
      last.name = namedPending.name;
      last.params = namedPending.params;
    }
    namedPending = null;
    if (!viewWanted) viewWanted = kind === "graph" ? "graph" : kind === "select" ? "auto" : null;
    remember(last);
    showAddress(last, viewWanted === "auto" ? null : viewWanted);
  });
  // The view that fits an answer best: a timeline for dated rows, a chart for labelled numbers, else the table.
  function fittest(drawnYasr) {
    var views = window.KgViews;
    if (drawnYasr.plugins.timeline && drawnYasr.plugins.timeline.canHandleResults() && views.fitsTimeline(drawnYasr)) {
      return "timeline";
    }
    if (drawnYasr.plugins.chart && drawnYasr.plugins.chart.canHandleResults() && views.fitsChart(drawnYasr)) return "chart";
    return "table";
  }
  // The row count in the page's words.
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
      if (wanted === "auto") wanted = fittest(drawnYasr);
      var plugin = wanted && drawnYasr.plugins[wanted];
      if (plugin && drawnYasr.getSelectedPluginName() !== wanted && plugin.canHandleResults()) {
        drawnYasr.selectPlugin(wanted);  // draws again, and comes back here with nothing wanted
        return;
      }
      if (t.results) sayCount(drawnYasr);
      translateAll();
      var last = lastRun();
      if (last) showAddress(last, drawnYasr.getSelectedPluginName());
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
      renameTabs();
      showDownloads(lastRun());
    }, 0);
  });
  watch(yasr());

  // --- The address: always what is on screen ---------------------------------------------------------------------------
  // /query?name=NAME&PARAM=VALUE…&view=VIEW for a named query, /query?query=SPARQL&view=VIEW for the editor's own, with
  // ?lang= where the reader chose it. Opening it anywhere runs the same query and opens the same view.
  // On the chart, &chart=bar or &chart=line where the reader chose the kind of chart (else the answer chooses).
  var RESERVED = ["query", "name", "view", "chart", "lang"];
  var CHART_TYPES = ["bar", "line"];
  function chartChosen() {
    var plugin = tab() && yasr().plugins.chart;
    var chosen = plugin && plugin.persistentConfig && plugin.persistentConfig.type;
    return CHART_TYPES.indexOf(chosen) >= 0 ? chosen : null;
  }
  function address(last, view) {
    var params = new URLSearchParams();
    if (last && last.name) {
      params.append("name", last.name);
      (last.params || []).forEach(function (pair) { params.append(pair[0], pair[1]); });
    } else if (last && last.query) {
      params.append("query", last.query);
    }
    if (view && last) params.append("view", view);
    if (view === "chart" && last && chartChosen()) params.append("chart", chartChosen());
    return params;
  }
  function showAddress(last, view) {
    var params = address(last, view);
    var chosen = new URLSearchParams(location.search).get("lang");
    var withLang = new URLSearchParams(params);
    if (chosen) withLang.set("lang", chosen);
    var here = location.pathname + (withLang.toString() ? "?" + withLang.toString() : "");
    if (here !== location.pathname + location.search) history.replaceState(null, "", here);
    // The language switch keeps what is on screen.
    Array.prototype.forEach.call(document.querySelectorAll("#kg-lang a[data-lang]"), function (a) {
      var switched = new URLSearchParams(params);
      switched.set("lang", a.getAttribute("data-lang"));
      a.setAttribute("href", location.pathname + "?" + switched.toString());
    });
  }
  function shareAddress() { return location.href; }
  Yasgui.Tab.prototype.getShareableLink = function () { return shareAddress(); };
  var shareInput = document.getElementById("kg-share-address");
  var shareStatus = document.getElementById("kg-share-status");
  document.getElementById("kg-share-button").addEventListener("click", function () {
    shareInput.value = shareAddress();
    shareInput.hidden = false;
    shareInput.focus();
    shareInput.select();
    var copied = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(shareInput.value) : Promise.reject(new Error("no clipboard"));
    copied.then(function () { shareStatus.textContent = t.copied; }, function () { shareStatus.textContent = ""; });
  });

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
  // A named query runs as the editor's: the server writes its values into its SPARQL (GET /api/NAME with Accept:
  // application/sparql-query, the same binding /api/NAME runs), the editor shows that text, and the editor runs it.
  // What is shown is what ran; a value the server refuses is said in one line beside the form.
  function runNamed(q, params, view) {
    status.textContent = t.running;
    var query = new URLSearchParams(params);
    return fetch(config.api + encodeURIComponent(q.name) + "?" + query.toString(), {
      headers: { Accept: "application/sparql-query" },
    }).then(function (answer) {
      return answer.text().then(function (text) {
        if (!answer.ok) {
          status.textContent = t.failed + " " + answer.status + ": " + text.trim();
          return;
        }
        status.textContent = "";
        namedPending = { name: q.name, params: params, text: text };
        viewWanted = view || q.view || (q.kind === "graph" ? "graph" : q.kind === "select" ? "auto" : null);
        tab().setQuery(text);
        namedPending.text = tab().getYasqe().getValue();
        return tab().getYasqe().query().catch(function () {});
      });
    }).catch(function (error) { status.textContent = String(error.message || error); });
  }
  function formParams() {
    var params = [];
    Array.prototype.forEach.call(paramsBox.querySelectorAll("input[data-param]"), function (input) {
      if (input.value.trim() !== "") params.push([input.getAttribute("data-param"), input.value.trim()]);
    });
    return params;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = byName[select.value];
    if (q) runNamed(q, formParams());
  });
  document.getElementById("kg-named-edit").addEventListener("click", function () {
    var q = byName[select.value];
    if (q) tab().setQuery(q.text);
  });

  // --- Opening: the address first (a shared link), else what this browser ran last -----------------------------------
  function choose(name, values) {
    select.value = name;
    var byParam = {};
    values.forEach(function (pair) { byParam[pair[0]] = pair[1]; });
    showParams(byParam);
  }
  var given = new URLSearchParams(location.search);
  var givenView = given.get("view");
  // An address that opens on the chart says which kind it is (or leaves it to the answer), whatever this browser kept.
  if (givenView === "chart") {
    var givenChart = CHART_TYPES.indexOf(given.get("chart")) >= 0 ? given.get("chart") : undefined;
    yasr().storePluginConfig("chart", { type: givenChart });
  }
  var last = lastRun();
  if (given.get("name") && byName[given.get("name")]) {
    var values = [];
    given.forEach(function (value, key) { if (RESERVED.indexOf(key) < 0) values.push([key, value]); });
    choose(given.get("name"), values);
    runNamed(byName[given.get("name")], values, givenView);
  } else if (given.get("query")) {
    select.value = "";
    tab().setQuery(given.get("query"));
    viewWanted = givenView || "auto";
    tab().getYasqe().query().catch(function () {});
  } else {
    if (last && last.name && byName[last.name]) choose(last.name, last.params || []);
    showDownloads(last);
    if (last) showAddress(last, yasr().getSelectedPluginName());
  }
  translateAll();

  window.kgQuery = {
    yasgui: yasgui,
    config: config,
    graph: function () { return window.KgGraph.current; },
    runNamed: function (name, params) { return runNamed(byName[name], params || []); },
    address: function () { return location.pathname + location.search; },
  };
  document.body.setAttribute("data-ready", "true");
})();
