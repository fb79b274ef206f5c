/* gongkai: 科目 tables a reader can work with: fold 类/款/项, filter by 科目 and sort by a column.
   Progressive enhancement: without this script every table is shown whole, in the printed order. */
(function () {
  "use strict";

  function level(code) { return Math.max(0, Math.floor((code.length - 3) / 2)); }

  /* The column index of each header cell, spans taken into account. */
  function headerColumns(thead) {
    var taken = [], out = [];
    var heads = Array.prototype.filter.call(thead.rows, function (row) { return !row.classList.contains("gk-colno"); });
    heads.forEach(function (row, r) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (taken[r] && taken[r][column]) { column += 1; }
        for (var dr = 0; dr < cell.rowSpan; dr += 1) {
          for (var dc = 0; dc < cell.colSpan; dc += 1) {
            taken[r + dr] = taken[r + dr] || [];
            taken[r + dr][column + dc] = true;
          }
        }
        out.push({ cell: cell, column: column, leaf: r + cell.rowSpan === heads.length && cell.colSpan === 1 });
        column += cell.colSpan;
      });
    });
    return out;
  }

  function number(text) {
    var value = parseFloat(text.replace(/,/g, ""));
    return isNaN(value) ? null : value;
  }

  function enhance(table, index) {
    var body = table.tBodies[0];
    var rows = Array.prototype.filter.call(body.rows, function (row) { return row.querySelector("td.gk-code"); });
    if (rows.length < 2) { return; }
    var items = rows.map(function (row, i) {
      var code = row.querySelector("td.gk-code").textContent.trim();
      var name = row.querySelector("th.gk-item");
      return { row: row, code: code, name: name ? name.textContent.trim() : "", order: i, folded: false, filtered: false };
    });
    var status = document.createElement("span");
    status.className = "gk-table-status";
    status.setAttribute("aria-live", "polite");

    function descendants(item) {
      return items.filter(function (other) { return other !== item && other.code.length > item.code.length && other.code.indexOf(item.code) === 0; });
    }

    function show() {
      var shown = 0;
      items.forEach(function (item) {
        item.row.hidden = item.folded || item.filtered;
        if (!item.row.hidden) { shown += 1; }
      });
      status.textContent = "显示 " + shown + " / " + items.length + " 行";
    }

    function setFold(item, open) {
      var button = item.row.querySelector("button.gk-fold");
      if (!button) { return; }
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "▾" : "▸";
      descendants(item).forEach(function (child) {
        child.folded = !open;
        var inner = child.row.querySelector("button.gk-fold");
        if (inner && open) { inner.setAttribute("aria-expanded", "true"); inner.textContent = "▾"; }
      });
    }

    /* Fold buttons on the rows that have lower levels under them. */
    items.forEach(function (item) {
      if (!item.name || level(item.code) >= 2 || !descendants(item).length) { return; }
      var th = item.row.querySelector("th.gk-item");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gk-fold";
      button.setAttribute("aria-expanded", "true");
      button.setAttribute("aria-label", "折叠或展开 " + item.code + " " + item.name + " 的下级科目");
      button.textContent = "▾";
      button.addEventListener("click", function () { setFold(item, button.getAttribute("aria-expanded") !== "true"); show(); });
      th.insertBefore(button, th.firstChild);
    });

    /* Filter by 科目编码 or 科目名称; the 类 and 款 above a match stay, to say where it belongs. */
    var tools = document.createElement("div");
    tools.className = "gk-table-tools";
    if (table.id) { tools.setAttribute("data-table", table.id); }
    var label = document.createElement("label");
    var inputId = "gk-filter-" + index;
    label.setAttribute("for", inputId);
    label.textContent = "筛选科目：";
    var input = document.createElement("input");
    input.type = "search";
    input.id = inputId;
    input.placeholder = "编码或名称";
    input.addEventListener("input", function () {
      var wanted = input.value.trim();
      var keep = {};
      items.forEach(function (item) {
        if (!wanted || item.code.indexOf(wanted) !== -1 || item.name.indexOf(wanted) !== -1) {
          keep[item.code] = true;
          for (var n = 3; n < item.code.length; n += 2) { keep[item.code.slice(0, n)] = true; }
        }
      });
      items.forEach(function (item) { item.filtered = !keep[item.code]; if (wanted) { item.folded = false; } });
      show();
    });
    function foldAll(open) {
      return function () {
        items.forEach(function (item) { if (level(item.code) === 0 || !open) { setFold(item, open); } });
        if (open) { items.forEach(function (item) { item.folded = false; }); }
        show();
      };
    }
    var collapse = document.createElement("button");
    collapse.type = "button";
    collapse.textContent = "只看类级";
    collapse.addEventListener("click", foldAll(false));
    var expand = document.createElement("button");
    expand.type = "button";
    expand.textContent = "全部展开";
    expand.addEventListener("click", foldAll(true));
    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(collapse);
    tools.appendChild(expand);
    tools.appendChild(status);
    var box = table.closest(".gk-scroll");
    box.parentNode.insertBefore(tools, box);

    /* Sort by a column: a button in each leaf header; a third press restores the printed order. */
    // Rows above the 科目 (合计) and below them (footer) stay where they are.
    var end = rows[rows.length - 1].nextSibling;
    headerColumns(table.tHead).forEach(function (head) {
      if (!head.leaf) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gk-sort";
      button.setAttribute("aria-label", "按“" + head.cell.textContent.trim() + "”排序");
      head.cell.appendChild(button);
      button.addEventListener("click", function () {
        var current = head.cell.getAttribute("aria-sort");
        var next = current === "descending" ? "ascending" : current === "ascending" ? null : "descending";
        table.querySelectorAll("thead th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
        if (next) { head.cell.setAttribute("aria-sort", next); }
        var sorted = items.slice().sort(function (a, b) {
          if (!next) { return a.order - b.order; }
          var x = a.row.cells[head.column] ? a.row.cells[head.column].textContent.trim() : "";
          var y = b.row.cells[head.column] ? b.row.cells[head.column].textContent.trim() : "";
          var nx = number(x), ny = number(y), result;
          if (nx !== null || ny !== null) { result = (nx === null ? -Infinity : nx) - (ny === null ? -Infinity : ny); } else { result = x.localeCompare(y, "zh-CN"); }
          return (next === "descending" ? -result : result) || a.order - b.order;
        });
        sorted.forEach(function (item) { body.insertBefore(item.row, end); });
      });
    });
    show();
  }

  document.querySelectorAll("table.gk-form").forEach(enhance);

  /* A link to a row (a search result opens its table there; the row is marked by :target): the
     row in view, below its table's sticky head, once the tools above the tables are in place and
     after the browser's own jump, which leaves a long table's row under the head. */
  function land() {
    var row = null;
    try { row = document.getElementById(decodeURIComponent(window.location.hash.slice(1))); } catch (error) { return; }
    if (!row || row.tagName !== "TR") { return; }
    var box = row.closest(".gk-scroll") || row;
    var head = row.closest("table").tHead;
    if (box.scrollHeight > box.clientHeight) {
      box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - (head ? head.offsetHeight : 0);
    }
    var header = document.querySelector(".md-header");
    var above = (header ? header.offsetHeight : 0) + 8;
    window.scrollTo(0, window.pageYOffset + box.getBoundingClientRect().top - above);
  }
  // after the load, when the browser has made its own jump
  window.addEventListener("load", function () { window.setTimeout(land, 0); });
  window.addEventListener("hashchange", land);
})();
