// The grid of a table of a form (issue 20): the form's printed header (groups and 栏次), its fixed
// rows or its 科目 rows, one input per cell. It edits one part of the table (values, rows or
// totals) as plain values, the way the file holds them, so that a save changes only the edited
// cells (gongkai-yaml.js puts them into the file's own YAML tree); what the loader would refuse is
// found by gongkai-tables.js tableProblems on the same values and shown in the cell it is about.
// gongkai-cms.js shows it in place of the YAML text box, which stays as the advanced view.
// The cells hold what was typed, as text: numbers are never made of them (2549.10 stays 2549.10).
// The form comes from form-rules.json (generator/editing/form_rules.py form_data).

import { tableProblems } from './gongkai-tables.js';

const TOTALS_EVENT = 'gk-import-totals';
export const TABLE_DRAWN = 'gk-table-drawn'; // a table (gk-variants) drawn with a new value
const isMapping = value => value !== null && typeof value === 'object' && !Array.isArray(value);
const isBlank = value => value === null || value === undefined || value === '';
const copy = value => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const startsWith = (path, prefix) => path.length >= prefix.length && prefix.every((step, i) => step === path[i]);

// Which panels of *form* a part shows: values the fixed ones, rows the 科目 ones; totals the footer.
export function panelsOf(form, name) {
  if (name === 'values') return form.panels.filter(panel => panel.rows !== null);
  if (name === 'rows') return form.panels.filter(panel => panel.rows === null);
  return [];
}

// Whether the grid can show part *name* of *form* (else the YAML box shows it).
export function gridShows(form, name) {
  return name === 'totals' ? form.footer.length > 0 : panelsOf(form, name).length > 0;
}

// Columns a clerk types into: in a fixed row the figures (its 项目 and 行次 are the form's own).
const typed = (panel, type) => (panel.rows === null ? true : ['amount', 'percent', 'text'].includes(type));

// A panel's part of the value: the whole part for a form of one panel, else under the panel's key.
function panelValue(form, part, panel) {
  if (form.single) return part;
  return isMapping(part) ? part[panel.key] : undefined;
}

// The only amount column of a fixed panel, whose row may be written as its figure alone (`其他收入: 14.36`).
function soleAmount(panel) {
  const amounts = panel.columns.filter(([, type]) => type === 'amount');
  return amounts.length === 1 ? amounts[0][0] : null;
}

// The value of one cell, and its path in the table (as tableProblems reports it).
export function cellAt(form, name, part, panel, row, column) {
  if (name === 'totals') return { value: isMapping(part) ? part[column] : undefined, path: ['totals', column] };
  const base = form.single ? [name] : [name, panel.key];
  const value = panelValue(form, part, panel);
  if (panel.rows === null) {
    const item = Array.isArray(value) ? value[row] : undefined;
    return { value: isMapping(item) ? item[column] : undefined, path: [...base, row, column] };
  }
  const held = isMapping(value) ? value[row] : undefined;
  if (!isMapping(held) || isUnreadableCell(held)) {
    const sole = soleAmount(panel) === column;
    return { value: sole ? held : undefined, path: sole ? [...base, row] : [...base, row, column] };
  }
  return { value: held[column], path: [...base, row, column] };
}

// A cell marked unreadable ({unreadable: …, note: …}) is edited in the YAML view only.
const isUnreadableCell = value => isMapping(value) && 'unreadable' in value;

// *part* with one cell set to *text* (a copy: the part given is left as it is). An emptied cell of
// a row is taken out of the row (fmt writes a row without it, and the loader reads it blank as it
// reads `合计: ,`); a fixed row written as its figure alone is blank (`其他收入:`).
export function withCell(form, name, part, panel, row, column, text) {
  const out = isMapping(part) || Array.isArray(part) ? copy(part) : name === 'rows' && form.single ? [] : {};
  if (name === 'totals') {
    if (isBlank(text)) {
      if (column in out) out[column] = null;
    } else out[column] = text;
    return out;
  }
  let holder = out;
  if (!form.single) {
    if (!isMapping(out[panel.key]) && !Array.isArray(out[panel.key])) out[panel.key] = panel.rows === null ? [] : {};
    holder = out[panel.key];
  }
  if (panel.rows === null) {
    while (holder.length <= row) holder.push({});
    if (!isMapping(holder[row])) holder[row] = {};
    if (isBlank(text)) delete holder[row][column];
    else holder[row][column] = text;
    return out;
  }
  const held = holder[row];
  if (!isMapping(held) && soleAmount(panel) === column) {
    holder[row] = isBlank(text) ? null : text;
    return out;
  }
  const cells = isMapping(held) ? held : {};
  if (!isMapping(held) && !isBlank(held) && soleAmount(panel)) cells[soleAmount(panel)] = held;
  if (isBlank(text)) delete cells[column];
  else cells[column] = text;
  holder[row] = Object.keys(cells).length ? cells : null;
  return out;
}

// The 科目 rows of a free panel, with one added or taken out.
export function withRows(form, part, panel, change) {
  const out = Array.isArray(part) || isMapping(part) ? copy(part) : form.single ? [] : {};
  if (form.single) return change(out);
  out[panel.key] = change(Array.isArray(out[panel.key]) ? out[panel.key] : []);
  return out;
}

// A block copied from Excel: rows of tab-separated cells (the last line break is Excel's own).
export function pastedBlock(text) {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  return lines.map(line => line.split('\t'));
}

// The rows of a panel as the grid lays them out: a fixed panel's keyed rows, or the 科目 rows.
function rowsOf(form, name, part, panel) {
  if (panel.rows !== null) return panel.labels.map(([key]) => key);
  const value = panelValue(form, part, panel);
  return Array.isArray(value) ? value.map((_, i) => i) : [];
}

// How the clerk is told where a problem is: the row and the column as printed.
function placeOf(form, name, panel, row, column) {
  if (name === 'totals') return `合计行「${column}」`;
  const rowName = panel.rows === null ? `第 ${row + 1} 行` : `「${row}」行`;
  const panelName = form.single ? '' : `${panel.key}：`;
  return `${panelName}${rowName}「${column}」`;
}

const displayed = value => (isBlank(value) ? '' : isMapping(value) || Array.isArray(value) ? JSON.stringify(value) : String(value));

// The grid's React class, made with the page's Decap (h, createClass); the functions above are
// pure, and the tests run them under node.
export const makeGridControl = (h, createClass) => createClass({
  getInitialState() {
    return { note: null, importing: false, importText: '', importNote: null, importMessages: [] };
  },
  // The footer's figures of a table imported in the grid of its rows or values (one form, one
  // table open at a time: the page edits one document).
  componentDidMount() {
    if (this.props.name !== 'totals') return;
    window.addEventListener(TOTALS_EVENT, this.takeTotals);
    window.addEventListener(TABLE_DRAWN, this.applyTotals);
  },
  componentWillUnmount() {
    window.removeEventListener(TOTALS_EVENT, this.takeTotals);
    window.removeEventListener(TABLE_DRAWN, this.applyTotals);
  },
  // Taken once the table is drawn with the imported rows (TABLE_DRAWN): Decap makes the table's new
  // value from the one it was last drawn with, so a change of this part in the same moment would
  // undo the rows'.
  takeTotals(event) {
    if (event.detail.form === this.props.form.number) this.pendingTotals = event.detail.totals;
  },
  applyTotals() {
    const totals = this.pendingTotals;
    this.pendingTotals = null;
    if (totals) this.props.onChange(totals);
  },
  // A whole table, pasted with its header or chosen as a workbook, mapped onto the form by the
  // importer of the local server (importing/for_editor.py): the grid takes its values unsaved.
  async runImport(file) {
    const { importer, form, name } = this.props;
    if (!file && !this.state.importText.trim()) {
      this.setState({ importNote: '请先把整张表（连同表头）从 Excel 复制后粘贴在框里，或选择 .xlsx 文件', importMessages: [] });
      return;
    }
    const url = new URL(importer.url);
    url.searchParams.set('form_set', importer.formSet || '');
    url.searchParams.set('form', form.number);
    url.searchParams.set('name', file ? file.name : '');
    let answer;
    try {
      const body = file ? await file.arrayBuffer() : new TextEncoder().encode(this.state.importText);
      answer = await (await fetch(url, { method: 'POST', body })).json();
    } catch {
      answer = { messages: ['无法连接本机的表单编辑器：python -m generator cms（make cms）是否还在运行？'] };
    }
    if (!answer.parts) {
      this.setState({ importNote: '没有导入：请按下面的提示改正源表后再导入', importMessages: answer.messages });
      return;
    }
    if (answer.parts[name] !== null && answer.parts[name] !== undefined) this.props.onChange(answer.parts[name]);
    if (answer.parts.totals && name !== 'totals') {
      window.dispatchEvent(new CustomEvent(TOTALS_EVENT, { detail: { form: form.number, totals: answer.parts.totals } }));
    }
    this.setState({
      importing: false,
      importText: '',
      importNote: `已从源表读入 ${answer.count} 行，尚未保存：请核对后点“发布”`,
      importMessages: answer.messages,
    });
  },
  importPanel() {
    if (!this.props.importer || this.props.name === 'totals') return null;
    const button = h('button', {
      type: 'button',
      className: 'gk-grid-import-open',
      'aria-expanded': this.state.importing,
      onClick: () => this.setState({ importing: !this.state.importing, importNote: null, importMessages: [] }),
    }, '从 Excel 粘贴/导入');
    const messages = this.state.importNote || this.state.importMessages.length
      ? h('div', { className: 'gk-grid-import-result', role: 'status' },
        this.state.importNote ? h('p', {}, this.state.importNote) : null,
        this.state.importMessages.length
          ? h('ul', { className: 'gk-yaml-problems' }, ...this.state.importMessages.map((m, i) => h('li', { key: i }, m)))
          : null)
      : null;
    if (!this.state.importing) return h('div', { className: 'gk-grid-import' }, button, messages);
    return h('div', { className: 'gk-grid-import' }, button,
      h('p', { className: 'gk-grid-note' }, '在 Excel 中选中整张表（连同表头和栏次），复制，粘贴在下面；或选择 .xlsx 文件。表头按表样的栏目名称对应，与命令 import 相同。'),
      h('textarea', {
        className: 'gk-grid-import-text',
        rows: 6,
        value: this.state.importText,
        placeholder: '在这里粘贴整张表',
        onChange: event => this.setState({ importText: event.target.value }),
      }),
      h('div', {},
        h('button', { type: 'button', className: 'gk-grid-import-run', onClick: () => this.runImport(null) }, '导入粘贴的表'),
        h('label', { className: 'gk-grid-import-file' }, '或选择 .xlsx 文件：',
          h('input', { type: 'file', accept: '.xlsx,.xlsm', onChange: event => event.target.files[0] && this.runImport(event.target.files[0]) })),
      ),
      messages,
    );
  },
  part() {
    return this.props.value;
  },
  // The problems of this part ([{path, key, message}]), from the loader's rules.
  problems() {
    const { rules, form, name } = this.props;
    const part = this.part();
    if (part === undefined) return [];
    return tableProblems(rules, form, new Map([[name, part]]));
  },
  set(panel, row, column, text) {
    const { form, name } = this.props;
    this.props.onChange(withCell(form, name, this.part(), panel, row, column, text));
  },
  // A block pasted at one cell fills the cells to its right and below (more 科目 rows if needed).
  paste(event, panel, rowIndex, columnIndex) {
    const text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ''))) return; // one value: the input takes it as typed
    event.preventDefault();
    const { form, name } = this.props;
    const block = pastedBlock(text);
    const columns = panel ? panel.columns.filter(([, type]) => typed(panel, type)).map(([key]) => key) : form.footer;
    let part = this.part();
    let left = 0;
    const rows = panel ? rowsOf(form, name, part, panel) : [null];
    block.forEach((cells, i) => {
      const at = rowIndex + i;
      if (panel && panel.rows !== null && at >= rows.length) {
        left += cells.length;
        return;
      }
      if (!panel && i > 0) {
        left += cells.length;
        return;
      }
      cells.forEach((cell, j) => {
        const column = columns[columnIndex + j];
        if (column === undefined) {
          left += 1;
          return;
        }
        const row = panel && panel.rows !== null ? rows[at] : at;
        part = withCell(form, name, part, panel, row, column, cell.trim());
      });
    });
    this.setState({ note: left ? `粘贴的内容超出表格，有 ${left} 格没有填入` : null });
    this.props.onChange(part);
  },
  input(panel, row, column, type, rowIndex, columnIndex, problems, colSpan = 1) {
    const { form, name } = this.props;
    const { value, path } = cellAt(form, name, this.part(), panel, row, column);
    const own = problems.filter(p => startsWith(p.path, path));
    own.forEach(p => (p.shown = true));
    const marked = isUnreadableCell(value) || Array.isArray(value) || (isMapping(value) && !isUnreadableCell(value));
    const label = placeOf(form, name, panel, row, column);
    return h('td', { key: column, colSpan, className: own.length ? 'gk-grid-cell gk-grid-bad' : 'gk-grid-cell' },
      h('input', {
        type: 'text',
        inputMode: type === 'amount' || type === 'percent' ? 'decimal' : undefined,
        className: `gk-grid-input gk-grid-${type}`,
        value: displayed(value),
        readOnly: marked,
        title: marked ? '这一格标了无法辨认：在“高级：YAML”里修改' : undefined,
        'aria-label': label,
        'aria-invalid': own.length > 0,
        'data-path': JSON.stringify(path),
        spellCheck: false,
        onChange: event => this.set(panel, row, column, event.target.value),
        onPaste: event => this.paste(event, panel, rowIndex, columnIndex),
        onFocus: this.props.onFocus,
        onBlur: this.props.onBlur,
      }),
      ...own.map((p, i) => h('div', { key: i, className: 'gk-grid-error', role: 'alert' }, p.message)),
    );
  },
  header(panel, actions) {
    const rows = panel.header.map((cells, level) => h('tr', { key: level },
      ...cells.map(([label, colspan, rowspan], i) => h('th', { key: i, colSpan: colspan, rowSpan: rowspan, scope: 'col' }, label)),
      level === 0 && actions ? h('th', { key: 'x', rowSpan: panel.header.length + (panel.numbers.some(Boolean) ? 1 : 0) }) : null,
    ));
    if (panel.numbers.some(Boolean)) {
      rows.push(h('tr', { key: 'no', className: 'gk-grid-numbers' }, ...panel.numbers.map((no, i) => h('th', { key: i }, no))));
    }
    return h('thead', {}, ...rows);
  },
  fixedBody(panel, problems) {
    const editable = panel.columns.filter(([, type]) => typed(panel, type)).map(([key]) => key);
    return h('tbody', {}, ...panel.labels.map(([key, label, line, indent, total], rowIndex) => h('tr', { key, className: total ? 'gk-grid-total' : '' },
      ...panel.columns.map(([column, type]) => {
        if (type === 'item') return h('th', { key: column, scope: 'row', style: { paddingLeft: `${0.4 + indent}em` } }, label);
        if (type === 'line') return h('td', { key: column, className: 'gk-grid-line' }, line ?? '');
        return this.input(panel, key, column, type, rowIndex, editable.indexOf(column), problems);
      }),
    )));
  },
  freeBody(panel, problems) {
    const { form } = this.props;
    const rows = rowsOf(form, 'rows', this.part(), panel);
    return h('tbody', {}, ...rows.map(index => h('tr', { key: index },
      ...panel.columns.map(([column, type], columnIndex) => this.input(panel, index, column, type, index, columnIndex, problems)),
      h('td', { key: 'x', className: 'gk-grid-actions' }, h('button', {
        type: 'button',
        className: 'gk-grid-remove',
        'aria-label': `删除第 ${index + 1} 行`,
        title: `删除第 ${index + 1} 行`,
        onClick: () => this.props.onChange(withRows(form, this.part(), panel, list => list.filter((_, i) => i !== index))),
      }, '×')),
    )));
  },
  panel(panel, problems) {
    const { form } = this.props;
    const free = panel.rows === null;
    return h('div', { key: panel.key, className: 'gk-grid-panel' },
      h('div', { className: 'gk-grid-scroll' },
        h('table', { className: 'gk-grid' },
          this.header(panel, free),
          free ? this.freeBody(panel, problems) : this.fixedBody(panel, problems),
        ),
      ),
      free
        ? h('button', {
          type: 'button',
          className: 'gk-grid-add',
          onClick: () => this.props.onChange(withRows(form, this.part(), panel, list => [...list, {}])),
        }, form.single ? '添加一行' : `添加一行（${panel.key}）`)
        : null,
    );
  },
  footer(problems) {
    const { form } = this.props;
    return h('div', { className: 'gk-grid-scroll' }, h('table', { className: 'gk-grid' }, h('tbody', {}, h('tr', {},
      ...form.footer_cells.map(([label, key, colspan], i) => (key
        ? this.input(null, null, key, 'amount', 0, form.footer.indexOf(key), problems, colspan)
        : h('th', { key: i, colSpan: colspan, scope: 'row' }, label))),
    ))));
  },
  render() {
    const { form, name } = this.props;
    const problems = this.problems();
    const body = name === 'totals' ? this.footer(problems) : panelsOf(form, name).map(panel => this.panel(panel, problems));
    const rest = problems.filter(p => !p.shown);
    return h('div', { className: 'gk-grid-part', id: this.props.forID },
      this.importPanel(),
      h('p', { className: 'gk-grid-unit' }, `单位：${form.unit}`),
      body,
      this.state.note ? h('p', { className: 'gk-grid-note', role: 'status' }, this.state.note) : null,
      rest.length
        ? h('ul', { className: 'gk-yaml-problems', role: 'alert' }, ...rest.map((p, i) => h('li', { key: i }, `${p.message}（在“高级：YAML”里改）`)))
        : null,
    );
  },
});

// How a problem of the grid is named beside the field's label when a save is refused.
export function gridProblemText(form, name, problem) {
  const path = problem.path.slice(1);
  if (name === 'totals') return `合计行「${path[0]}」：${problem.message}`;
  const panelKey = form.single ? null : path.shift();
  const panel = form.panels.find(p => (panelKey === null ? true : p.key === panelKey));
  if (!panel || path.length < 1) return problem.message;
  const [row, column] = path;
  const col = column ?? soleAmount(panel);
  if (col === undefined || col === null) return problem.message;
  return `${placeOf(form, name, panel, row, col)}：${problem.message}`;
}
