/* gongkai: show a glossary term's definition on tap (phones have no hover). */
(function () {
  "use strict";
  var open = null;

  function close() {
    if (open) { open.remove(); open = null; }
  }

  function show(link) {
    close();
    var box = document.createElement("div");
    box.className = "gk-popover";
    box.setAttribute("role", "tooltip");
    var text = document.createElement("p");
    text.textContent = link.getAttribute("data-definition");
    var more = document.createElement("a");
    more.href = link.href;
    more.textContent = "查看名词解释";
    box.appendChild(text);
    box.appendChild(more);
    document.body.appendChild(box);
    var rect = link.getBoundingClientRect();
    var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8));
    box.style.left = left + "px";
    box.style.top = (rect.bottom + window.scrollY + 6) + "px";
    open = box;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.gk-term") : null;
    if (link && window.matchMedia("(hover: none)").matches && (!open || open.dataset.for !== link.href)) {
      event.preventDefault();
      show(link);
      open.dataset.for = link.href;
      return;
    }
    if (!event.target.closest || !event.target.closest(".gk-popover")) { close(); }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
})();

/* gongkai: filter the home page's directory by region, year and kind; the choice is kept in the URL. */
(function () {
  "use strict";
  var form = document.querySelector("form.gk-filter");
  if (!form) { return; }
  var names = ["region", "year", "kind"];
  var count = form.querySelector(".gk-filter-count");
  var empty = document.querySelector(".gk-filter-empty");
  var params = new URLSearchParams(window.location.search);
  names.forEach(function (name) {
    var wanted = params.get(name);
    if (wanted && form.elements[name].querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
      form.elements[name].value = wanted;
    }
  });

  function apply() {
    var region = form.elements.region.value, year = form.elements.year.value, kind = form.elements.kind.value;
    var shown = 0;
    document.querySelectorAll(".gk-bureaus > li").forEach(function (bureau) {
      var inRegion = !region || (bureau.dataset.region + "/").indexOf(region + "/") === 0;
      var any = false;
      bureau.querySelectorAll(".gk-docs > li").forEach(function (doc) {
        var match = inRegion && (!year || doc.dataset.year === year) && (!kind || doc.dataset.kind === kind);
        doc.hidden = !match;
        if (match) { any = true; shown += 1; }
      });
      bureau.hidden = !any;
    });
    document.querySelectorAll(".gk-directory section").forEach(function (section) {
      section.hidden = !section.querySelector(".gk-bureaus > li:not([hidden])");
    });
    count.textContent = "共 " + shown + " 份文件";
    empty.hidden = shown !== 0;
    var query = new URLSearchParams();
    names.forEach(function (name) { if (form.elements[name].value) { query.set(name, form.elements[name].value); } });
    var search = query.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  apply();
})();

/* gongkai: the one-page text's 打印全文 button (shown only where a script can press it for the
   reader; the browser's own print works everywhere). Every page loads gongkai.js: a
   page's own content carries no script. */
(function () {
  "use strict";
  var button = document.querySelector("button.gk-print");
  if (!button || typeof window.print !== "function") { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
