// The grid of a 绩效 table's indicators (issue 20): the columns its 绩效 form prints (一级指标,
// 二级指标, 三级指标, 指标值, 完成值, 分值, 得分…, form-rules.json indicator_forms), one row per
// indicator with its groups' names merged over their rows as the printed table shows them, one
// input per cell. It edits the indicator tree as the file holds it (groups with name and items,
// indicators as {…} rows), so that a save changes only the edited cells (gongkai-yaml.js); 分值 and
// 得分 are checked as typed with the loader's amount rules and its refusal below zero.
// gongkai-cms.js shows it in place of the per-indicator forms, which stay as the advanced view.
// The grid's pieces (a pasted block, a cell's check) are gongkai-grid.js's and gongkai-tables.js's.

import { pastedBlock } from './gongkai-grid.js';
import { cellProblem, fill } from './gongkai-tables.js';

const LEVELS = ['level1', 'level2', 'level3'];
const SCORES = ['score', 'scored'];
const isMapping = value => value !== null && typeof value === 'object' && !Array.isArray(value);
const isBlank = value => value === null || value === undefined || value === '';
const copy = value => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const isGroup = node => isMapping(node) && Array.isArray(node.items);

// The 绩效 form a table names (表样文件:表样名, or the name alone in the document's form set), or null.
export function indicatorFormOf(rules, written, documentFormSet) {
  if (!rules || !rules.indicator_forms || typeof written !== 'string') return null;
  const at = written.lastIndexOf(':');
  const set = at < 0 ? documentFormSet : written.slice(0, at);
  const forms = rules.indicator_forms[set];
  return (forms && forms[written.slice(at + 1)]) || null;
}

const depthOf = form => form.columns.filter(([key]) => LEVELS.includes(key)).length;

// The level (1: 一级指标) whose groups print 分值 and 得分 as one merged cell, or 0: each indicator.
export function scoreLevel(form) {
  if (form.scores_at.includes('leaf')) return 0;
  const level = form.scores_at.map(at => LEVELS.indexOf(at) + 1).filter(n => n > 0 && n <= depthOf(form));
  return level.length ? Math.min(...level) : 0;
}

// The indicators as rows: each its path in the tree ([i, j, k]: tree[i].items[j].items[k]) and its
// groups (path, whether this row is the group's first, how many rows it spans). null when the tree
// is not as deep as the form's level columns (the advanced view shows what is there).
export function indicatorRows(form, tree) {
  const depth = depthOf(form);
  const rows = [];
  let fits = Array.isArray(tree);
  const walk = (nodes, level, path, groups) => {
    nodes.forEach((node, i) => {
      const here = [...path, i];
      if (level < depth) {
        if (!isGroup(node) || !node.items.length) {
          fits = false;
          return;
        }
        const group = { path: here, first: rows.length, span: 0 };
        walk(node.items, level + 1, here, [...groups, group]);
        group.span = rows.length - group.first;
      } else if (isGroup(node) || !isMapping(node)) {
        fits = false;
      } else {
        rows.push({ path: here, groups });
      }
    });
  };
  if (fits) walk(tree, 0, [], []);
  return fits ? rows : null;
}

function nodeAt(tree, path) {
  let node = { items: tree };
  for (const i of path) node = node.items[i];
  return node;
}

// The tree path of a node (as the loader's marks place it): [0, 'items', 1, 'items', 2].
const treePath = path => path.flatMap((i, n) => (n ? ['items', i] : [i]));

// Where the cell of *column* in *row* is held: the indicator itself, or the group a merged cell is of.
export function cellPlace(form, row, column) {
  const level = LEVELS.indexOf(column) + 1;
  if (level > 0) return { group: row.groups[level - 1], key: 'name' };
  const scores = scoreLevel(form);
  if (SCORES.includes(column) && scores) return { group: row.groups[scores - 1], key: column };
  return { group: null, key: column };
}

// The value of a cell, and whether this row draws it (a merged cell is drawn by its group's first row).
export function cellOf(form, tree, rows, index, column) {
  const row = rows[index];
  const { group, key } = cellPlace(form, row, column);
  const node = nodeAt(tree, group ? group.path : row.path);
  return { value: node[key], path: [...treePath(group ? group.path : row.path), key], drawn: !group || group.first === index, span: group ? group.span : 1 };
}

// *tree* with one cell set to *text* (a copy). An emptied cell is taken out of its indicator or
// group: fmt writes the {…} row without it, and the loader reads it as not printed.
export function withIndicatorCell(form, tree, rows, index, column, text) {
  const out = copy(tree);
  const row = rows[index];
  const { group, key } = cellPlace(form, row, column);
  const node = nodeAt(out, group ? group.path : row.path);
  if (isBlank(text)) delete node[key];
  else node[key] = text;
  return out;
}

// *tree* with an empty indicator added after row *index* in the same group (or, for an empty
// tree, a first one under empty groups as deep as the form's levels).
export function withIndicatorAdded(form, tree, rows, index) {
  const out = Array.isArray(tree) ? copy(tree) : [];
  if (!rows.length) {
    let node = {};
    for (let level = 0; level < depthOf(form); level++) node = { items: [node] };
    out.push(...(depthOf(form) ? [node] : [{}]));
    return out;
  }
  const path = rows[index].path;
  const parent = path.length > 1 ? nodeAt(out, path.slice(0, -1)).items : out;
  parent.splice(path[path.length - 1] + 1, 0, {});
  return out;
}

// *tree* without the indicator of row *index*; a group left with no indicators goes with it (the
// loader refuses a group without items).
export function withIndicatorRemoved(form, tree, rows, index) {
  const out = copy(tree);
  let path = rows[index].path;
  for (;;) {
    const parent = path.length > 1 ? nodeAt(out, path.slice(0, -1)).items : out;
    parent.splice(path[path.length - 1], 1);
    if (parent.length || path.length === 1) return out;
    path = path.slice(0, -1);
  }
}

// A block copied from Excel pasted at row *index*, column *at* of the printed columns: it fills the
// cells to the right and below, adding indicators at the end as needed. A merged group cell takes
// the block's text only in the group's first row (Excel copies a merged cell so, the rest blank).
// Returns the tree and how many of the block's cells were left out.
export function withIndicatorBlock(form, tree, index, at, text) {
  let out = tree;
  let left = 0;
  pastedBlock(text).forEach((cells, i) => {
    let rows = indicatorRows(form, out);
    if (rows === null) {
      left += cells.length;
      return;
    }
    while (rows.length <= index + i) {
      out = withIndicatorAdded(form, out, rows, rows.length - 1);
      rows = indicatorRows(form, out);
    }
    cells.forEach((cell, j) => {
      const column = form.columns[at + j];
      if (!column) {
        left += 1;
        return;
      }
      const { value, drawn } = cellOf(form, out, rows, index + i, column[0]);
      if (!drawn) {
        if (cell.trim() && cell.trim() !== String(value ?? '')) left += 1;
        return;
      }
      out = withIndicatorCell(form, out, rows, index + i, column[0], cell.trim());
    });
  });
  return { tree: out, left };
}

// The problem of one typed cell as the loader binds it (source/schema.py INDICATOR, INDICATOR_GROUP):
// 分值 and 得分 are Score (an amount, not below zero), the rest text.
export function indicatorCellProblem(rules, column, value) {
  if (isBlank(value)) return null;
  if (!SCORES.includes(column)) return cellProblem(rules, 'text', value);
  const problem = cellProblem(rules, 'amount', value);
  if (problem) return problem;
  const text = String(value).trim();
  return text.startsWith('-') && /[1-9]/.test(text) ? fill(rules.score.negative, { text }) : null;
}

// Every problem of the grid's cells: [{index, column, path, message}].
export function indicatorProblems(rules, form, tree, rows) {
  const out = [];
  rows.forEach((_, index) => form.columns.forEach(([column]) => {
    const { value, path, drawn } = cellOf(form, tree, rows, index, column);
    const message = drawn ? indicatorCellProblem(rules, column, value) : null;
    if (message) out.push({ index, column, path, message });
  }));
  return out;
}

const labelOf = (form, column) => (form.columns.find(([key]) => key === column) || [column, column])[1];
export const indicatorPlace = (form, problem) => `第 ${problem.index + 1} 行「${labelOf(form, problem.column)}」`;

const displayed = value => (isBlank(value) ? '' : isMapping(value) || Array.isArray(value) ? JSON.stringify(value) : String(value));

// The grid's React class, made with the page's Decap (h, createClass); the functions above are
// pure, and the tests run them under node.
export const makeIndicatorGridControl = (h, createClass) => createClass({
  getInitialState() {
    return { note: null };
  },
  tree() {
    return Array.isArray(this.props.value) ? this.props.value : [];
  },
  paste(event, index, at) {
    const text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ''))) return;
    event.preventDefault();
    const { tree, left } = withIndicatorBlock(this.props.form, this.tree(), index, at, text);
    this.setState({ note: left ? `粘贴的内容超出表格，有 ${left} 格没有填入` : null });
    this.props.onChange(tree);
  },
  cell(rows, index, column, at, problems) {
    const { form } = this.props;
    const { value, path, drawn, span } = cellOf(form, this.tree(), rows, index, column);
    if (!drawn) return null;
    const own = problems.filter(p => p.index === index && p.column === column);
    const score = SCORES.includes(column);
    return h('td', { key: column, rowSpan: span, className: own.length ? 'gk-grid-cell gk-grid-bad' : 'gk-grid-cell' },
      h('input', {
        type: 'text',
        inputMode: score ? 'decimal' : undefined,
        className: `gk-grid-input gk-grid-${score ? 'amount' : 'text'}`,
        value: displayed(value),
        readOnly: isMapping(value) || Array.isArray(value),
        'aria-label': `第 ${index + 1} 行「${labelOf(form, column)}」`,
        'aria-invalid': own.length > 0,
        'data-path': JSON.stringify(path),
        spellCheck: false,
        onChange: event => this.props.onChange(withIndicatorCell(form, this.tree(), rows, index, column, event.target.value)),
        onPaste: event => this.paste(event, index, at),
        onFocus: this.props.onFocus,
        onBlur: this.props.onBlur,
      }),
      ...own.map((p, i) => h('div', { key: i, className: 'gk-grid-error', role: 'alert' }, p.message)),
    );
  },
  render() {
    const { form, rules } = this.props;
    const tree = this.tree();
    const rows = indicatorRows(form, tree);
    const problems = indicatorProblems(rules, form, tree, rows);
    const body = rows.map((row, index) => h('tr', { key: index },
      ...form.columns.map(([column], at) => this.cell(rows, index, column, at, problems)),
      h('td', { key: 'x', className: 'gk-grid-actions' },
        h('button', {
          type: 'button',
          className: 'gk-grid-add-after',
          'aria-label': `在第 ${index + 1} 行后添加一个指标`,
          title: `在第 ${index + 1} 行后添加一个指标（同一分组）`,
          onClick: () => this.props.onChange(withIndicatorAdded(form, tree, rows, index)),
        }, '+'),
        h('button', {
          type: 'button',
          className: 'gk-grid-remove',
          'aria-label': `删除第 ${index + 1} 行`,
          title: `删除第 ${index + 1} 行`,
          onClick: () => this.props.onChange(withIndicatorRemoved(form, tree, rows, index)),
        }, '×')),
    ));
    return h('div', { className: 'gk-grid-part', id: this.props.forID },
      h('div', { className: 'gk-grid-scroll' },
        h('table', { className: 'gk-grid gk-grid-indicators' },
          h('thead', {}, h('tr', {}, ...form.columns.map(([key, label]) => h('th', { key, scope: 'col' }, label)), h('th', { key: 'x' }))),
          h('tbody', {}, ...body),
        ),
      ),
      rows.length ? null : h('button', {
        type: 'button',
        className: 'gk-grid-add',
        onClick: () => this.props.onChange(withIndicatorAdded(form, tree, rows, 0)),
      }, '添加一个指标'),
      this.state.note ? h('p', { className: 'gk-grid-note', role: 'status' }, this.state.note) : null,
    );
  },
});
