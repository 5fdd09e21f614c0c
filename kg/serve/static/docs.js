// The API docs page: Swagger UI over this server's /openapi.json, offline, in the page's language. Swagger UI's
// validator badge (which would send the document to another host) is off, and so are deep links; "Try it out" calls
// this server's /api.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-docs-config").textContent);

  // --- Swagger UI's own words in the page's language -----------------------------------------------------------------
  // Swagger UI writes its controls in English. Where the page is Chinese, each text and each title, placeholder and
  // aria-label it draws is looked up in config.ui (whole words) and config.ui_patterns (words around a value) and
  // replaced as it appears, so that the bundle itself stays as published. What the API answers, the paths, parameter
  // names and the code shown are left as they are.
  var DATA = "pre, code, textarea, input, select, .opblock-summary-path, .parameter__name, " +
    ".info .url, #kg-lang a[data-lang]";
  var ATTRIBUTES = ["title", "placeholder", "aria-label"];
  var patterns = Object.keys(config.ui_patterns).map(function (source) {
    return [new RegExp(source), config.ui_patterns[source]];
  });
  function has(key) { return Object.prototype.hasOwnProperty.call(config.ui, key); }
  function translated(text) {
    var trimmed = text.trim();
    if (!trimmed) return null;
    if (has(trimmed)) return text.replace(trimmed, config.ui[trimmed]);
    for (var i = 0; i < patterns.length; i++) {
      var match = patterns[i][0].exec(trimmed);
      if (match) {
        return patterns[i][1].replace(/\{(\d)\}/g, function (_all, n) {
          var value = match[Number(n) + 1];
          return has(value) ? config.ui[value] : value;
        });
      }
    }
    return null;
  }
  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach(function (node) {
      var parent = node.parentElement;
      if (!parent || parent.closest(DATA)) return;
      var words = translated(node.nodeValue);
      if (words !== null && words !== node.nodeValue) node.nodeValue = words;
    });
    if (has("required")) {  // the word Swagger UI's stylesheet writes after the name of a required parameter
      Array.prototype.forEach.call(root.querySelectorAll(".parameter__name.required"), function (element) {
        if (element.getAttribute("data-kg-required") !== config.ui.required) {
          element.setAttribute("data-kg-required", config.ui.required);
        }
      });
    }
    Array.prototype.forEach.call(root.querySelectorAll("[title], [placeholder], [aria-label]"), function (element) {
      if (element.closest("#kg-lang")) return;
      ATTRIBUTES.forEach(function (name) {
        var value = element.getAttribute(name);
        var words = value === null ? null : translated(value);
        if (words !== null && words !== value) element.setAttribute(name, words);
      });
    });
  }
  var root = document.getElementById("swagger-ui");
  if (Object.keys(config.ui).length) {
    var translating = false;
    new MutationObserver(function () {
      if (translating) return;
      translating = true;
      try { translate(root); } finally { translating = false; }
    }).observe(root, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
    });
  }

  window.kgDocs = SwaggerUIBundle({
    url: config.url,
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: false,
    tryItOutEnabled: false,
    withCredentials: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: function () {
      translate(root);
      document.body.setAttribute("data-ready", "true");
    },
  });
})();
