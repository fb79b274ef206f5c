/* gongkai: tables a reader can use on any screen, and 科目 tables a reader can work with.
   Progressive enhancement: without this script every table is shown whole, in the printed order,
   in a box that scrolls sideways when it is wider than the page (gongkai.css).

   1. Layout. Each table's box is given one of three layouts (gongkai.css says what each looks
      like): gk-fits (the table fits: its head sticks while the page scrolls), gk-overflows (it does
      not: it scrolls sideways, its row labels pinned, with a line saying so) or, on a phone,
      gk-stacked (a block per row, each figure after the name of its column, written here into the
      cell's data-label from the header rows). Worked out again when the window's width changes.
   2. 科目 tables: fold 类/款/项, filter by 科目 and sort by a column. */
(function () {
  "use strict";

  var PHONE = window.matchMedia("(max-width: 44.9375em)");
  var SEPARATOR = " · ";

  function level(code) { return Math.max(0, Math.floor((code.length - 3) / 2)); }

  function text(cell) { return cell.textContent.replace(/\s+/g, " ").trim(); }

  /* Lay rows out as the browser does: each cell to the first column its row has free, below the
     cells of rows above that span down. Calls visit(cell, column) for each. */
  function place(rows, visit) {
    var taken = [];
    rows.forEach(function (row, r) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (taken[r] && taken[r][column]) { column += 1; }
        for (var dr = 0; dr < cell.rowSpan; dr += 1) {
          for (var dc = 0; dc < cell.colSpan; dc += 1) {
            taken[r + dr] = taken[r + dr] || [];
            taken[r + dr][column + dc] = true;
          }
        }
        visit(cell, column, r);
        column += cell.colSpan;
      });
    });
  }

  function headerRows(thead) {
    return Array.prototype.filter.call(thead.rows, function (row) { return !row.classList.contains("gk-colno"); });
  }

  /* The column index of each header cell, spans taken into account, and whether it heads one column only. */
  function headerColumns(thead) {
    var heads = headerRows(thead), out = [];
    place(heads, function (cell, column, r) {
      out.push({ cell: cell, column: column, leaf: r + cell.rowSpan === heads.length && cell.colSpan === 1 });
    });
    return out;
  }

  /* Per column, the texts of the header cells over it, top to bottom (本年支出, 基本支出). */
  function columnPaths(thead) {
    var paths = [];
    headerColumns(thead).forEach(function (head) {
      var label = text(head.cell);
      for (var c = head.column; c < head.column + head.cell.colSpan; c += 1) {
        paths[c] = paths[c] || [];
        if (label && paths[c][paths[c].length - 1] !== label) { paths[c].push(label); }
      }
    });
    return paths;
  }

  /* Each body cell's data-label: the names of the columns it stands in (for a cell over several,
     what their names have in common); and in a form printed in panels side by side (a <colgroup>
     each), its panel, so that a stacked table reads each panel's rows in turn (收入, then 支出).
     A stacked table stays a table to screen readers (chromium keeps a <table>'s roles whatever its
     display), each cell named with its column by the label shown before it. */
  function labelCells(table) {
    if (!table.tHead || !headerRows(table.tHead).length) { return false; }
    var paths = columnPaths(table.tHead);
    var panels = [];
    var groups = table.querySelectorAll(":scope > colgroup");
    if (groups.length > 1) {
      Array.prototype.forEach.call(groups, function (group, i) {
        for (var n = 0; n < group.span; n += 1) { panels.push(i); }
      });
    }
    Array.prototype.forEach.call(table.querySelectorAll(":scope > tbody, :scope > tfoot"), function (group) {
      place(Array.prototype.slice.call(group.rows), function (cell, column) {
        if (panels[column]) { cell.setAttribute("data-panel", panels[column]); }
        if (cell.tagName !== "TD") { return; }
        var path = (paths[column] || []).slice();
        for (var c = column + 1; c < column + cell.colSpan; c += 1) {
          var other = paths[c] || [], n = 0;
          while (n < path.length && n < other.length && path[n] === other[n]) { n += 1; }
          path = path.slice(0, n);
        }
        if (path.length) { cell.setAttribute("data-label", path.join(SEPARATOR)); }
      });
    });
    return true;
  }

  var boxes = [];
  var siteHeader = document.querySelector(".md-header");

  /* A table that scrolls sideways cannot have its head stick while the page scrolls (its box is a
     scroll container): a copy of the head (gk-float-head), columns as wide as the table's, is shown
     under the site's header while the table's own head is above it, and scrolled with the table.
     A picture of the head only: hidden from screen readers (which have the table's), without ids,
     buttons or links. Sizes and places are written through the CSSOM, which the policy allows. */
  function floatHead(item) {
    var holder = document.createElement("div");
    // the table's classes on the holder: its head is styled alike, and no script takes it for a table
    holder.className = "gk-float-head " + item.table.className;
    holder.setAttribute("aria-hidden", "true");
    holder.hidden = true;
    var copy = document.createElement("table");
    copy.className = "gk-float-table";  // a class: Material styles a table without one as its own
    var widths = document.createElement("colgroup");
    item.leaves = headerColumns(item.table.tHead).filter(function (head) { return head.leaf; })
      .sort(function (a, b) { return a.column - b.column; });
    item.leaves.forEach(function () { widths.appendChild(document.createElement("col")); });
    var head = item.table.tHead.cloneNode(true);
    head.querySelectorAll("[id], [headers]").forEach(function (e) { e.removeAttribute("id"); e.removeAttribute("headers"); });
    head.querySelectorAll("button").forEach(function (e) { e.remove(); });
    head.querySelectorAll("a").forEach(function (a) {
      var span = document.createElement("span");
      span.textContent = a.textContent;
      a.replaceWith(span);
    });
    copy.appendChild(widths);
    copy.appendChild(head);
    holder.appendChild(copy);
    item.box.parentNode.insertBefore(holder, item.box);
    item.float = holder;
  }

  function sizeFloat(item) {
    var cols = item.float.querySelectorAll("col");
    item.leaves.forEach(function (head, i) { cols[i].style.width = head.cell.getBoundingClientRect().width + "px"; });
    item.float.firstChild.style.width = item.table.offsetWidth + "px";
    var rows = item.table.tHead.rows, copies = item.float.querySelectorAll("tr");
    for (var r = 0; r < rows.length; r += 1) { copies[r].style.height = rows[r].getBoundingClientRect().height + "px"; }
  }

  function placeFloat(item) {
    if (!item.float) { return; }
    var top = siteHeader ? Math.max(0, siteHeader.getBoundingClientRect().bottom) : 0;
    var head = item.table.tHead.getBoundingClientRect(), table = item.table.getBoundingClientRect();
    var show = item.box.classList.contains("gk-overflows") && head.top < top && table.bottom > top + head.height;
    item.float.hidden = !show;
    if (!show) { return; }
    var box = item.box.getBoundingClientRect();
    item.float.style.top = top + "px";
    item.float.style.left = box.left + "px";
    item.float.style.width = item.box.clientWidth + "px";
    item.float.scrollLeft = item.box.scrollLeft;
  }

  /* The glossary terms a stacked table's hidden head links, on a line of their own above it: a tap
     still explains each (gongkai.js), as in the head of the table laid out as printed. */
  function termLine(item) {
    var terms = item.table.tHead ? item.table.tHead.querySelectorAll("a.gk-term") : [];
    if (!terms.length) { return null; }
    var line = document.createElement("p");
    line.className = "gk-table-terms";
    line.hidden = true;
    line.appendChild(document.createTextNode("表头名词："));
    Array.prototype.forEach.call(terms, function (term, i) {
      if (i) { line.appendChild(document.createTextNode("、")); }
      line.appendChild(term.cloneNode(true));
    });
    item.box.parentNode.insertBefore(line, item.box);
    return line;
  }

  function layout(item) {
    var box = item.box, table = item.table;
    box.classList.remove("gk-stacked", "gk-fits", "gk-overflows", "gk-scrolled");
    var wide = table.offsetWidth > box.clientWidth + 1;
    var mode = !wide ? "gk-fits" : PHONE.matches && item.labelled ? "gk-stacked" : "gk-overflows";
    box.classList.add(mode);
    item.hint.hidden = mode !== "gk-overflows";
    if (item.terms) { item.terms.hidden = mode !== "gk-stacked"; }
    // the box's name says 可左右滑动 (render/tables.py) only while it does
    if (item.name) { box.setAttribute("aria-label", mode === "gk-overflows" ? item.name : item.name.replace("（可左右滑动）", "")); }
    if (mode === "gk-overflows" && box.scrollLeft > 0) { box.classList.add("gk-scrolled"); }
    if (mode === "gk-overflows" && item.labelled) {
      if (!item.float) { floatHead(item); }
      sizeFloat(item);
    }
    placeFloat(item);
  }

  function layoutAll() { boxes.forEach(layout); }

  var placing = false;
  window.addEventListener("scroll", function () {
    if (placing) { return; }
    placing = true;
    window.requestAnimationFrame(function () { placing = false; boxes.forEach(placeFloat); });
  }, { passive: true });

  document.querySelectorAll(".gk-scroll").forEach(function (box, index) {
    var table = box.querySelector("table");
    if (!table) { return; }
    var hint = document.createElement("p");
    hint.className = "gk-scroll-hint";
    hint.id = "gk-scroll-hint-" + index;
    hint.textContent = "表格较宽：左右滑动，或选中表格后按左右方向键，查看其余各列。";
    hint.hidden = true;
    box.parentNode.insertBefore(hint, box);
    box.setAttribute("aria-describedby", hint.id);
    var item = { box: box, table: table, hint: hint, labelled: labelCells(table) };
    item.terms = item.labelled ? termLine(item) : null;
    item.name = box.getAttribute("aria-label");
    box.addEventListener("scroll", function () {
      box.classList.toggle("gk-scrolled", box.classList.contains("gk-overflows") && box.scrollLeft > 0);
      if (item.float && !item.float.hidden) { item.float.scrollLeft = box.scrollLeft; }
    }, { passive: true });
    boxes.push(item);
  });

  /* ---- 科目 tables ---- */

  function number(value) {
    var parsed = parseFloat(value.replace(/,/g, ""));
    return isNaN(parsed) ? null : parsed;
  }

  /* Sort a table's rows by a column: a button in each leaf header (a third press restores the
     printed order), and the same as a list (returned, with its label, for the caller to place), for
     a phone's stacked table has no header row to press. Numbers sort as numbers, the rest as
     Chinese; ties keep the printed order. options: id of the list, unsorted (its first choice),
     name(head) for the list, put(item) to place each row in the new order. */
  function sortable(table, heads, items, options) {
    var label = document.createElement("label");
    label.setAttribute("for", options.id);
    label.textContent = "排序：";
    var order = document.createElement("select");
    order.id = options.id;
    order.appendChild(new Option(options.unsorted, ""));

    function sortBy(head, direction) {
      table.querySelectorAll("thead th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
      if (head && direction) { head.cell.setAttribute("aria-sort", direction); }
      order.value = head && direction ? head.column + ":" + direction : "";
      items.slice().sort(function (a, b) {
        if (!head || !direction) { return a.order - b.order; }
        var x = a.row.cells[head.column] ? text(a.row.cells[head.column]) : "";
        var y = b.row.cells[head.column] ? text(b.row.cells[head.column]) : "";
        var nx = number(x), ny = number(y), result;
        if (nx !== null || ny !== null) { result = (nx === null ? -Infinity : nx) - (ny === null ? -Infinity : ny); } else { result = x.localeCompare(y, "zh-CN"); }
        return (direction === "descending" ? -result : result) || a.order - b.order;
      }).forEach(options.put);
    }

    heads.forEach(function (head) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gk-sort";
      button.setAttribute("aria-label", "按“" + text(head.cell) + "”排序");
      head.cell.appendChild(button);
      button.addEventListener("click", function () {
        var current = head.cell.getAttribute("aria-sort");
        sortBy(head, current === "descending" ? "ascending" : current === "ascending" ? null : "descending");
      });
      var name = options.name(head);
      order.appendChild(new Option(name + "，从大到小", head.column + ":descending"));
      order.appendChild(new Option(name + "，从小到大", head.column + ":ascending"));
    });
    order.addEventListener("change", function () {
      var chosen = order.value.split(":");
      sortBy(heads.filter(function (head) { return String(head.column) === chosen[0]; })[0], chosen[1] || null);
    });
    return { label: label, order: order };
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

    // Sorted by any column; rows above the 科目 (合计) and below them (footer) stay where they are.
    var end = rows[rows.length - 1].nextSibling;
    var heads = headerColumns(table.tHead).filter(function (head) { return head.leaf; });
    var paths = columnPaths(table.tHead);
    var sorting = sortable(table, heads, items, {
      id: "gk-sort-" + index,
      unsorted: "按原表顺序",
      name: function (head) { return (paths[head.column] || [text(head.cell)]).join(SEPARATOR); },
      put: function (item) { body.insertBefore(item.row, end); },
    });

    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(collapse);
    tools.appendChild(expand);
    tools.appendChild(sorting.label);
    tools.appendChild(sorting.order);
    tools.appendChild(status);
    // above the table and the lines about it (gk-scroll-hint, gk-table-terms)
    var before = table.closest(".gk-scroll");
    while (before.previousElementSibling && /\bgk-(scroll-hint|table-terms)\b/.test(before.previousElementSibling.className)) {
      before = before.previousElementSibling;
    }
    before.parentNode.insertBefore(tools, before);
    show();
  }

  document.querySelectorAll("table.gk-form").forEach(enhance);

  /* Tables a reader ranks (gk-sortable: a city's 公开质量): every body row sorted by any column, as
     the 科目 tables are, with the same list above the table for a phone's stacked rows. */
  function enhanceSortable(table, index) {
    var body = table.tBodies[0];
    var items = Array.prototype.map.call(body.rows, function (row, i) { return { row: row, order: i }; });
    if (items.length < 2) { return; }
    var heads = headerColumns(table.tHead).filter(function (head) { return head.leaf; });
    var sorting = sortable(table, heads, items, {
      id: "gk-rank-" + index,
      unsorted: "按原来的顺序",
      name: function (head) { return text(head.cell); },
      put: function (item) { body.appendChild(item.row); },
    });
    var tools = document.createElement("div");
    tools.className = "gk-table-tools";
    tools.appendChild(sorting.label);
    tools.appendChild(sorting.order);
    var before = table.closest(".gk-scroll") || table;  // above the lines about the table too
    while (before.previousElementSibling && /\bgk-scroll-hint\b/.test(before.previousElementSibling.className)) {
      before = before.previousElementSibling;
    }
    before.parentNode.insertBefore(tools, before);
  }

  document.querySelectorAll("table.gk-sortable").forEach(enhanceSortable);

  /* A row's address (#公开03表-2101501): a stacked table's rows have no box of their own (their
     cells flow in the table's), so the browser cannot scroll to one; scroll to its first cell. */
  function showTarget() {
    var target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
    if (!target || target.tagName !== "TR" || !target.closest(".gk-stacked")) { return; }
    var cell = Array.prototype.filter.call(target.cells, function (c) { return c.getClientRects().length; })[0];
    if (cell) { cell.scrollIntoView({ block: "start" }); }
  }

  layoutAll();
  showTarget();
  window.addEventListener("hashchange", showTarget);
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(layoutAll, 100);
  });
  if (PHONE.addEventListener) { PHONE.addEventListener("change", layoutAll); }
})();
