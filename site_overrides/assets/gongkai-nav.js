/* gongkai: the one-page text's 打印全文 button (shown only where a script can press it for the
   reader; the browser's own print works everywhere). Every page loads this file (mkdocs.yml): a
   page's own content carries no script. */
(function () {
  "use strict";
  var button = document.querySelector("button.gk-print");
  if (!button || typeof window.print !== "function") { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
