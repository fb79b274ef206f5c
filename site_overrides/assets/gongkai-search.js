/* gongkai: the search page. Pagefind's index is split into small files fetched per query, so a phone
   downloads only what a query needs; everything is served by the site itself. */
(function () {
  "use strict";
  if (!window.PagefindUI) { return; }
  var ui = new window.PagefindUI({
    element: "#gk-search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    excerptLength: 40,
    translations: {
      placeholder: "搜索部门、科目、名词或金额",
      clear_search: "清除",
      load_more: "更多结果",
      search_label: "搜索本站",
      filters_label: "筛选",
      zero_results: "没有找到“[SEARCH_TERM]”",
      many_results: "找到 [COUNT] 个结果：[SEARCH_TERM]",
      one_result: "找到 1 个结果：[SEARCH_TERM]",
      alt_search: "没有找到“[SEARCH_TERM]”，显示“[DIFFERENT_TERM]”的结果",
      search_suggestion: "没有找到“[SEARCH_TERM]”，可以换个词试试",
      searching: "正在搜索“[SEARCH_TERM]”……"
    },
    processResult: function (result) {
      // Which bureau, year and kind of document a result is from, ahead of its title.
      var meta = result.meta || {};
      var where = [meta["部门"], meta["年度"] && meta["年度"] + "年", meta["类型"]].filter(Boolean).join(" · ");
      if (where) { result.meta.title = where + "：" + (meta.title || ""); }
      return result;
    }
  });
  // The index splits Chinese into words at build time. When a query finds nothing as typed (the
  // index split a term differently), try it again in two-character words, then in characters.
  function looser(term) {
    var pairs = term.replace(/[\u4e00-\u9fff]{3,}/g, function (run) {
      var parts = [];
      for (var i = 0; i < run.length; i += 2) { parts.push(run.slice(i, i + 2)); }
      if (parts.length > 1 && parts[parts.length - 1].length === 1) { parts[parts.length - 2] += parts.pop(); }
      return parts.join(" ");
    });
    if (pairs !== term) { return pairs; }
    var chars = term.replace(/[\u4e00-\u9fff]{2,}/g, function (run) { return run.split("").join(" "); });
    return chars !== term ? chars : null;
  }
  var box = document.getElementById("gk-search");
  new MutationObserver(function () {
    var message = box.querySelector(".pagefind-ui__message");
    var input = box.querySelector(".pagefind-ui__search-input");
    if (!message || !input || !/^没有找到/.test(message.textContent)) { return; }
    var next = looser(input.value.trim());
    if (next) { ui.triggerSearch(next); }
  }).observe(box, { childList: true, subtree: true, characterData: true });

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
