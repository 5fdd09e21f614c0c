// The search box's suggestions (home and search pages): as the reader types, ask /suggest and list what it offers,
// each a link to the node's page. Text goes into the page with textContent only; only this server's paths are linked.
(function () {
  "use strict";
  var input = document.getElementById("kg-q");
  var list = document.getElementById("kg-suggest");
  if (!input || !list) return;
  var lang = input.getAttribute("data-lang") || "en";
  var timer = null;
  var asked = 0;
  var chosen = -1;

  function close() {
    list.hidden = true;
    list.textContent = "";
    chosen = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function local(path) {
    return typeof path === "string" && path.charAt(0) === "/" && path.charAt(1) !== "/";
  }

  function show(items) {
    list.textContent = "";
    chosen = -1;
    items.forEach(function (item, i) {
      if (!local(item.href)) return;
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "kg-suggest-" + i;
      var a = document.createElement("a");
      a.href = item.href;
      var name = document.createElement("span");
      name.className = "kg-s-name";
      name.textContent = item.label + (item.matched && item.matched !== item.label ? " (" + item.matched + ")" : "");
      var cls = document.createElement("span");
      cls.className = "kg-s-class";
      cls.textContent = item["class"] || "";
      a.appendChild(name);
      a.appendChild(cls);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = !list.children.length;
    input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
  }

  function ask() {
    var text = input.value.trim();
    if (!text) return close();
    var mine = ++asked;
    fetch("/suggest?" + new URLSearchParams({ q: text, lang: lang }), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) { if (mine === asked) show(items); })
      .catch(function () { close(); });
  }

  function move(step) {
    var options = list.children;
    if (!options.length) return;
    if (chosen >= 0) options[chosen].removeAttribute("aria-selected");
    chosen = (chosen + step + options.length) % options.length;
    options[chosen].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[chosen].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 80);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && chosen >= 0) {
      event.preventDefault();
      window.location.assign(list.children[chosen].querySelector("a").getAttribute("href"));
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) close();
  });
})();
