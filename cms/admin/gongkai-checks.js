// The checks before publishing: when 发布 is clicked, the file as it would be saved is checked
// and its results listed in a panel (errors first, each at its line and column, with the section
// it is in, and a button to the field where the form has one); a file the build would refuse is
// not published (a prePublish listener that throws: Decap then saves nothing and says why).
//
// In the local mode (`make cms`, generator/editing/precheck.py) the page's own server runs
// `python -m generator check FILE --format json` on a temporary copy of data/ with the file
// replaced. A page on the published site has no such server: the panel says so, the save goes
// ahead, and the repository's CI runs the same check before the site is rebuilt (docs/architecture.md).

import * as YAML from './yaml/index.js';
import { PARSE } from './gongkai-yaml.js';

const CMS = window.CMS;
const FORMAT = 'gongkai-yaml'; // generator/editing/cms.py FORMAT, registered by gongkai-cms.js
const ENDPOINT = new URL('check', import.meta.url);
const WORDS = { error: '错误', warning: '警告', notice: '提示', unchecked: '未核对' };
const SHOWN = 200; // results listed at most; the count says how many more

// Fields of the form that can take the clerk to a place of the file: each says what value it
// holds (an object of the entry's data: Decap keeps the same object while it is not edited) and
// shows a line of it. gongkai-cms.js registers its YAML boxes; a grid can register its cells.
const places = new Set();

export function placeField(place) {
  places.add(place);
  return () => places.delete(place);
}

// ---- where a result points in the file, and which field holds it ----

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

// The path of keys and indexes to the innermost node of *node* holding *offset*, with the node
// of each step (the check's column counts characters, as the text does here).
function pathTo(node, offset, path = [], nodes = [node]) {
  if (YAML.isMap(node)) {
    for (const pair of node.items) {
      const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const range = pair.value && pair.value.range;
      const keyRange = pair.key && pair.key.range;
      if (range && range[0] <= offset && offset < range[2]) return pathTo(pair.value, offset, [...path, key], [...nodes, pair.value]);
      if (keyRange && keyRange[0] <= offset && offset < keyRange[2]) return { path: [...path, key], nodes: [...nodes, pair.value] };
    }
  } else if (YAML.isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      if (item && item.range && item.range[0] <= offset && offset < item.range[2]) {
        return pathTo(item, offset, [...path, i], [...nodes, item]);
      }
    }
  }
  return { path, nodes };
}

// The titles of the sections around a place: what a clerk recognises in the form.
function titlesOf(nodes) {
  return nodes
    .filter(node => YAML.isMap(node) && node.has('title'))
    .map(node => String(node.get('title')))
    .filter(Boolean);
}

// The file read once, to place each of its results: located(file, row) → {path, nodes, starts}.
function readFile(text) {
  const doc = YAML.parseDocument(text, PARSE);
  return { contents: doc.errors.length ? null : doc.contents, starts: lineStarts(text) };
}

function located(file, row) {
  const { contents, starts } = file;
  if (!contents || row.line > starts.length) return { path: [], nodes: [], starts };
  const offset = starts[row.line - 1] + Math.max(0, row.column - 1);
  return { ...pathTo(contents, offset), starts };
}

const lineOf = (starts, offset) => {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return line + 1;
};

// The field that shows *row*'s place, as a function that goes there; null when the form has none.
function goerFor(entry, where, row) {
  const data = entry.get('data');
  for (let depth = where.path.length; depth > 0; depth--) {
    const value = data.getIn(where.path.slice(0, depth));
    if (value === undefined || value === null || typeof value !== 'object') continue;
    const place = [...places].find(p => p.value() === value);
    if (place) {
      const node = where.nodes[depth];
      const first = node && node.range ? lineOf(where.starts, node.range[0]) : row.line;
      return () => place.show(row.line - first + 1, where.path.slice(depth));
    }
  }
  // A scalar field (a title, a prose section): the one input of the form holding its text.
  const value = where.path.length ? data.getIn(where.path) : undefined;
  if (typeof value !== 'string' || !value.trim()) return null;
  const inputs = [...document.querySelectorAll('input, textarea')].filter(e => e.value === value);
  return inputs.length === 1 ? () => goTo(inputs[0]) : null;
}

// The outermost collapsed list item around *element*: its top bar's first button opens it.
function reveal(element) {
  for (let tries = 0; tries < 12; tries++) {
    let hidden = null;
    for (let p = element; p; p = p.parentElement) if (getComputedStyle(p).display === 'none') hidden = p;
    if (!hidden) return;
    const toggle = hidden.parentElement && hidden.parentElement.querySelector('button');
    if (!toggle) return;
    toggle.click();
  }
}

export function goTo(element, line) {
  reveal(element);
  // to the top, below Decap's bar: the panel takes the bottom of the window
  element.style.scrollMarginTop = '90px';
  element.scrollIntoView({ block: 'start' });
  element.focus();
  if (line && typeof element.setSelectionRange === 'function') {
    const starts = lineStarts(element.value);
    const start = starts[Math.min(line, starts.length) - 1];
    const end = line < starts.length ? starts[line] - 1 : element.value.length;
    element.setSelectionRange(start, end);
  }
}

// ---- the panel ----

function panel() {
  let box = document.getElementById('gk-checks');
  if (!box) {
    box = document.createElement('section');
    box.id = 'gk-checks';
    box.className = 'gk-checks';
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', '发布前的核对');
    document.body.appendChild(box);
  }
  box.replaceChildren();
  const head = document.createElement('div');
  head.className = 'gk-checks-head';
  const title = document.createElement('h2');
  title.textContent = '发布前的核对';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'gk-checks-close';
  close.textContent = '关闭';
  close.addEventListener('click', () => box.remove());
  head.append(title, close);
  box.append(head);
  return box;
}

function say(box, text, kind) {
  const p = document.createElement('p');
  p.className = `gk-checks-verdict gk-checks-${kind}`;
  p.setAttribute('role', kind === 'refused' ? 'alert' : 'status');
  p.textContent = text;
  box.append(p);
}

function counted(results) {
  const counts = {};
  for (const row of results) counts[row.severity] = (counts[row.severity] || 0) + 1;
  return ['error', 'warning', 'unchecked', 'notice']
    .filter(s => counts[s])
    .map(s => `${counts[s]} 个${WORDS[s]}`)
    .join('，');
}

function list(box, answer, entry, text) {
  const items = document.createElement('ol');
  items.className = 'gk-checks-list';
  const file = readFile(text);
  for (const row of answer.results.slice(0, SHOWN)) {
    const item = document.createElement('li');
    item.className = `gk-check gk-check-${row.severity}`;
    const other = row.path !== answer.path; // another file's error that refuses this one
    const where = other ? { path: [], nodes: [] } : located(file, row);
    const titles = titlesOf(where.nodes);
    const place = `${other ? `${row.path} ` : ''}第 ${row.line} 行第 ${row.column} 列`;
    const go = other ? null : goerFor(entry, where, row);
    const mark = document.createElement(go ? 'button' : 'span');
    mark.className = 'gk-check-place';
    mark.textContent = `${place} · ${WORDS[row.severity] || row.severity}`;
    if (go) {
      mark.type = 'button';
      mark.title = '到表单里的这一处';
      mark.addEventListener('click', go);
    }
    const message = document.createElement('span');
    message.className = 'gk-check-message';
    message.textContent = row.message;
    item.append(mark, message);
    if (titles.length) {
      const section = document.createElement('span');
      section.className = 'gk-check-section';
      section.textContent = `在：${titles[titles.length - 1]}`;
      item.append(section);
    }
    items.append(item);
  }
  box.append(items);
  if (answer.results.length > SHOWN) say(box, `另有 ${answer.results.length - SHOWN} 条未列出：在命令行运行 python -m generator check ${answer.path}`, 'more');
}

// The file as Decap would save it: the page's format, given the entry's data.
function fileText(entry) {
  const format = CMS.getCustomFormatsFormatters()[FORMAT];
  return format.toFile(entry.get('data').toJS());
}

// What Decap's toast says after 保存内容失败: the message itself, without Error's "Error: ".
function refusal(message) {
  return Object.assign(new Error(message), { toString: () => message });
}

async function asked(path, text) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path, text }),
    });
  } catch {
    return null; // no server of ours: a page on the published site
  }
  const type = response.headers.get('Content-Type') || '';
  if (!type.startsWith('application/json')) return null;
  return { status: response.status, body: await response.json() };
}

// The 数据核对 page of a document on the published site (core/urls.py: bureau/year/file/checks/),
// beside admin/; null for a bureau's file.
function publishedChecks(path) {
  const parts = path.split('/');
  if (parts.length !== 4 || parts[0] !== 'data') return null;
  return new URL(`../${parts[1]}/${parts[2]}/${parts[3].replace(/\.yaml$/, '')}/checks/`, document.baseURI).href;
}

let runs = 0; // a second click while a check runs: only the latest one fills the panel

async function checkBeforePublishing({ entry }) {
  const path = entry.get('path');
  const text = fileText(entry);
  const run = ++runs;
  say(panel(), `正在核对 ${path}……`, 'busy');
  const answer = await asked(path, text);
  const box = run === runs ? panel() : document.createElement('section');
  if (answer === null) {
    say(box, '网上编辑时，这里不能在发布前核对。发布后，网站的自动构建会做同样的核对：有错误时网站不更新（原来的网页不变），'
      + '错误列在构建的记录里，请管理员告诉你。想在发布前看到核对结果，请在本机用 make cms 编辑。', 'remote');
    const published = publishedChecks(path);
    if (published) {
      const link = document.createElement('a');
      link.href = published;
      link.target = '_blank';
      link.textContent = '网站上这份文件现在的数据核对（上次构建成功时的版本，不含这次的修改）';
      box.append(link);
    }
    return undefined;
  }
  if (answer.status !== 200) {
    say(box, `无法核对，没有发布：${answer.body.error}`, 'refused');
    throw refusal(`无法核对，没有发布：${answer.body.error}`);
  }
  const found = answer.body;
  const counts = counted(found.results);
  if (found.refused) {
    const errors = found.results.filter(row => row.severity === 'error').length;
    say(box, `有错误，不能发布：${counts}。改正错误后再点“发布”；警告和提示不妨碍发布。`, 'refused');
    list(box, found, entry, text);
    throw refusal(`有 ${errors} 个错误，没有发布：见“发布前的核对”`);
  }
  say(box, counts ? `没有挡住发布的错误，正在发布：${counts}，请看一看。` : '核对通过，没有问题，正在发布。', 'passed');
  list(box, found, entry, text);
  return undefined;
}

CMS.registerEventListener({ name: 'prePublish', handler: checkBeforePublishing });
