/* gongkai: the search page. The index (generator/build/search.py) is split into small files: a
   query fetches meta.json and the folding table (once), one shard of postings per token, and the
   texts of the results it shows; the filters' table is fetched only when a filter is used.
   Everything is served by the site itself.

   Ranking: every record (a section of a page, or a row of a printed form's table) that holds any
   of the query's tokens is scored by how much of the query it holds (each token weighted by how
   rare it is), how close together (the tokens at the places they have in the query: the query's
   words as one phrase, or within a short stretch of text) and where (a heading, a row's names,
   the body; the bureau, page or table the record lies within counts for less). Definitions of
   terms count for less than the sections and rows that state the figures. */
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
  var VERSION = 2;  // the index format this script reads (search.py's FORMAT_VERSION)
  var PAGE = 10;
  var FACETS = [["region", "地区"], ["year", "年度"], ["kind", "类型"]];
  var input = form.querySelector('input[name="q"]');
  var status = form.querySelector(".gk-search-status");
  var list = form.querySelector(".gk-results");
  var more = form.querySelector(".gk-more");
  var moreButton = more.querySelector("button");
  var cache = {};
  var meta = null;
  var fold = null;
  var unfold = {};  // a simplified character → the traditional ones that fold to it
  var ranking = null;  // the ranked results of the last search (rank)
  var generation = 0;

  // ---- what a posting says (search.py: IndexPart) ----
  var IN_HEADING = 1, IN_LABEL = 2, IN_BODY = 4, DEFINITION = 8, ROW = 16;
  // ---- how much each place counts ----
  var HEADING = 1.0, LABEL = 0.9, BODY = 0.6, BODY_APART = 0.25, CONTEXT = 0.35, DEFINITION_PRIOR = 0.75;
  var APART = 0.5;  // how much less of the query a record holds for a token far from the others

  // ---- the same tokens as generator/build/search.py ----
  var QUOTES = /["'“”‘’「」『』《》〈〉]/g;
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var URO = /[\u4e00-\u9fff]/;

  function foldText(text) {
    if (!fold) { return text; }
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var simplified = fold.get(text.charCodeAt(i));
      out += simplified === undefined ? text[i] : simplified;
    }
    return out;
  }

  function normalize(text) {
    text = foldText(text.normalize("NFKC").toLowerCase().replace(QUOTES, ""));
    return text.replace(/(\d),(?=\d{3}(?!\d))/g, "$1");
  }

  // The tokens of a normalized text with where each starts: [[token, position], …].
  function placedTokens(text) {
    var out = [];
    var pattern = /[0-9a-z]+(?:\.[0-9]+)*|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
    var match;
    while ((match = pattern.exec(text))) {
      var run = match[0];
      if (!CJK.test(run[0])) { out.push([run, match.index]); continue; }
      if (run.length === 1) { out.push([run, match.index]); }
      for (var i = 0; i + 1 < run.length; i++) { out.push([run.slice(i, i + 2), match.index + i]); }
    }
    return out;
  }

  function tokens(text) {
    return queryTerms(normalize(text)).map(function (term) { return term.token; });
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

  // The folding table (search.py: fold_table): traditional characters → simplified ones. Fetched
  // with meta.json, before anyone types; a query waits for it only if it came first.
  var folding = null;
  function loadFold() {
    folding = folding || fetchBytes("fold.bin").then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      var view = new DataView(buffer);
      var count = view.getUint32(0, true);
      var at = 4, code = 0, sources = [];
      for (var n = 0; n < count; n++) {
        var gap = 0, shift = 0, byte;
        do { byte = bytes[at++]; gap += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
        code += gap;
        sources.push(code);
      }
      var table = new Map();
      sources.forEach(function (source, i) {
        table.set(source, String.fromCharCode(0x4e00 + view.getUint16(at + 2 * i, true)));
      });
      fold = table;
      table.forEach(function (simplified, traditional) {
        (unfold[simplified] = unfold[simplified] || []).push(String.fromCharCode(traditional));
      });
    });
    // a failed fetch (a phone losing its connection) is tried again by the next search
    folding.catch(function () { folding = null; });
    return folding;
  }

  // A token's postings, or null when no record has it (search.py: write_index says the layout).
  var decoded = new Map();
  function postings(token) {
    if (decoded.has(token)) { return Promise.resolve(decoded.get(token)); }
    return fetchBytes("t/" + shardOf(token, meta.shards) + ".bin").then(function (buffer) {
      var list = find(buffer, token);
      if (decoded.size > 200) { decoded.clear(); }
      decoded.set(token, list);
      return list;
    });
  }

  function find(buffer, token) {
    {
      var view = new DataView(buffer);
      var bytes = new Uint8Array(buffer);
      var decoder = new TextDecoder();
      var at = 0;
      while (at < buffer.byteLength) {
        var length = view.getUint16(at, true);
        var name = decoder.decode(bytes.subarray(at + 2, at + 2 + length));
        var counts = [];
        for (var c = 0; c < 5; c++) { counts.push(view.getUint32(at + 2 + length + 4 * c, true)); }
        var start = at + 22 + length;
        if (name === token) { return decode(view, bytes, start, counts); }
        at = start + 2 * counts[0] + 4 * counts[1] + counts[2] + 2 * counts[3] + 4 * counts[4];
      }
      return null;
    }
  }

  // One sorted list of the token's records (body and title postings merged), with per posting its
  // flags, its title's length (0: the body only) and where its places start; and its context ranges.
  function decode(view, bytes, start, counts) {
    var body = counts[0], titled = counts[1], placeCount = counts[2], rangeCount = counts[3];
    var at = start;
    var bodyGaps = bytes.subarray(at, at += body), bodyFlags = bytes.subarray(at, at += body);
    var titleGaps = bytes.subarray(at, at += titled), titleFlags = bytes.subarray(at, at += titled);
    var titleLengths = bytes.subarray(at, at += titled), placeCounts = bytes.subarray(at, at += titled);
    var places = bytes.subarray(at, at += placeCount), steps = bytes.subarray(at, at += 2 * rangeCount);
    var escape = at;  // the escapes, in the order of the bytes that stand for them
    function sums(bytes, out) {
      var value = 0, byte;
      for (var i = 0; i < bytes.length; i++) {
        byte = bytes[i];
        if (byte === 255) { byte = view.getUint32(escape, true); escape += 4; }
        out[i] = value += byte;
      }
      return out;
    }
    var bodyRecords = sums(bodyGaps, new Uint32Array(body));
    var titleRecords = sums(titleGaps, new Uint32Array(titled));
    var ranges = sums(steps, new Uint32Array(2 * rangeCount));
    var count = body + titled;
    var list = {
      records: new Uint32Array(count), flags: new Uint8Array(count), titleLength: new Uint8Array(count),
      firstPlace: new Uint32Array(count + 1), places: places, ranges: ranges
    };
    var b = 0, t = 0, place = 0;
    for (var n = 0; n < count; n++) {
      list.firstPlace[n] = place;
      if (t >= titled || (b < body && bodyRecords[b] < titleRecords[t])) {
        list.records[n] = bodyRecords[b];
        list.flags[n] = bodyFlags[b++];
      } else {
        list.records[n] = titleRecords[t];
        list.flags[n] = titleFlags[t];
        list.titleLength[n] = titleLengths[t];
        place += placeCounts[t++];
      }
    }
    list.firstPlace[count] = place;
    return list;
  }

  // ---- ranking ----

  var MAX_TERMS = 30;  // a query's tokens that count (the rarest, if it has more): a bit each in a mask
  var EXACT = 300;  // candidates whose titles' places are read (the best by what their postings say)

  // What the query is: its distinct tokens, each with its places in the query (its weight comes
  // with its postings: how rare it is; a token no record holds tells nothing apart and weighs 0).
  function queryTerms(text) {
    var byToken = new Map();
    placedTokens(text).forEach(function (t) {
      if (!byToken.has(t[0])) { byToken.set(t[0], []); }
      byToken.get(t[0]).push(t[1]);
    });
    return Array.from(byToken, function (entry) { return { token: entry[0], at: entry[1], list: null, weight: 0 }; });
  }

  function weigh(terms, lists) {
    terms.forEach(function (term, i) {
      var list = lists[i];
      term.list = list && list.records.length + list.ranges.length ? list : null;
      term.weight = term.list ? Math.log(1 + meta.records / (1 + list.records.length)) : 0;
    });
    if (terms.length > MAX_TERMS) {
      var kept = terms.slice().sort(function (a, b) { return b.weight - a.weight; }).slice(0, MAX_TERMS);
      terms.forEach(function (term) { if (kept.indexOf(term) < 0) { term.list = null; term.weight = 0; } });
    }
    return terms;
  }

  // The best stretches of a field: the most query weight whose tokens stand at the places they
  // have in the query (a phrase), and the terms found together within a window a bit longer than
  // the query (a mask).
  function stretches(occurrences, window, weights) {
    // occurrences: [[place in the field, place in the query, term index, weight], …]
    var phrase = 0, near = 0, nearTerms = 0;
    if (!occurrences.length) { return [0, 0]; }
    var byShift = new Map();
    occurrences.forEach(function (o) {
      var shift = o[0] - o[1];
      var mask = byShift.get(shift) || 0;
      byShift.set(shift, mask | (1 << o[2]));
    });
    var weightOf = function (mask) {
      var sum = 0;
      for (var i = 0; mask; i++, mask >>>= 1) { if (mask & 1) { sum += weights[i]; } }
      return sum;
    };
    byShift.forEach(function (mask) { phrase = Math.max(phrase, weightOf(mask)); });
    occurrences.sort(function (a, b) { return a[0] - b[0]; });
    var counts = new Int32Array(MAX_TERMS), sum = 0, left = 0, inside = 0;
    for (var right = 0; right < occurrences.length; right++) {
      var o = occurrences[right];
      if (!counts[o[2]]++) { sum += o[3]; inside |= 1 << o[2]; }
      while (o[0] - occurrences[left][0] > window) {
        var gone = occurrences[left++];
        if (!--counts[gone[2]]) { sum -= gone[3]; inside &= ~(1 << gone[2]); }
      }
      if (sum > near) { near = sum; nearTerms = inside; }
    }
    return [phrase, nearTerms];
  }

  // How much of the query a record holds is counted by the query's characters (a character is
  // held when a token that has it is), each weighted by the tokens that have it: so 三公经费支出决算
  // 情况 holds all of 三公经费支出情况 though not the pair 出情 that only the phrase has; the pairs
  // themselves say how close together the characters stand.
  function characters(terms, length) {
    var masks = new Uint32Array(length), weights = new Float64Array(length), total = 0;
    terms.forEach(function (term, i) {
      if (!term.weight) { return; }
      term.at.forEach(function (q) {
        for (var c = q; c < q + term.token.length && c < length; c++) { masks[c] |= 1 << i; }
      });
    });
    for (var c = 0; c < length; c++) {
      var sum = 0, count = 0;
      for (var i = 0, mask = masks[c]; mask; i++, mask >>>= 1) { if (mask & 1) { sum += terms[i].weight; count++; } }
      weights[c] = count ? sum / count : 0;
      total += weights[c];
    }
    return { masks: masks, weights: weights, total: total };
  }

  function coverageOf(chars, held, strewn) {
    var covered = 0;
    for (var c = 0; c < chars.masks.length; c++) {
      covered += chars.weights[c] * (chars.masks[c] & held ? 1 : chars.masks[c] & strewn ? APART : 0);
    }
    return chars.total ? covered / chars.total : 0;
  }

  // Every record that holds a token in its own text (a bureau's name alone makes no result), in
  // order: and, by record number, the masks of the terms it holds and of those the bureau, page or
  // table it lies within names, and per term the flags of its posting. Arrays as long as the index
  // has records, written posting by posting: no walk of the lists side by side, no map.
  function gather(terms) {
    var size = meta.records, count = 0, total = 0;
    terms.forEach(function (t) { if (t.list) { total += t.list.records.length; } });
    var own = new Uint32Array(size), around = new Uint32Array(size), found = new Uint32Array(total);
    var flags = terms.map(function (term, i) {
      if (!term.list) { return null; }
      var records = term.list.records, listFlags = term.list.flags, bit = 1 << i, mine = new Uint8Array(size);
      for (var j = 0; j < records.length; j++) {
        var record = records[j];
        if (!own[record]) { found[count++] = record; }
        own[record] |= bit;
        mine[record] = listFlags[j];
      }
      return mine;
    });
    var records = found.subarray(0, count).sort();
    terms.forEach(function (term, i) {
      var ranges = term.list ? term.list.ranges : [];
      for (var n = 0, at = 0; n < count && at < ranges.length; n++) {
        var record = records[n];
        while (at < ranges.length && ranges[at + 1] <= record) { at += 2; }
        if (at < ranges.length && ranges[at] <= record) { around[record] |= 1 << i; }
      }
    });
    return { count: count, records: records, own: own, around: around, flags: flags };
  }

  // Where a record is in a term's list (its posting): the lists are sorted.
  function postingOf(list, record) {
    var low = 0, high = list.records.length - 1;
    while (low <= high) {
      var middle = (low + high) >>> 1, value = list.records[middle];
      if (value === record) { return middle; }
      if (value < record) { low = middle + 1; } else { high = middle - 1; }
    }
    return -1;
  }

  // A candidate's score: coverage² × (where + how close + a title that is the query + a short
  // body + the record's context), less for a definition. *level* 0: from the postings' flags; 1:
  // also the places of the title's tokens; 2: also the record's text (*body*, normalized), which
  // tells how the body's tokens stand. Below 2, a body's tokens are guessed: a row's few figures
  // stand together, a section's half and half.
  function score(table, record, query, level, body) {
    var terms = query.terms, total = query.total, k = terms.length;
    var flags = 0, titleLength = 0, fieldWeight = 0, context = 0, bodyWeight = 0;
    var own = table.own[record], around = table.around[record], bodyOnly = 0, bodyOnlyWeight = 0;
    var title = level > 0 ? [] : null;
    for (var i = 0; i < k; i++) {
      var term = terms[i], bit = 1 << i;
      if (around & bit) { context += term.weight; }
      if (!(own & bit)) {
        if (around & bit) { fieldWeight += CONTEXT * term.weight; }
        continue;
      }
      var list = term.list, f = table.flags[i][record];
      flags |= f;
      if (f & (IN_HEADING | IN_LABEL)) {
        fieldWeight += (f & IN_HEADING ? HEADING : LABEL) * term.weight;
        if (level > 0) {
          var posting = postingOf(list, record);
          titleLength = list.titleLength[posting];
          for (var p = list.firstPlace[posting]; p < list.firstPlace[posting + 1]; p++) {
            for (var a = 0; a < term.at.length; a++) { title.push([list.places[p], term.at[a], i, term.weight]); }
          }
        }
      } else {
        bodyOnly |= bit;
        bodyOnlyWeight += term.weight;
      }
      if (f & IN_BODY) { bodyWeight += term.weight; }
    }
    var row = (flags & ROW) !== 0, titleWeight = flags & IN_HEADING ? HEADING : LABEL;
    var window = query.length + 8;
    var phrase = 0, whole = 0, strewn = 0;
    if (level > 0) {
      phrase = titleWeight * stretches(title, window, query.weights)[0];
      // a heading or a row's names that are the query and little else
      whole = titleLength ? (phrase / total) * Math.min(1, query.length / titleLength) : 0;
    } else {
      phrase = titleWeight * (own & ~bodyOnly ? query.weightOf(own & ~bodyOnly) : 0);  // at most
      whole = phrase / total;
    }
    var bodyLength = row ? 0 : 400;
    if (level > 1) {
      // body tokens count fully where they stand together, less where they are strewn apart
      var inBody = placesIn(body, terms);
      var together = stretches(inBody.filter(function (o) { return bodyOnly & (1 << o[2]); }), window, query.weights)[1];
      var alone = bodyOnly & (bodyOnly - 1) ? 0 : bodyOnly;  // one token alone stands with itself
      strewn = bodyOnly & ~together & ~alone;
      fieldWeight += BODY * (bodyOnlyWeight - query.weightOf(strewn)) + BODY_APART * query.weightOf(strewn);
      phrase = Math.max(phrase, BODY * stretches(inBody, window, query.weights)[0]);
      bodyLength = body.length;
    } else {
      fieldWeight += (row ? BODY : (BODY + BODY_APART) / 2) * bodyOnlyWeight;
      phrase = Math.max(phrase, BODY * (row ? bodyOnlyWeight : bodyOnlyWeight / 2));
    }
    var held = (own | around) & ~strewn;
    var coverage = coverageOf(query.chars, held, strewn);
    if (level < 2 && !row && bodyOnly) {  // a guess: a section's body tokens half together
      coverage = (coverage + coverageOf(query.chars, held & ~bodyOnly, bodyOnly)) / 2;
    }
    // a short body that holds the query (a table's row: its figures) before a long one that also does
    var short = bodyWeight ? 0.3 * (bodyWeight / total) * Math.min(1, 40 / Math.max(1, bodyLength)) : 0;
    var value = coverage * coverage * (fieldWeight / total + phrase / total + 0.5 * whole + short + 0.2 * context / total);
    if (flags & DEFINITION) { value *= DEFINITION_PRIOR; }
    return { record: record, score: value, coverage: coverage };
  }

  // Where each term stands in a text (normalized): [[place, place in the query, term, weight], …].
  function placesIn(text, terms) {
    var out = [];
    terms.forEach(function (term, i) {
      if (!term.weight) { return; }
      for (var at = text.indexOf(term.token), n = 0; at >= 0 && n < 64; at = text.indexOf(term.token, at + 1), n++) {
        for (var a = 0; a < term.at.length; a++) { out.push([at, term.at[a], i, term.weight]); }
      }
    });
    return out;
  }

  function byScore(a, b) { return b.score - a.score || a.record - b.record; }

  // The candidates, best first: those the filters keep that hold at least half as much of the
  // query as the one that holds most (by their postings), scored from their flags; the best
  // EXACT of them again with their titles' places, in order; the rest are put in order only if
  // 更多结果 reaches them. The texts of those shown order each page (showMore).
  function rank(terms, length, keep) {
    var total = terms.reduce(function (sum, t) { return sum + t.weight; }, 0);
    if (!total) { return null; }
    var weights = terms.map(function (t) { return t.weight; });
    var query = {
      terms: terms, total: total, length: length, weights: weights, chars: characters(terms, length),
      weightOf: function (mask) {
        var sum = 0;
        for (var i = 0; mask; i++, mask >>>= 1) { if (mask & 1) { sum += weights[i]; } }
        return sum;
      }
    };
    var table = gather(terms);
    var most = new Map(), best = 0;
    var coverage = new Float64Array(table.count);
    for (var n = 0; n < table.count; n++) {
      var record = table.records[n], mask = table.own[record] | table.around[record];
      var value = most.get(mask);
      if (value === undefined) { value = coverageOf(query.chars, mask, 0); most.set(mask, value); }
      coverage[n] = keep && !keep(record) ? -1 : value;
      if (coverage[n] > best) { best = coverage[n]; }
    }
    // A record's rough score depends only on which terms it holds, where and in what kind of
    // record (the flags), and which its context names: records alike are scored once.
    var kept = new Uint32Array(table.count), scores = new Float64Array(table.count), count = 0;
    var alike = new Map(), k = terms.length;
    for (var m = 0; m < table.count; m++) {
      if (coverage[m] < best / 2 || coverage[m] <= 0) { continue; }
      var candidate = table.records[m], key = k <= 7 ? table.around[candidate] : -1;
      for (var i = 0; i < k && key >= 0; i++) { key = key * 64 + (table.flags[i] ? table.flags[i][candidate] : 0); }
      var rough = key >= 0 ? alike.get(key) : undefined;
      if (rough === undefined) {
        rough = score(table, candidate, query, 0).score;
        if (key >= 0) { alike.set(key, rough); }
      }
      kept[count] = candidate;
      scores[count++] = rough;
    }
    // the EXACT best by their rough scores: those at or above the EXACT-th score
    var threshold = count > EXACT ? scores.slice(0, count).sort()[count - EXACT] : -Infinity;
    var exact = [], rest = [];
    for (var j = 0; j < count; j++) {
      if (scores[j] >= threshold && exact.length < EXACT) { exact.push(score(table, kept[j], query, 1)); } else { rest.push(j); }
    }
    exact.sort(byScore);
    var ordered = false;
    return {
      query: query, table: table, length: count,
      slice: function (from, to) {
        var out = exact.slice(from, to);
        if (to > exact.length) {
          if (!ordered) { rest.sort(function (a, b) { return scores[b] - scores[a] || kept[a] - kept[b]; }); ordered = true; }
          rest.slice(Math.max(0, from - exact.length), to - exact.length).forEach(function (j) {
            out.push({ record: kept[j], score: scores[j] });
          });
        }
        return out;
      }
    };
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

  // A piece of the query as a pattern over the page's own text, which may put quote marks,
  // commas or spaces between its characters and write traditional ones.
  function pattern(piece) {
    var chars = Array.from(piece);
    if (!chars.length) { return null; }
    return new RegExp(chars.map(function (c) {
      var variants = [c].concat(unfold[c] || []);
      return variants.length > 1 ? "[" + variants.map(escapeRegExp).join("") + "]" : escapeRegExp(c);
    }).join("[\"'“”‘’「」『』《》〈〉,\\s]*"), "i");
  }

  // The query's words to mark: the whole query, each of its words, then each of its tokens.
  function patterns(query) {
    var text = normalize(query);
    var words = text.split(/\s+/).filter(Boolean);
    var pieces = [text.replace(/\s+/g, "")].concat(words.length > 1 ? words : []).concat(tokens(query));
    return pieces.map(pattern).filter(Boolean);
  }

  function marked(paragraph, text, found) {
    var last = 0, hit;
    var global = new RegExp(found.source, "gi");
    while ((hit = global.exec(text)) && hit[0]) {
      paragraph.appendChild(document.createTextNode(text.slice(last, hit.index)));
      var mark = document.createElement("mark");
      mark.textContent = hit[0];
      paragraph.appendChild(mark);
      last = hit.index + hit[0].length;
    }
    paragraph.appendChild(document.createTextNode(text.slice(last)));
  }

  function excerpt(text, query) {
    var words = patterns(query);
    var hit = null, match = null;
    for (var i = 0; i < words.length && !hit; i++) { hit = words[i].exec(text); match = words[i]; }
    var paragraph = document.createElement("p");
    paragraph.className = "gk-result-excerpt";
    if (!hit) { paragraph.textContent = text.slice(0, 90) + (text.length > 90 ? "…" : ""); return paragraph; }
    var start = Math.max(0, hit.index - 30);
    var end = Math.min(text.length, hit.index + hit[0].length + 60);
    if (start > 0) { paragraph.appendChild(document.createTextNode("…")); }
    marked(paragraph, text.slice(start, end), match);
    if (end < text.length) { paragraph.appendChild(document.createTextNode("…")); }
    return paragraph;
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    if (text) { element.textContent = text; }
    return element;
  }

  // A table row's excerpt: each panel's names, then its figures each with its column's name;
  // the query's words marked (a code, a figure, a name). Every piece in an element of its own
  // (gongkai.css lays them out: a line on a wide screen, a name and its figure a line on a phone),
  // the punctuation too, so that the text reads the same whatever the layout.
  function rowExcerpt(panels, query) {
    var paragraph = document.createElement("p");
    paragraph.className = "gk-result-excerpt gk-result-row";
    var words = patterns(query);
    var any = function (text) { return words.some(function (w) { return w.test(text); }); };
    var chosen = panels.filter(function (p) { return any(p[0]) || p[1].some(function (c) { return any(c[1]); }); });
    (chosen.length ? chosen : panels).forEach(function (panel, n) {
      if (panel[0]) {
        var head = span("gk-result-panel");
        var name = document.createElement("strong");
        mark(name, panel[0], words);
        head.appendChild(name);
        if (panel[1].length) { head.appendChild(span("gk-result-sep", "：")); }
        paragraph.appendChild(head);
      }
      panel[1].forEach(function (cell, i) {
        var pair = span("gk-result-cell");
        pair.appendChild(span("gk-result-label", cell[0] ? cell[0] + " " : ""));
        var value = span("gk-result-figure");
        mark(value, cell[1], words);
        pair.appendChild(value);
        if (i < panel[1].length - 1) { pair.appendChild(span("gk-result-sep", "，")); }
        paragraph.appendChild(pair);
      });
      if (n < (chosen.length ? chosen : panels).length - 1) { paragraph.appendChild(span("gk-result-sep gk-result-panel-end", "；")); }
    });
    return paragraph;
  }

  function mark(element, text, words) {
    var found = words.filter(function (w) { return w.test(text); })[0];
    if (found) { marked(element, text, found); } else { element.textContent = text; }
  }

  function item(values, query) {
    var url = values[0], page = values[1], title = values[2], text = values[3];
    var bureau = values[4], year = values[6], kind = values[7], panels = values[8];
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
    var heading = title && title !== page ? page + " › " + title : page;
    link.textContent = panels && text ? heading + " › " + text : heading;
    li.appendChild(link);
    // a section that is only a heading (its subsections follow) has no excerpt
    if (panels || text) { li.appendChild(panels ? rowExcerpt(panels, query) : excerpt(text, query)); }
    return li;
  }

  // A result's text as the index read it (normalized): a section's, or a row's figures.
  function bodyOf(values) {
    var panels = values[8];
    if (!panels) { return normalize(values[3]); }
    return normalize(panels.map(function (p) { return p[1].map(function (c) { return c[1]; }).join(" "); }).join(" "));
  }

  // The next page of results: their texts are fetched to be shown, and tell how close together
  // the query's words stand in them, which orders the page. Returns the page's scores.
  function showMore(query, mine) {
    var next = ranking.slice(list.children.length, list.children.length + PAGE);
    more.hidden = true;
    return Promise.all(next.map(function (s) { return row(s.record); })).then(function (rows) {
      if (mine !== generation) { return []; }
      var page = next.map(function (s, i) {
        var exact = score(ranking.table, s.record, ranking.query, 2, bodyOf(rows[i]));
        exact.values = rows[i];
        return exact;
      });
      page.sort(byScore);
      page.forEach(function (s) { list.appendChild(item(s.values, query)); });
      more.hidden = list.children.length >= ranking.length;
      return page;
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
    ranking = null;
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    // Traditional characters are folded once the table is there (fetched with meta.json).
    var ready = fold || !URO.test(query) ? Promise.resolve() : loadFold();
    return ready.then(function () {
      var text = normalize(query);
      var terms = queryTerms(text);
      if (!terms.length) { status.textContent = "请输入至少两个汉字，或数字、字母。"; return; }
      status.textContent = "正在搜索“" + query + "”……";
      var wanted = terms.map(function (term) { return postings(term.token); });
      return Promise.all([Promise.all(wanted), facetFilter()]).then(function (got) {
        weigh(terms, got[0]);
        if (mine !== generation) { return; }
        ranking = rank(terms, text.length, got[1]);
        if (!ranking || !ranking.length) {
          ranking = null;
          status.textContent = "没有找到“" + query + "”。可以换个词，或去掉筛选条件再试。";
          return;
        }
        return showMore(query, mine).then(function (page) {
          if (mine !== generation) { return; }
          var whole = page.some(function (s) { return s.coverage > 0.999; });
          status.textContent = whole ? "找到 " + ranking.length + " 个结果：" + query
            : "没有完全包含“" + query + "”的结果；以下 " + ranking.length + " 个结果包含其中部分文字，包含得多的在前。";
        });
      });
    }).then(function () {
      if (mine === generation) { form.setAttribute("data-ms", String(Math.round(performance.now() - started))); }
    }).catch(function (error) {
      status.textContent = "搜索出错：" + error.message + "。请检查网络后再试。";
      form.setAttribute("data-ms", String(Math.round(performance.now() - started)));
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  var typing = null;
  input.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(search, 200); });
  FACETS.forEach(function (f) { form.elements[f[0]].addEventListener("change", search); });
  moreButton.addEventListener("click", function () { showMore(input.value.trim(), generation); });

  loadFold().catch(function () {});  // the search that needs it reports what went wrong
  fetchJson("meta.json").then(function (loaded) {
    if (loaded.version !== VERSION) { throw new Error("索引格式 " + loaded.version + " 与本页脚本不符，请刷新页面"); }
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
