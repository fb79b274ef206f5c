/* gongkai: the search page. The index (generator/search.py) is split into small files: a query
   fetches meta.json, one shard of postings per token, and the texts of the results it shows; the
   filters' table is fetched only when a filter is used. Everything is served by the site itself. */
(function () {
  "use strict";
  var form = document.getElementById("gk-search");
  if (!form) { return; }
  if (!window.fetch || !window.DecompressionStream) {
    // The index is gzip'd files the browser unpacks itself (Chrome 80, Safari 16.4, Firefox 113 on).
    var note = document.createElement("p");
    note.textContent = "站内搜索需要较新版本的浏览器。也可以从首页按地区查找部门和文件。";
    form.parentNode.insertBefore(note, form);
    return;
  }
  form.hidden = false;
  var INDEX = form.getAttribute("data-index");
  var ROOT = form.getAttribute("data-root");
  var PAGE = 10;
  var FACETS = [["region", "地区"], ["year", "年度"], ["kind", "类型"]];
  var input = form.querySelector('input[name="q"]');
  var status = form.querySelector(".gk-search-status");
  var list = form.querySelector(".gk-results");
  var more = form.querySelector(".gk-more");
  var cache = {};
  var meta = null;
  var shown = [];
  var generation = 0;

  // ---- the same tokens as generator/search.py ----
  var QUOTES = /["'“”‘’「」『』《》〈〉]/g;
  var CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var WORD = /[0-9a-z]+(?:\.[0-9]+)*/g;

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().replace(QUOTES, "").replace(/(\d),(?=\d{3}(?!\d))/g, "$1");
  }

  function tokens(text) {
    var found = {};
    text = normalize(text);
    (text.match(WORD) || []).forEach(function (w) { found[w] = true; });
    (text.match(CJK_RUN) || []).forEach(function (run) {
      if (run.length === 1) { found[run] = true; }
      for (var i = 0; i + 1 < run.length; i++) { found[run.slice(i, i + 2)] = true; }
    });
    return Object.keys(found);
  }

  function shardOf(token, shards) {
    var bytes = new TextEncoder().encode(token);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0; }
    return hash % shards;
  }

  // ---- fetching (gzip-compressed files are recognised by their first bytes, so a host that
  // already sends them decompressed works too) ----
  function fetchBytes(path) {
    if (!cache[path]) {
      cache[path] = fetch(INDEX + path).then(function (response) {
        if (!response.ok) { throw new Error(path + ": " + response.status); }
        return response.arrayBuffer();
      }).then(function (buffer) {
        var head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
        if (head[0] !== 0x1f || head[1] !== 0x8b) { return buffer; }
        var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer();
      });
      // A failed fetch (a phone losing its connection) is tried again by the next search.
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  function fetchJson(path) {
    return fetchBytes(path).then(function (buffer) { return JSON.parse(new TextDecoder().decode(buffer)); });
  }

  function numbers(view, offset, count) {
    var out = new Uint32Array(count);
    var value = 0;
    for (var i = 0; i < count; i++) { value += view.getUint32(offset + 4 * i, true); out[i] = value; }
    return out;
  }

  // A token's records: {text: [...], title: [...]} (increasing numbers), or null when no text has it.
  function postings(token) {
    return fetchBytes("t/" + shardOf(token, meta.shards) + ".bin").then(function (buffer) {
      var view = new DataView(buffer);
      var decoder = new TextDecoder();
      var at = 0;
      while (at < buffer.byteLength) {
        var length = view.getUint16(at, true);
        var inText = view.getUint32(at + 2, true);
        var inTitle = view.getUint32(at + 6, true);
        var name = decoder.decode(new Uint8Array(buffer, at + 10, length));
        var start = at + 10 + length;
        var lengths = start + 4 * (inText + inTitle);
        if (name === token) {
          return {
            text: numbers(view, start, inText),
            title: numbers(view, start + 4 * inText, inTitle),
            titleLength: new Uint8Array(buffer.slice(lengths, lengths + inTitle))
          };
        }
        at = lengths + inTitle;
      }
      return null;
    });
  }

  function intersect(a, b) {
    if (a === null) { return Array.from(b); }
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
  }

  // ---- ranking: records with every token; among them those whose heading holds the query, the
  // more of the heading the query is the better (a glossary entry of the term itself first); then
  // in site order ----
  function rank(lists, partial, queryLength) {
    var counts = new Map(), headings = new Map();
    var present = lists.filter(Boolean);
    var records;
    if (!partial) {
      if (present.length < lists.length) { return []; }
      records = present.map(function (p) { return p.text; }).sort(function (a, b) { return a.length - b.length; })
        .reduce(function (a, b) { return intersect(a, b); }, null);
      records.forEach(function (r) { counts.set(r, lists.length); });
    } else {
      present.forEach(function (p) { p.text.forEach(function (r) { counts.set(r, (counts.get(r) || 0) + 1); }); });
      var needed = Math.max(1, Math.ceil(lists.length / 2));
      records = [];
      counts.forEach(function (n, r) { if (n >= needed) { records.push(r); } });
    }
    var titleLength = new Map();
    present.forEach(function (p) {
      p.title.forEach(function (r, i) { headings.set(r, (headings.get(r) || 0) + 1); titleLength.set(r, p.titleLength[i]); });
    });
    function score(r) {
      var hits = headings.get(r) || 0;
      var whole = hits === lists.length ? Math.round(20 * Math.min(1, queryLength / Math.max(1, titleLength.get(r)))) : 0;
      return counts.get(r) * 100 + hits * 10 + whole;
    }
    return records.map(function (r) { return [r, score(r)]; })
      .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
      .map(function (pair) { return pair[0]; });
  }

  function facetFilter() {
    var wanted = FACETS.map(function (f) {
      var value = form.elements[f[0]].value;
      if (value === "") { return -1; }
      var position = (meta.facets[f[1]] || []).indexOf(value);
      return position < 0 ? 256 : position;  // a value the index does not know matches nothing
    });
    if (wanted.every(function (w) { return w < 0; })) { return Promise.resolve(null); }
    return fetchBytes("facets.bin").then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      return function (record) {
        return wanted.every(function (w, column) { return w < 0 || bytes[column * meta.records + record] === w; });
      };
    });
  }

  // ---- showing results ----
  function partOf(record) {
    var found = meta.parts[0];
    for (var i = 1; i < meta.parts.length && meta.parts[i][1] <= record; i++) { found = meta.parts[i]; }
    return found;
  }

  function row(record) {
    var part = partOf(record);
    var local = record - part[1];
    return fetchJson("r/" + part[0] + "-" + Math.floor(local / meta.chunk) + ".bin").then(function (rows) {
      return rows[local % meta.chunk];
    });
  }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // The query as a pattern over the page's own text, which may put quote marks or commas between its characters.
  function pattern(query) {
    var chars = Array.from(normalize(query).replace(/\s+/g, ""));
    if (!chars.length) { return null; }
    return new RegExp(chars.map(escapeRegExp).join("[\"'“”‘’「」『』《》〈〉,\\s]*"), "i");
  }

  function excerpt(text, query) {
    var words = [pattern(query)].concat(tokens(query).map(pattern)).filter(Boolean);
    var hit = null, match = null;
    for (var i = 0; i < words.length && !hit; i++) { hit = words[i].exec(text); match = words[i]; }
    var paragraph = document.createElement("p");
    paragraph.className = "gk-result-excerpt";
    if (!hit) { paragraph.textContent = text.slice(0, 90) + (text.length > 90 ? "…" : ""); return paragraph; }
    var start = Math.max(0, hit.index - 30);
    var end = Math.min(text.length, hit.index + hit[0].length + 60);
    var piece = text.slice(start, end);
    var global = new RegExp(match.source, "gi");
    var last = 0, found;
    if (start > 0) { paragraph.appendChild(document.createTextNode("…")); }
    while ((found = global.exec(piece)) && found[0]) {
      paragraph.appendChild(document.createTextNode(piece.slice(last, found.index)));
      var mark = document.createElement("mark");
      mark.textContent = found[0];
      paragraph.appendChild(mark);
      last = found.index + found[0].length;
    }
    paragraph.appendChild(document.createTextNode(piece.slice(last) + (end < text.length ? "…" : "")));
    return paragraph;
  }

  function item(values, query) {
    var url = values[0], page = values[1], title = values[2], text = values[3];
    var bureau = values[4], year = values[6], kind = values[7];
    var li = document.createElement("li");
    li.className = "gk-result";
    var where = [bureau, year && year + "年", kind].filter(Boolean).join(" · ");
    if (where) {
      var line = document.createElement("p");
      line.className = "gk-result-where";
      line.textContent = where;
      li.appendChild(line);
    }
    var link = document.createElement("a");
    link.className = "gk-result-link";
    link.href = ROOT + url;
    link.textContent = title && title !== page ? page + " › " + title : page;
    li.appendChild(link);
    li.appendChild(excerpt(text, query));
    return li;
  }

  function showMore(query, mine) {
    var next = shown.slice(list.children.length, list.children.length + PAGE);
    more.hidden = true;
    return Promise.all(next.map(row)).then(function (rows) {
      if (mine !== generation) { return; }
      rows.forEach(function (values) { list.appendChild(item(values, query)); });
      more.hidden = list.children.length >= shown.length;
    });
  }

  function remember() {
    var params = new URLSearchParams();
    if (input.value.trim()) { params.set("q", input.value.trim()); }
    FACETS.forEach(function (f) { if (form.elements[f[0]].value) { params.set(f[0], form.elements[f[0]].value); } });
    var search = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  function search() {
    var query = input.value.trim();
    var mine = ++generation;
    var started = performance.now();
    remember();
    list.textContent = "";
    more.hidden = true;
    shown = [];
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    var wanted = tokens(query);
    if (!wanted.length) { status.textContent = "请输入至少两个汉字，或数字、字母。"; return Promise.resolve(); }
    status.textContent = "正在搜索“" + query + "”……";
    return Promise.all([Promise.all(wanted.map(postings)), facetFilter()]).then(function (got) {
      var lists = got[0], keep = got[1];
      var partial = false;
      var length = normalize(query).replace(/\s+/g, "").length;
      var records = rank(lists, false, length);
      if (!records.length && wanted.length > 1) { records = rank(lists, true, length); partial = records.length > 0; }
      if (keep) { records = records.filter(keep); }
      if (mine !== generation) { return; }
      shown = records;
      if (!records.length) {
        status.textContent = "没有找到“" + query + "”。可以换个词，或去掉筛选条件再试。";
      } else if (partial) {
        status.textContent = "没有完全包含“" + query + "”的结果；以下 " + records.length + " 个结果包含其中部分文字。";
      } else {
        status.textContent = "找到 " + records.length + " 个结果：" + query;
      }
      return showMore(query, mine).then(function () {
        form.setAttribute("data-ms", String(Math.round(performance.now() - started)));
      });
    }).catch(function (error) {
      status.textContent = "搜索出错：" + error.message + "。请检查网络后再试。";
      form.setAttribute("data-ms", String(Math.round(performance.now() - started)));
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  var typing = null;
  input.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(search, 200); });
  FACETS.forEach(function (f) { form.elements[f[0]].addEventListener("change", search); });
  more.addEventListener("click", function () { showMore(input.value.trim(), generation); });

  fetchJson("meta.json").then(function (loaded) {
    meta = loaded;
    var params = new URLSearchParams(window.location.search);
    FACETS.forEach(function (f) {
      var select = form.elements[f[0]];
      (meta.facets[f[1]] || []).forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = f[0] === "year" ? value + "年" : value;
        select.appendChild(option);
      });
      if (params.get(f[0])) { select.value = params.get(f[0]); }
    });
    if (params.get("q")) { input.value = params.get("q"); search(); }
  }).catch(function (error) { status.textContent = "搜索索引无法载入：" + error.message; });
})();
