// The query page's "Timeline" (时间线) and "Chart" (图表) views: YASR plugins for SELECT answers. The timeline lists
// the rows in date order under their years, each row's values in the page's language (IRIs by their labels, linked to
// their pages; web addresses as links). The chart draws each numeric column against the row's label as bars or a line
// (Chart.js, vendored at /static/vendor/chartjs), each series named by its column's title in the page's language, a
// series of another scale (a count beside a share, 亿元 beside yuan) on a second axis of its own. The page chooses one of them when an answer fits it (query.js), or a
// named query names it (#+ defaultView: timeline). Data is written into the page only as text (textContent, canvas).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var t = config.strings;
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var DATES = ["date", "dateTime", "gYear", "gYearMonth"].map(function (name) { return XSD + name; });
  var NUMBERS = ["integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"].map(function (name) {
    return XSD + name;
  });
  var URL_TEXT = /^https?:\/\/[^\s<>"']+$/;
  var MOST_BARS = 200;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function bindingsOf(yasr) {
    var results = yasr.results;
    if (!results || results.hasError() || results.getType() === "ttl") return null;
    return results.getBindings() || null;
  }
  // The variables whose every value passes ``test`` (at least one row has a value).
  function columns(yasr, test) {
    var rows = bindingsOf(yasr) || [];
    return yasr.results.getVariables().filter(function (v) {
      var values = rows.map(function (b) { return b[v]; }).filter(Boolean);
      return values.length > 0 && values.every(test);
    });
  }
  function isDate(term) { return term.type !== "uri" && DATES.indexOf(term.datatype) >= 0; }
  function isNumber(term) { return term.type !== "uri" && NUMBERS.indexOf(term.datatype) >= 0; }
  function dateColumn(yasr) { return columns(yasr, isDate)[0] || null; }
  function numberColumns(yasr) { return columns(yasr, isNumber); }
  // The column that names each row in a chart: the first that holds neither numbers nor only dates, else the dates.
  function labelColumn(yasr, numbers) {
    var rest = yasr.results.getVariables().filter(function (v) { return numbers.indexOf(v) < 0; });
    return rest[0] || null;
  }
  function fitsTimeline(yasr) {
    var rows = bindingsOf(yasr);
    return !!rows && rows.length > 1 && !!dateColumn(yasr) && yasr.results.getVariables().length > 1;
  }
  function fitsChart(yasr) {
    var rows = bindingsOf(yasr);
    if (!rows || rows.length < 2 || rows.length > MOST_BARS) return false;
    var numbers = numberColumns(yasr);
    return numbers.length > 0 && !!labelColumn(yasr, numbers);
  }

  // The words of a row in the page's language: a literal tagged with the other language is left out where the row
  // has one in this language; the same words are said once.
  function wanted(tag) {
    var lang = (tag || "").toLowerCase();
    return config.lang === "zh" ? lang.indexOf("zh") === 0 : lang.indexOf("en") === 0;
  }
  function rowTerms(binding, vars) {
    var terms = vars.map(function (v) { return [v, binding[v]]; }).filter(function (pair) { return pair[1]; });
    var hasOwn = terms.some(function (pair) { return pair[1]["xml:lang"] && wanted(pair[1]["xml:lang"]); });
    return terms.filter(function (pair) { return !(hasOwn && pair[1]["xml:lang"] && !wanted(pair[1]["xml:lang"])); });
  }
  function iriText(iri, known) {
    var found = known[iri];
    return (found && found.label) || iri.replace(/^.*[\/#]/, "") || iri;
  }
  function valueNode(term, known) {
    if (term.type === "uri") {
      var link = el("a", iriText(term.value, known), "iri");
      link.href = window.KgGraph.pagePath(term.value);
      link.title = term.value;
      return link;
    }
    if (URL_TEXT.test(term.value)) {
      var out = el("a", term.value.replace(/^https?:\/\/(www\.)?/, "").replace(/\/$/, ""), "url");
      out.href = term.value;
      out.target = "_blank";
      out.rel = "noopener noreferrer";
      return out;
    }
    return el("span", term.value);
  }
  function irisOf(rows) {
    var iris = [];
    rows.forEach(function (b) {
      Object.keys(b).forEach(function (v) { if (b[v].type === "uri") iris.push(b[v].value); });
    });
    return iris;
  }
  // A view's icon: not a <span>, which YASR hides in a narrow window (under 768 px it shows icons alone).
  function icon(letters) {
    var wrap = document.createElement("div");
    wrap.appendChild(el("b", letters, "kg-view-icon"));
    return wrap;
  }

  // --- The timeline ------------------------------------------------------------------------------------------------
  function Timeline(yasr) {
    this.yasr = yasr;
    this.label = t.timeline;
    this.priority = 4;
  }
  Timeline.prototype.canHandleResults = function () { return !!bindingsOf(this.yasr) && !!dateColumn(this.yasr); };
  Timeline.prototype.getIcon = function () { return icon("⋮"); };
  Timeline.prototype.draw = function () {
    var yasr = this.yasr;
    var rows = (bindingsOf(yasr) || []).slice();
    var date = dateColumn(yasr);
    var vars = yasr.results.getVariables().filter(function (v) { return v !== date; });
    rows.sort(function (a, b) { return (a[date] ? a[date].value : "~").localeCompare(b[date] ? b[date].value : "~"); });
    var view = el("div", null, "kg-views kg-timeline");
    view.setAttribute("data-drawn", "false");
    yasr.resultsEl.appendChild(view);
    return window.KgGraph.describe(irisOf(rows)).catch(function () { return {}; }).then(function (known) {
      var year = null;
      var list = null;
      rows.forEach(function (binding) {
        var when = binding[date] ? binding[date].value : "";
        var thisYear = when ? when.replace(/^(-?\d{4}).*$/, "$1") : t.undated;
        if (thisYear !== year) {
          year = thisYear;
          view.appendChild(el("h3", year, "kg-timeline-year"));
          list = el("ol", null, "kg-timeline-list");
          view.appendChild(list);
        }
        var item = el("li", null, "kg-timeline-item");
        item.appendChild(el("time", when, "kg-timeline-date"));
        var what = el("span", null, "kg-timeline-what");
        var said = {};
        rowTerms(binding, vars).forEach(function (pair) {
          var node = valueNode(pair[1], known);
          if (said[node.textContent]) return;
          said[node.textContent] = true;
          node.setAttribute("data-var", pair[0]);
          what.appendChild(node);
        });
        item.appendChild(what);
        list.appendChild(item);
      });
      view.setAttribute("data-drawn", "true");
    });
  };

  // --- The chart ---------------------------------------------------------------------------------------------------
  var PALETTE = ["#3b6ea8", "#d9822b", "#4f9a5b", "#b5485d", "#7a5fa8", "#8a7a3a"];
  function Chart(yasr) {
    this.yasr = yasr;
    this.label = t.chart;
    this.priority = 3;
    this.chart = null;
    this.persistentConfig = {};
  }
  Chart.prototype.canHandleResults = function () {
    var rows = bindingsOf(this.yasr);
    if (!rows || !rows.length) return false;
    var numbers = numberColumns(this.yasr);
    return numbers.length > 0 && !!labelColumn(this.yasr, numbers);
  };
  Chart.prototype.getIcon = function () { return icon("▮"); };
  Chart.prototype.destroy = function () {
    if (this.chart) this.chart.destroy();
    this.chart = null;
    Chart.current = null;

  // A column's title in the page's language: the page's (query.js sets it: the named query's titles), else the
  // variable's name without its language suffix, its underscores as spaces.
  function titleOf(v) {
    return window.KgViews.title ? window.KgViews.title(v) : v.replace(/_(en|zh)$/, "").replace(/_/g, " ");
  }
  // The size of a series: its largest value, whatever the sign (0 when it has none).
  function magnitude(set) {
    return set.data.reduce(function (most, n) { return n === null || isNaN(n) ? most : Math.max(most, Math.abs(n)); }, 0);
  }
  // The axis of each series: the first on the left ("y"); a series ten times larger or smaller than the first on an
  // axis of its own on the right ("y2"), where every series of its scale joins it; at most these two.
  var APART = 1;  // orders of magnitude (log10) between two series that do not share an axis
  function scaleAxes(datasets) {
    var sizes = datasets.map(function (set) { return Math.log10(magnitude(set) || 1); });
    var right = null;
    return sizes.map(function (size, i) {
      if (i === 0 || Math.abs(size - sizes[0]) < APART) return "y";
      if (right === null) right = size;
      return Math.abs(size - right) <= Math.abs(size - sizes[0]) ? "y2" : "y";
    });
  }
  // The numbers of an axis as the page's language writes them short (12,643 亿 → 1.3万亿; 1,264,300,000,000 → 1.3T).
  var SHORT = new Intl.NumberFormat(config.lang === "zh" ? "zh-CN" : "en", { notation: "compact", maximumFractionDigits: 2 });
  function axis(datasets, id, type, position) {
    var on = datasets.filter(function (set) { return set.yAxisID === id; });
    return {
      position: position,
      beginAtZero: type === "bar",
      title: { display: true, text: on.map(function (set) { return set.label; }).join(" · ") },
      ticks: { callback: function (value) { return SHORT.format(value); }, precision: counts(on) ? 0 : undefined },
      grid: { drawOnChartArea: position === "left" },
    };
  }
  // Whether the series hold whole numbers only (counts): their axis then steps by whole numbers, never 0.2.
  function counts(datasets) {
    return datasets.every(function (set) { return set.data.every(function (n) { return n === null || Number.isInteger(n); }); });
  }
  // The chart's axes: the rows' labels across, titled by their column; one or two value axes titled by their series.
  function scales(datasets, type, across) {
    var out = { x: { title: { display: !!across, text: across } }, y: axis(datasets, "y", type, "left") };
    if (datasets.some(function (set) { return set.yAxisID === "y2"; })) out.y2 = axis(datasets, "y2", type, "right");
    return out;
  }
  };
  Chart.prototype.draw = function (persistent) {
    var self = this;
    var yasr = this.yasr;
    this.persistentConfig = Object.assign({}, this.persistentConfig, persistent || {});
    var rows = (bindingsOf(yasr) || []).slice(0, MOST_BARS);
    var numbers = numberColumns(yasr);
    var label = labelColumn(yasr, numbers);
    var dated = rows.length > 0 && rows.every(function (b) { return !b[label] || isDate(b[label]); });
    var type = this.persistentConfig.type || (dated ? "line" : "bar");
    var view = el("div", null, "kg-views kg-chart");
    view.setAttribute("data-drawn", "false");
    var controls = el("div", null, "kg-chart-controls");
    [["bar", t.bar], ["line", t.line]].forEach(function (choice) {
      var button = el("button", choice[1]);
      button.type = "button";
      button.setAttribute("data-type", choice[0]);
      button.setAttribute("aria-pressed", String(choice[0] === type));
      button.addEventListener("click", function () {
        self.persistentConfig.type = choice[0];
        yasr.storePluginConfig("chart", self.persistentConfig);
        yasr.draw();
      });
      controls.appendChild(button);
    });
    var box = el("div", null, "kg-chart-box");
    var canvas = document.createElement("canvas");
    box.appendChild(canvas);
    view.appendChild(controls);
    view.appendChild(box);
    yasr.resultsEl.appendChild(view);
    return window.KgGraph.describe(irisOf(rows)).catch(function () { return {}; }).then(function (known) {
      var labels = rows.map(function (b) {
        var term = b[label];
        return !term ? "" : term.type === "uri" ? iriText(term.value, known) : term.value;
      });
      var datasets = numbers.map(function (v, i) {
        return {
          label: titleOf(v),
          variable: v,
          data: rows.map(function (b) { return b[v] ? Number(b[v].value) : null; }),
          backgroundColor: PALETTE[i % PALETTE.length],
          borderColor: PALETTE[i % PALETTE.length],
        };
      });
      var axes = scaleAxes(datasets);
      datasets.forEach(function (set, i) { set.yAxisID = axes[i]; });
      if (self.chart) self.chart.destroy();
      self.chart = new window.Chart(canvas, {
        type: type,
        data: { labels: labels, datasets: datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: datasets.length > 1 } },
          scales: scales(datasets, type, titleOf(label)),
        },
      });
      Chart.current = { chart: self.chart, type: type, labels: labels, datasets: datasets, across: titleOf(label) };
      view.setAttribute("data-drawn", "true");
    });
  };
  Chart.current = null;

  // A column's title in the page's language: the page's (query.js sets it: the named query's titles), else the
  // variable's name without its language suffix, its underscores as spaces.
  function titleOf(v) {
    return window.KgViews.title ? window.KgViews.title(v) : v.replace(/_(en|zh)$/, "").replace(/_/g, " ");
  }
  // The size of a series: its largest value, whatever the sign (0 when it has none).
  function magnitude(set) {
    return set.data.reduce(function (most, n) { return n === null || isNaN(n) ? most : Math.max(most, Math.abs(n)); }, 0);
  }
  // The axis of each series: the first on the left ("y"); a series ten times larger or smaller than the first on an
  // axis of its own on the right ("y2"), where every series of its scale joins it; at most these two.
  var APART = 1;  // orders of magnitude (log10) between two series that do not share an axis
  function scaleAxes(datasets) {
    var sizes = datasets.map(function (set) { return Math.log10(magnitude(set) || 1); });
    var right = null;
    return sizes.map(function (size, i) {
      if (i === 0 || Math.abs(size - sizes[0]) < APART) return "y";
      if (right === null) right = size;
      return Math.abs(size - right) <= Math.abs(size - sizes[0]) ? "y2" : "y";
    });
  }
  // The numbers of an axis as the page's language writes them short (12,643 亿 → 1.3万亿; 1,264,300,000,000 → 1.3T).
  var SHORT = new Intl.NumberFormat(config.lang === "zh" ? "zh-CN" : "en", { notation: "compact", maximumFractionDigits: 2 });
  function axis(datasets, id, type, position) {
    var on = datasets.filter(function (set) { return set.yAxisID === id; });
    return {
      position: position,
      beginAtZero: type === "bar",
      title: { display: true, text: on.map(function (set) { return set.label; }).join(" · ") },
      ticks: { callback: function (value) { return SHORT.format(value); }, precision: counts(on) ? 0 : undefined },
      grid: { drawOnChartArea: position === "left" },
    };
  }
  // Whether the series hold whole numbers only (counts): their axis then steps by whole numbers, never 0.2.
  function counts(datasets) {
    return datasets.every(function (set) { return set.data.every(function (n) { return n === null || Number.isInteger(n); }); });
  }
  // The chart's axes: the rows' labels across, titled by their column; one or two value axes titled by their series.
  function scales(datasets, type, across) {
    var out = { x: { title: { display: !!across, text: across } }, y: axis(datasets, "y", type, "left") };
    if (datasets.some(function (set) { return set.yAxisID === "y2"; })) out.y2 = axis(datasets, "y2", type, "right");
    return out;
  }

  window.KgViews = {
    Timeline: Timeline, Chart: Chart, fitsTimeline: fitsTimeline, fitsChart: fitsChart, scaleAxes: scaleAxes, title: null,
  };
})();
