(function () {
  "use strict";
  var esc = window.CSS && CSS.escape ? CSS.escape : function (s) { return s; };
  function quoteParts(id) {
    return document.querySelectorAll('[data-quote-id="' + esc(id) + '"], [data-quote-ref="' + esc(id) + '"]');
  }
  var hot = null;
  function heat(id) {
    if (hot === id) return;
    if (hot) quoteParts(hot).forEach(function (el) { el.classList.remove("hot"); });
    hot = id;
    if (id) quoteParts(id).forEach(function (el) { el.classList.add("hot"); });
  }
  document.addEventListener("mouseover", function (event) {
    var el = event.target.closest && event.target.closest("[data-quote-id], [data-quote-ref]");
    heat(el ? (el.getAttribute("data-quote-id") || el.getAttribute("data-quote-ref")) : null);
  });
  function flash() {
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var id = target && target.getAttribute("data-quote-id");
    if (!id) return;
    document.querySelectorAll('[data-quote-id="' + esc(id) + '"]').forEach(function (el) {
      el.classList.remove("flash"); void el.offsetWidth; el.classList.add("flash");
    });
  }
  window.addEventListener("hashchange", flash);
  var tip = document.getElementById("tip");
  var text = document.getElementById("text");
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[title]");
    if (!tip || !text || !el || !text.contains(el) || el.tagName === "A") { if (tip) tip.hidden = true; return; }
    tip.textContent = el.getAttribute("title");
    tip.hidden = false;
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && tip) tip.hidden = true; });
})();
