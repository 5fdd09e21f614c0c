// A node page's drawing: the project renderer's script (graph.js) draws the neighbourhood; this opens the page of a
// node when it is double-clicked. Only paths of this server are followed (the server gives them in #kg-links).
(function () {
  "use strict";
  var source = document.getElementById("kg-links");
  if (!source || !window.kg) return;
  var links = JSON.parse(source.textContent);
  window.kg.network.on("doubleClick", function (params) {
    var target = params.nodes.length ? links[params.nodes[0]] : null;
    if (typeof target === "string" && target.charAt(0) === "/" && target.charAt(1) !== "/") {
      window.location.assign(target);
    }
  });
})();
