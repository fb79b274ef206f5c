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
