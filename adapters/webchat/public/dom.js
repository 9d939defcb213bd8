/*
 * DOM helpers shared by the operator console and the needs report (not by the widget, which must stand alone on
 * other sites). Text only ever goes in through textContent: nothing a person or an operator wrote becomes HTML.
 */
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  window.OrientaDom = { el: el, clear: clear };
})();
