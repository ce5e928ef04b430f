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
  // The details of a marked passage (its title) show in the tip box on tap and on keyboard
  // focus; the box is a polite live region, so screen readers announce them too.
  var tip = document.getElementById("tip");
  var text = document.getElementById("text");
  function explain(el) {
    if (!tip) return;
    if (el && el.getAttribute("title")) {
      tip.textContent = el.getAttribute("title");
      tip.hidden = false;
    } else {
      tip.hidden = true;
    }
  }
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[title]");
    explain(el && text && text.contains(el) && el.tagName !== "A" ? el : null);
  });
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    explain(el.hasAttribute && el.hasAttribute("title") ? el : null);
    var quote = el.closest && el.closest("[data-quote-id], [data-quote-ref]");
    heat(quote ? (quote.getAttribute("data-quote-id") || quote.getAttribute("data-quote-ref")) : null);
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && tip) tip.hidden = true; });
})();
