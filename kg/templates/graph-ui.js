// The parts of a graph drawing that the project renderer's pages (graph.js; kg/render.py inlines this before it) and the
// query page's Graph view (kg/serve/static/yasr-graph.js; kg serve gives this at /static/graph-ui.js) share: the element
// builder, the summary on hover, and the side panel's sections, links and properties, as window.kgGraphUI.
// Data is written into the page only as text (textContent), never as HTML.
(function () {
  "use strict";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function localName(iri) {
    var m = /[^#\/:]+$/.exec(String(iri).replace(/[\/#]+$/, ""));
    return m ? m[0] : String(iri);
  }

  // --- Hover summary -------------------------------------------------------------------------------------------------
  // content(id) is shown in the tooltip beside the pointer on a node; the tooltip hides when it leaves or drags.
  function hoverSummary(network, tooltip, content) {
    network.on("hoverNode", function (params) {
      tooltip.replaceChildren(content(params.node));
      tooltip.style.left = params.pointer.DOM.x + 14 + "px";
      tooltip.style.top = params.pointer.DOM.y + 14 + "px";
      tooltip.hidden = false;
    });
    network.on("blurNode", function () { tooltip.hidden = true; });
    network.on("dragStart", function () { tooltip.hidden = true; });
  }

  // --- Side panel ----------------------------------------------------------------------------------------------------
  // A button with a node's name that calls go() when clicked.
  function linkButton(text, go) {
    var button = el("button", text, "link");
    button.type = "button";
    button.addEventListener("click", go);
    return button;
  }
  // A heading and a list of the items, or null without items.
  function section(title, items) {
    if (!items.length) return null;
    var frag = document.createDocumentFragment();
    frag.appendChild(el("h3", title));
    var list = el("ul");
    items.forEach(function (item) { list.appendChild(item); });
    frag.appendChild(list);
    return frag;
  }
  // A link: its property with an arrow its way, then the node at its other end (a linkButton).
  function linkItem(property, outgoing, button) {
    var li = el("li");
    li.appendChild(el("span", property + (outgoing ? " → " : " ← "), "prop"));
    li.appendChild(button);
    return li;
  }
  // A property and its value, with the value's language tag if it has one: lit is [property IRI, value, tag].
  function literalItem(property, lit) {
    var li = el("li");
    li.appendChild(el("span", property + ": ", "prop"));
    li.appendChild(el("span", lit[1]));
    if (lit[2]) li.appendChild(el("span", " @" + lit[2], "lang"));
    return li;
  }
  // Select a node and bring it to the middle, at least a little larger than it was.
  function centre(network, id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
  }

  window.kgGraphUI = {
    el: el, localName: localName, hoverSummary: hoverSummary, linkButton: linkButton, section: section,
    linkItem: linkItem, literalItem: literalItem, centre: centre,
  };
})();
