// What the loader refuses in a table of a form, for the form editor: a table's values, rows and
// totals checked as generator/load/tables.py bind_form_table binds them, each problem with the
// loader's own message and where it is, so that a save the loader would refuse is not made.
//
// The rules and every message come from the build, in form-rules.json (generator/editing/form_rules.py):
// the amount and percentage refusals of generator/core/amounts.py, the loader's messages as
// templates, and the forms' panels, rows and columns. What is written here is only the order in
// which bind_form_table checks (the functions below follow it, name for name) and difflib's close
// match for "是不是要写 …？". tests/test_form_rules.py runs these functions under node on the inputs
// it gives the loader and compares the answers.
//
// tableProblems takes plain values (a grid can call it too: issue 20) and says where each problem
// is as a path ['rows', 2, '合计']; textProblems reads a text box's YAML and turns paths into lines.
// Pure functions: imported by the admin page and by the tests.

import * as YAML from './yaml/index.js';

// The parts of a table of a form that are checked against its form (the rest are form fields).
export const FORM_PARTS = ['values', 'rows', 'totals'];

// YAML read as the loader reads it: every value is the text typed (no numbers, no true/false), a
// key written with nothing after it is blank (null).
const TYPED_TAGS = ['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool'];
export const AS_TEXT = {
  schema: 'core',
  customTags: tags => tags.filter(tag => !TYPED_TAGS.includes(tag.tag)),
  uniqueKeys: true,
};

class Invalid extends Error {
  constructor(path, message) {
    super(message);
    this.path = path;
  }
}

const compiled = new Map();
function regex(pattern, flags = 'u') {
  const key = `${flags}/${pattern}`;
  if (!compiled.has(key)) compiled.set(key, new RegExp(pattern, flags));
  return compiled.get(key);
}
const full = (pattern, text) => regex(`^(?:${pattern})$`).test(text);

// core/problems.excerpt(): what was typed, as a message may quote it: its first line, at most
// `limit` characters (code points, as Python counts them), … for the rest.
const LINE_BREAKS = /\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/; // str.splitlines()'s
export function excerpt(text, limit) {
  const first = [...(String(text).split(LINE_BREAKS)[0])];
  if (first.join('') === String(text) && first.length <= limit) return String(text);
  return first.slice(0, limit).join('') + '…';
}

// A template's {names} filled in; braces around anything else ({合计: …}) are the message's own.
// {text} and {fix} are what the clerk typed: quoted as an excerpt, as the loader quotes them, at
// most rules.excerpt characters (set by each exported function that is given the rules).
let excerptLimit = Infinity;
const useRules = rules => {
  excerptLimit = rules && rules.excerpt ? rules.excerpt : Infinity;
};
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) return whole;
    return name === 'text' || name === 'fix' ? excerpt(values[name], excerptLimit) : String(values[name]);
  });
}

const hex = char => char.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');

// str.strip(): the white space Python strips (rules.space), which is not quite JavaScript's trim().
function strip(rules, text) {
  return text.replace(regex(`^${rules.space}+|${rules.space}+$`, 'gu'), '');
}

// ---- values: the loader's fields (generator/source/fields.py) and parsers (core/amounts.py) ----

// core/amounts.py refused(): why *text* is not a number of *numbers* (AMOUNT_RULES, PERCENT_RULES).
export function refused(rules, numbers, text) {
  useRules(rules);
  let subject = strip(rules, text);
  if (numbers.fold) subject = subject.normalize('NFKC');
  if (numbers.accept.some(pattern => full(pattern, subject))) return null;
  for (const refusal of numbers.refusals) {
    if (!full(refusal.shape, subject)) continue;
    let fix = subject;
    for (const step of refusal.fix) {
      fix = step.length === 1 && step[0] === 'nfkc' ? fix.normalize('NFKC') : fix.replace(regex(step[0], 'gu'), () => step[1]);
    }
    if (refusal.fix_is_plain && !full(rules.plain_amount, fix)) continue;
    const space = regex(rules.space).exec(subject);
    return fill(refusal.message, { text, fix, space: space ? `U+${hex(space[0])}` : '' });
  }
  return fill(numbers.fallback, { text });
}

// core/text.py refused_message(): a character no reader sees (by Unicode category), refused in any
// value, with the exceptions the loader makes: tab and line feed, a zero-width joiner inside an emoji
// sequence, a flag's tag characters after 🏴. rules.hidden: the refused code points as ranges with
// their names, from the loader.
function refusedRange(hidden, point) {
  let low = 0;
  let high = hidden.ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, end] = hidden.ranges[middle];
    if (point < start) high = middle - 1;
    else if (point > end) low = middle + 1;
    else return hidden.ranges[middle];
  }
  return null;
}

const isEmoji = char => /^\p{So}$/u.test(char);

function joinsEmoji(hidden, chars, at) {
  let before = at - 1;
  while (before >= 0 && hidden.emoji_tail.includes(chars[before])) before -= 1;
  return before >= 0 && at + 1 < chars.length && isEmoji(chars[before]) && isEmoji(chars[at + 1]);
}

function flagTagsEnd(hidden, chars, at) {
  if (at === 0 || chars[at - 1] !== hidden.flag) return at;
  let end = at;
  const [low, high] = hidden.tags;
  while (end < chars.length && chars[end].codePointAt(0) >= low && chars[end].codePointAt(0) <= high) end += 1;
  return end < chars.length && chars[end] === hidden.cancel_tag ? end + 1 : at;
}

export function hiddenCharacter(rules, text) {
  useRules(rules);
  const hidden = rules.hidden;
  const chars = Array.from(text); // code points, as Python indexes a str
  for (let at = 0; at < chars.length; at += 1) {
    const char = chars[at];
    const range = refusedRange(hidden, char.codePointAt(0));
    if (!range || hidden.allowed.includes(char)) continue;
    if (char === hidden.joiner && joinsEmoji(hidden, chars, at)) continue;
    const end = flagTagsEnd(hidden, chars, at);
    if (end > at) {
      at = end - 1;
      continue;
    }
    const before = Array.from(chars.slice(0, at).join('').split('\n').pop()).slice(-hidden.before).join('');
    const what = `U+${hex(char)}${range[2]}`;
    const kind = range[3] ? 'private_' : '';
    return fill(before ? hidden[`${kind}after`] : hidden[`${kind}at_start`], { what, before });
  }
  return null;
}

const isMapping = value => value instanceof Map || (value !== null && typeof value === 'object' && !Array.isArray(value));
const isBlank = value => value === null || value === undefined;
const entries = value => (value instanceof Map ? [...value.entries()] : Object.entries(value));
const textOf = value => (typeof value === 'string' ? value : String(value));

// core/amounts.py _exact_in_downloads(): an accepted number with more significant digits than the
// downloads carry exactly (leading and trailing zeros do not count, as Decimal.normalize() drops them).
function tooManyDigits(rules, kind, text) {
  const stripped = strip(rules, text);
  const number = kind === 'percent' ? (stripped.normalize('NFKC').match(/^-?[0-9.]*/) || [''])[0] : stripped;
  const digits = number.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
  return digits > rules.digits.most ? fill(rules.digits.message, { text: stripped, digits }) : null;
}

// load/tables.py cell_value(): the problem of one cell of a column of *type*, or null.
export function cellProblem(rules, type, value) {
  useRules(rules);
  const kind = ['amount', 'percent', 'code'].includes(type) ? type : 'name';
  if (isMapping(value)) return rules.cell.not_scalar[kind].mapping;
  if (Array.isArray(value)) return rules.cell.not_scalar[kind].list;
  const text = textOf(value);
  const hidden = hiddenCharacter(rules, text);
  if (hidden) return hidden;
  if (kind === 'amount' || kind === 'percent') return refused(rules, rules[kind], text) ?? tooManyDigits(rules, kind, text);
  const stripped = strip(rules, text);
  if (kind === 'code') return full(rules.cell.code_pattern, stripped) ? null : fill(rules.cell.code, { text: stripped });
  return stripped ? null : rules.cell.empty_text;
}

// load/tables.py: a cell marked unreadable ({unreadable: 原件印的文字, note: 说明}), a mapping with the
// key rules.cell.unreadable.key.
export const isUnreadable = (rules, value) => isMapping(value) && entries(value).some(([key]) => key === rules.cell.unreadable.key);

// scalar_text() of the text and the note of a cell marked unreadable: null, or the problem.
function unreadableText(rules, value, messages) {
  if (isMapping(value)) return messages.mapping;
  if (Array.isArray(value)) return messages.list;
  if (isBlank(value)) return messages.empty;
  const text = textOf(value);
  return hiddenCharacter(rules, text) ?? (strip(rules, text) ? null : messages.empty);
}

// load/tables.py unreadable_value(): the problem of a cell marked unreadable in a column of *type*,
// as [its path below the cell, message, whether at a key], or null.
export function unreadableProblem(rules, type, value) {
  useRules(rules);
  const messages = rules.cell.unreadable;
  if (type !== 'amount' && type !== 'percent') return [[], messages.not_here, false];
  for (const [key, child] of entries(value)) {
    if (key === messages.key) {
      const problem = unreadableText(rules, child, messages.text);
      if (problem) return [[key], problem, false];
      const text = strip(rules, textOf(child));
      const why = refused(rules, rules[type], text);
      if (why === null) return [[key], fill(messages.readable, { text }), false];
      if (why !== fill(rules[type].fallback, { text })) return [[key], why, false]; // a number, written otherwise
    } else if (key === messages.note_key) {
      const problem = unreadableText(rules, child, messages.note);
      if (problem) return [[key], problem, false];
    } else {
      return [[key], fill(messages.unknown, { text: key }), true];
    }
  }
  return null;
}

// ---- difflib.get_close_matches(word, options, n=1, cutoff) ----

// SequenceMatcher(None, a, b), as Python computes its ratios (autojunk included), on code points.
function matcher(b) {
  const b2j = new Map();
  b.forEach((char, j) => {
    if (!b2j.has(char)) b2j.set(char, []);
    b2j.get(char).push(j);
  });
  if (b.length >= 200) {
    const most = Math.floor(b.length / 100) + 1;
    for (const [char, places] of [...b2j]) if (places.length > most) b2j.delete(char);
  }
  const counts = new Map();
  for (const char of b) counts.set(char, (counts.get(char) || 0) + 1);

  function longest(a, alo, ahi, blo, bhi) {
    let [besti, bestj, bestsize] = [alo, blo, 0];
    let j2len = new Map();
    for (let i = alo; i < ahi; i++) {
      const next = new Map();
      for (const j of b2j.get(a[i]) || []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) || 0) + 1;
        next.set(j, k);
        if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
      }
      j2len = next;
    }
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) [besti, bestj, bestsize] = [besti - 1, bestj - 1, bestsize + 1];
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize += 1;
    return [besti, bestj, bestsize];
  }

  const ratio = (matches, length) => (length ? (2.0 * matches) / length : 1.0);
  return {
    realQuick: a => ratio(Math.min(a.length, b.length), a.length + b.length),
    quick(a) {
      const available = new Map();
      let matches = 0;
      for (const char of a) {
        const left = available.has(char) ? available.get(char) : counts.get(char) || 0;
        available.set(char, left - 1);
        if (left > 0) matches += 1;
      }
      return ratio(matches, a.length + b.length);
    },
    full(a) {
      let matches = 0;
      const queue = [[0, a.length, 0, b.length]];
      while (queue.length) {
        const [alo, ahi, blo, bhi] = queue.pop();
        const [i, j, k] = longest(a, alo, ahi, blo, bhi);
        if (!k) continue;
        matches += k;
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
      return ratio(matches, a.length + b.length);
    },
  };
}

// Python compares strings by code points (JavaScript by UTF-16 units): the tie-break of nlargest.
function laterThan(x, y) {
  const [a, b] = [Array.from(x), Array.from(y)];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i].codePointAt(0) > b[i].codePointAt(0);
  }
  return a.length > b.length;
}

export function closeMatch(word, options, cutoff) {
  const sequence = matcher(Array.from(word));
  let best = null;
  for (const option of options) {
    const a = Array.from(option);
    if (sequence.realQuick(a) < cutoff || sequence.quick(a) < cutoff) continue;
    const score = sequence.full(a);
    if (score < cutoff) continue;
    if (best === null || score > best.score || (score === best.score && laterThan(option, best.option))) best = { score, option };
  }
  return best && best.option;
}

// ---- the table: load/tables.py bind_form_table and its helpers, in their order ----

// The problems of the parts (values, rows, totals) of *table* for *form* (form-rules.json's
// form_sets[set][number]): [{path, key, message}], key true when the key itself is what is wrong.
export function tableProblems(rules, form, table) {
  useRules(rules);
  const messages = rules.table;
  const number = form.number;
  const problems = [];
  const report = (path, message, key = false) => problems.push({ path, key, message });
  const part = name => (table instanceof Map ? table.get(name) : table[name]);

  function unknown(word, options, what) {
    const invisible = hiddenCharacter(rules, word); // the key is right but for a character no one sees
    if (invisible) return invisible;
    const close = closeMatch(word, options, 0.5);
    const hint = close === null ? messages.unknown_none : messages.unknown_close;
    return fill(hint, { what, word, close, options: options.join(messages.separator) });
  }

  function describe(value) {
    if (isMapping(value)) return messages.found.mapping;
    if (Array.isArray(value)) return messages.found.list;
    if (isBlank(value)) return messages.found.null;
    return fill(messages.found.scalar, { text: textOf(value) });
  }

  function mapping(value, path, what) {
    if (!isMapping(value)) throw new Invalid(path, fill(messages.not_mapping, { what, found: describe(value) }));
    return value;
  }

  function perPanel(value, path, name) {
    const found = new Map();
    if (value === undefined) return found;
    if (form.single) return found.set(form.panels[0].key, [value, path]);
    const keys = form.panels.map(panel => panel.key);
    const what = fill(messages[`panels_${name}`], { panels: keys.join(messages.separator) });
    for (const [key, child] of entries(mapping(value, path, what))) {
      if (!keys.includes(key)) report([...path, key], unknown(key, keys, fill(messages.panel_keys, { form: number })), true);
      else found.set(key, [child, [...path, key]]);
    }
    return found;
  }

  function bindFixed(panel, value, path) {
    const amounts = panel.columns.filter(([, type]) => type === 'amount');
    for (const [key, child] of entries(mapping(value, path, fill(messages.fixed_values, { form: number })))) {
      const at = [...path, key];
      if (!panel.rows.includes(key)) {
        report(at, unknown(key, panel.rows, fill(messages.row_keys, { form: number })), true);
        continue;
      }
      if (isBlank(child)) continue; // a blank row, written out for clarity
      if ((!isMapping(child) && !Array.isArray(child)) || isUnreadable(rules, child)) {
        if (amounts.length !== 1) {
          report(at, fill(messages.several_amounts, { form: number, row: key, count: amounts.length }));
          continue;
        }
        cell(at, 'amount', child);
        continue;
      }
      bindCells(panel, mapping(child, at, fill(messages.row_values, { row: key })), at, ['amount', 'percent', 'text']);
    }
  }

  function bindCells(panel, value, path, types) {
    const columns = new Map();
    for (const [key, type] of panel.columns) if (!columns.has(key)) columns.set(key, type);
    for (const [key, child] of entries(value)) {
      const at = [...path, key];
      const type = columns.get(key);
      if (type === undefined && /^[0-9.]+$/.test(key)) {
        report(at, fill(messages.cut_number, { word: key }), true);
        continue;
      }
      if (type === undefined || !types.includes(type)) {
        const allowed = panel.columns.filter(([, kind]) => types.includes(kind)).map(([name]) => name);
        report(at, unknown(key, allowed, fill(messages.column_keys, { form: number })), true);
        continue;
      }
      if (isBlank(child)) continue; // a blank cell
      cell(at, type, child);
    }
  }

  // one cell (load/tables.py cell_value): a value, or a mapping marked unreadable
  function cell(at, type, child) {
    if (isUnreadable(rules, child)) {
      const found = unreadableProblem(rules, type, child);
      if (found) report([...at, ...found[0]], found[1], found[2]);
      return;
    }
    const problem = cellProblem(rules, type, child);
    if (problem) report(at, problem);
  }

  function bindRows(panel, value, path) {
    if (isBlank(value)) return;
    if (!Array.isArray(value)) throw new Invalid(path, fill(messages.rows_not_a_list, { form: number, found: describe(value) }));
    value.forEach((child, index) => {
      const at = [...path, index];
      try {
        bindCells(panel, mapping(child, at, messages.row), at, ['code', 'name', 'amount', 'percent', 'text', 'item']);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        report(error.path, error.message);
      }
    });
  }

  try {
    const values = perPanel(part('values'), ['values'], 'values');
    const rows = perPanel(part('rows'), ['rows'], 'rows');
    for (const panel of form.panels) {
      if (panel.rows !== null) {
        if (rows.has(panel.key)) report(rows.get(panel.key)[1], fill(messages.rows_of_fixed, { form: number }));
        if (values.has(panel.key)) bindFixed(panel, ...values.get(panel.key));
      } else {
        if (values.has(panel.key)) report(values.get(panel.key)[1], fill(messages.values_of_free, { form: number }));
        if (rows.has(panel.key)) bindRows(panel, ...rows.get(panel.key));
      }
    }
    const totals = part('totals');
    if (totals !== undefined) {
      for (const [key, child] of entries(mapping(totals, ['totals'], fill(messages.totals, { form: number })))) {
        if (!form.footer.includes(key)) {
          report(['totals', key], unknown(key, form.footer, fill(messages.footer_keys, { form: number })), true);
          continue;
        }
        if (isBlank(child)) continue; // blank, as a blank cell
        if (isUnreadable(rules, child)) {
          const found = unreadableProblem(rules, 'amount', child);
          if (found) throw new Invalid(['totals', key, ...found[0]], found[1]);
          continue;
        }
        const problem = cellProblem(rules, 'amount', child);
        if (problem) throw new Invalid(['totals', key], problem);
      }
    }
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    report(error.path, error.message);
  }
  return problems;
}

// ---- YAML text: problems at their lines ----

// A key as the loader reads it: the text typed (`~` is the text ~ there, not a blank).
function keyText(key) {
  if (!YAML.isScalar(key)) return key === null || key === undefined ? '' : String(key);
  return key.value === null ? String(key.source ?? '') : String(key.value);
}

// The plain values of a YAML node, as tableProblems takes them: mappings as Maps in the order
// written, lists as arrays, every value its text, a blank null.
export function valueOf(node) {
  if (YAML.isMap(node)) return new Map(node.items.map(pair => [keyText(pair.key), valueOf(pair.value)]));
  if (YAML.isSeq(node)) return node.items.map(valueOf);
  if (YAML.isScalar(node)) return node.value === null ? null : String(node.value);
  return null;
}

// The line of *path* in *doc* (its key's line when *key*, or when the value has no node of its own).
export function lineOf(doc, counter, path, key = false) {
  let node = doc.contents;
  let keyNode = null;
  for (const step of path) {
    if (YAML.isMap(node)) {
      const pair = node.items.find(item => keyText(item.key) === step);
      keyNode = pair ? pair.key : null;
      node = pair ? pair.value : null;
    } else {
      keyNode = null;
      node = YAML.isSeq(node) ? node.items[step] : null;
    }
    if (!node && !keyNode) break;
  }
  const at = (key ? keyNode : node && node.range ? node : keyNode) || doc.contents;
  return at && at.range ? Math.max(1, counter.linePos(at.range[0]).line) : 1;
}

function parsed(text) {
  const counter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { ...AS_TEXT, lineCounter: counter });
  return { doc, counter };
}

// The problems of the YAML text of one part of a table (*name*: values, rows or totals) for *form*:
// [{line, message}], by line. A text that is not YAML has none here (its box says what is wrong);
// nor has an empty text of a part the file does not have (*absent*: nothing is written). An empty
// text of a part it has is written `values:`, which the loader reads as blank.
export function textProblems(rules, form, name, text, absent = false) {
  useRules(rules);
  const { doc, counter } = parsed(text);
  if (doc.errors.length || (absent && doc.contents === null)) return [];
  const found = tableProblems(rules, form, new Map([[name, valueOf(doc.contents)]]));
  return found
    .map(problem => ({ line: lineOf(doc, counter, problem.path.slice(1), problem.key), message: problem.message }))
    .sort((a, b) => a.line - b.line);
}

// The same for a whole table written as YAML (form:, values:, rows:, totals:), as the loader reads
// one: how the tests give both the same input.
export function tableTextProblems(rules, form, text) {
  useRules(rules);
  const { doc, counter } = parsed(text);
  if (doc.errors.length) throw new Error(doc.errors[0].message);
  const found = tableProblems(rules, form, valueOf(doc.contents));
  return found.map(problem => ({ line: lineOf(doc, counter, problem.path, problem.key), message: problem.message }));
}
