// The admin page's own parts, registered before Decap starts (index.html sets CMS_MANUAL_INIT):
// the YAML format that writes back only what was edited, and two widgets config.yml uses
// (generator/cms.py): gk-yaml edits a part the loader checks against a form later as YAML text,
// gk-variants shows the fields of the shape a value has (a table of a form, a performance table…).
// A table's values, rows and totals are checked as the loader binds them (gongkai-tables.js, with
// the rules the build writes into form-rules.json): what the loader would refuse is not saved.

import * as YAML from './yaml/index.js';
import { fromFile, toFile, writtenAs, SOURCE, PARSE, WRITE } from './gongkai-yaml.js';
import { FORM_PARTS, tableProblems, textProblems } from './gongkai-tables.js';
import { makeGridControl, gridShows, gridProblemText, TABLE_DRAWN } from './gongkai-grid.js';
import { makeIndicatorGridControl, indicatorFormOf, indicatorRows, indicatorProblems, indicatorPlace } from './gongkai-indicators.js';
// Checks before publishing (its prePublish listener); the tables' boxes and grids are places it can lead to.
import { placeField, goTo } from './gongkai-checks.js';

// What the loader takes in a table of each form (generator/editing/form_rules.py); null when the
// page could not read it, and then no table's figures are saved unchecked (partProblems).
const RULES = await fetch(new URL('form-rules.json', import.meta.url))
  .then(response => (response.ok ? response.json() : null))
  .catch(() => null);

const CMS = window.CMS;
const h = window.h;
const createClass = window.createClass;
// The local page (python -m generator cms) imports a table pasted or chosen in a grid with the
// importer (importing/for_editor.py); a published page has no such address, and offers no import.
const IMPORT_URL = new URL('import', import.meta.url);
const CAN_IMPORT = await fetch(IMPORT_URL)
  .then(response => response.ok && response.headers.get('Content-Type').startsWith('application/json'))
  .catch(() => false);
const GridControl = makeGridControl(h, createClass);
const IndicatorGridControl = makeIndicatorGridControl(h, createClass);
const KIND = '__gongkai_kind'; // generator/cms.KIND_KEY: keeps bureaus and documents apart in data/

// What a file of data/ is, from its keys (the collections filter on it).
function kindOf(data) {
  if ('forms' in data) return 'form-set';
  if ('terms' in data) return 'glossary';
  if ('parts' in data || 'kind' in data) return 'document';
  return 'bureau';
}

CMS.registerCustomFormat('gongkai-yaml', 'yaml', {
  fromFile(text) {
    const data = fromFile(text);
    data[KIND] = kindOf(data);
    return data;
  },
  toFile(data, sortedKeys) {
    const { [KIND]: _kind, ...rest } = data;
    return toFile(rest, sortedKeys);
  },
});

const isMap = value => Boolean(value && value['@@__IMMUTABLE_MAP__@@']);
const toJS = value => (value && typeof value.toJS === 'function' ? value.toJS() : value);

function yamlText(value, entry) {
  const js = toJS(value);
  if (js === undefined || js === null || js === '') return '';
  const source = entry && entry.getIn(['data', SOURCE]);
  return writtenAs(source, js) ?? new YAML.Document(js, PARSE).toString(WRITE);
}

// The problems of a table part's YAML *text* ([{line, message}]): as the loader would report
// them, for the form of the table it is in (*field*'s gk_form, set by VariantsControl) and the
// document's form set. Other YAML boxes, and a table whose form or form set the loader does not
// know (it says so itself when the file is checked), have none here.
function partProblems(field, entry, absent, text) {
  const number = field.get('gk_form');
  if (!number || !FORM_PARTS.includes(field.get('name'))) return [];
  if (RULES === null) {
    return [{ line: 0, message: '无法读取表格的核对规则（form-rules.json），表格的数字不能保存：请刷新页面；仍不行请告诉管理员' }];
  }
  const form = formOf(field, entry);
  return form ? textProblems(RULES, form, field.get('name'), text, absent) : [];
}

// The form (form-rules.json) of the table a part box is in, or null.
function formOf(field, entry) {
  const number = field.get('gk_form');
  if (!number || !FORM_PARTS.includes(field.get('name')) || RULES === null) return null;
  const forms = RULES.form_sets[entry.getIn(['data', 'form_set'])];
  return (forms && forms[number]) || null;
}

// A list written as YAML text (cms.py: its items have no form of their own) keeps the loader's
// minItems: Decap checks `min` on its own list widget only.
function tooFew(field, value) {
  const min = field.get('min');
  if (!min) return [];
  const items = toJS(value);
  const count = Array.isArray(items) ? items.length : 0;
  return count < min ? [{ line: 0, message: `至少要写 ${min} 项（每项以“- ”开头）` }] : [];
}

const shown = problem => (problem.line ? `第 ${problem.line} 行：${problem.message}` : problem.message);

const YamlControl = createClass({
  getInitialState() {
    // absent: the file has no such key. Emptied, the box then writes nothing (gongkai-yaml.js
    // adds no blank key); a key the file has is written blank (`rows:`), which the loader reads.
    const absent = this.props.value === undefined;
    return { text: yamlText(this.props.value, this.props.entry), error: null, absent, yaml: false };
  },
  // A part of a table of a known form is a grid (gongkai-grid.js) unless the clerk asks for the
  // YAML text ("高级：YAML"), or the part is one the form has no place for (its box says why).
  grid() {
    const form = formOf(this.props.field, this.props.entry);
    if (!form || this.state.yaml) return null;
    return gridShows(form, this.props.field.get('name')) ? form : null;
  },
  gridProblems(form) {
    const name = this.props.field.get('name');
    const value = toJS(this.props.value);
    if (value === undefined) return [];
    return tableProblems(RULES, form, new Map([[name, value]])).map(p => ({ line: 0, message: gridProblemText(form, name, p) }));
  },
  componentDidMount() {
    this.unplace = placeField({
      value: () => this.props.value,
      show: line => goTo(document.getElementById(this.props.forID), line),
    });
  },
  componentWillUnmount() {
    this.unplace();
  },
  problems() {
    const form = this.grid();
    if (form) return this.gridProblems(form);
    if (this.state.error) return [];
    return [...tooFew(this.props.field, this.props.value), ...partProblems(this.props.field, this.props.entry, this.state.absent, this.state.text)];
  },
  // Asked by Decap before it saves: an error keeps the entry from being saved, and Decap shows its
  // message beside the field's label (the first problem; the box lists them all as they are typed).
  // Its parentIds mark the fields around this one as holding an error, as Decap's own errors do:
  // without them the widgets around (a list item, the table) are not drawn again and the message
  // is never shown.
  isValid() {
    const error = message => ({ error: { type: 'CUSTOM', parentIds: this.props.parentIds, message } });
    if (this.state.error && !this.grid()) return error(`未保存：${this.state.error}`);
    const problems = this.problems();
    if (!problems.length) return true;
    const more = problems.length > 1 ? `（另有 ${problems.length - 1} 处，见框下）` : '';
    return error(`未保存：${shown(problems[0])}${more}`);
  },
  handleChange(event) {
    const text = event.target.value;
    const doc = YAML.parseDocument(text, PARSE);
    if (doc.errors.length) {
      this.setState({ text, error: `YAML 写法有错：${doc.errors[0].message.split('\n')[0]}` });
      return;
    }
    this.setState({ text, error: null });
    this.props.onChange(doc.toJS());
  },
  gridChange(value) {
    this.setState({ absent: false, error: null });
    this.props.onChange(value);
  },
  toggle() {
    const yaml = !this.state.yaml;
    // The text shown anew from the value as it is now (the grid may have changed it).
    this.setState({ yaml, error: null, text: yamlText(this.props.value, this.props.entry) });
  },
  render() {
    const form = formOf(this.props.field, this.props.entry);
    const toggle = form
      ? h('button', { type: 'button', className: 'gk-grid-toggle', 'aria-pressed': this.state.yaml, onClick: this.toggle },
        this.state.yaml ? '返回表格' : '高级：YAML')
      : null;
    if (form && !this.state.yaml) {
      const name = this.props.field.get('name');
      if (!gridShows(form, name)) {
        if (this.props.value === undefined) return h('p', { className: 'gk-variant' }, `${form.number}不填这一部分`);
      } else {
        return h('div', {}, toggle, h(GridControl, {
          forID: this.props.forID,
          rules: RULES,
          form,
          name,
          value: toJS(this.props.value),
          onChange: this.gridChange,
          importer: CAN_IMPORT ? { url: IMPORT_URL, formSet: this.props.entry.getIn(['data', 'form_set']) } : null,
          onFocus: this.props.setActiveStyle,
          onBlur: this.props.setInactiveStyle,
        }));
      }
    }
    return h('div', {}, toggle, this.yamlBox());
  },
  yamlBox() {
    const lines = Math.min(40, Math.max(3, this.state.text.split('\n').length + 1));
    const problems = this.problems();
    return h('div', {},
      h('textarea', {
        id: this.props.forID,
        className: `${this.props.classNameWrapper} gk-yaml`,
        value: this.state.text,
        rows: lines,
        spellCheck: false,
        'aria-invalid': Boolean(this.state.error || problems.length),
        onChange: this.handleChange,
        onFocus: this.props.setActiveStyle,
        onBlur: this.props.setInactiveStyle,
      }),
      this.state.error ? h('p', { className: 'gk-yaml-error', role: 'alert' }, this.state.error) : null,
      problems.length
        ? h('ul', { className: 'gk-yaml-problems', role: 'alert' }, ...problems.map((p, i) => h('li', { key: i }, shown(p))))
        : null,
    );
  },
});

const YamlPreview = createClass({
  render() {
    return h('pre', {}, yamlText(this.props.value, this.props.entry));
  },
});

CMS.registerWidget('gk-yaml', YamlControl, YamlPreview);

// Plain values as Decap's own (Immutable) ones, made with the constructors of a value it gave: its
// list widget, the advanced view of the indicators, reads them so.
function immutable(like, value) {
  if (Array.isArray(value)) return like.toList().clear().push(...value.map(v => immutable(like, v)));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).reduce((map, [k, v]) => map.set(k, immutable(like, v)), like.clear());
  }
  return value;
}

// A 绩效 table's indicators on a declared 绩效 form: a grid of the form's columns (gongkai-indicators.js),
// or, as the advanced view, the per-indicator forms (Decap's list widget with the fields config.yml gives).
const IndicatorsControl = createClass({
  getInitialState() {
    return { forms: false };
  },
  form() {
    return JSON.parse(this.props.field.get('gk_indicator_form'));
  },
  rows() {
    return indicatorRows(this.form(), toJS(this.props.value) ?? []);
  },
  problems() {
    const rows = this.rows();
    const form = this.form();
    return rows ? indicatorProblems(RULES, form, toJS(this.props.value) ?? [], rows).map(p => `${indicatorPlace(form, p)}：${p.message}`) : [];
  },
  isValid() {
    if (this.state.forms && this.inner && this.inner.validate) this.inner.validate();
    const problems = this.problems();
    if (!problems.length) return true;
    const more = problems.length > 1 ? `（另有 ${problems.length - 1} 处，见表中）` : '';
    return { error: { type: 'CUSTOM', parentIds: this.props.parentIds, message: `未保存：${problems[0]}${more}` } };
  },
  keep(ref) {
    this.inner = ref;
  },
  // A check's result about an indicator or a group leads to its first cell in the grid.
  componentDidMount() {
    this.unplace = placeField({
      value: () => this.props.value,
      show: (line, rest = []) => {
        const root = document.getElementById(this.props.forID);
        if (!root) return;
        const cells = [...root.querySelectorAll('input[data-path]')];
        const within = cell => rest.every((step, i) => JSON.parse(cell.dataset.path)[i] === step);
        goTo(cells.find(within) || root);
      },
    });
  },
  componentWillUnmount() {
    this.unplace();
  },
  change(value) {
    this.props.onChange(immutable(this.props.entry, value));
  },
  render() {
    const rows = this.rows();
    const forms = this.state.forms || rows === null;
    const toggle = h('button', {
      type: 'button',
      className: 'gk-grid-toggle',
      'aria-pressed': forms,
      disabled: rows === null,
      onClick: () => this.setState({ forms: !forms }),
    }, forms ? '返回表格' : '高级：逐项表单');
    if (forms) {
      const ListControl = CMS.getWidget('list').control;
      const field = this.props.field.set('widget', 'list');
      // The toggle on a line of its own: Decap's list would cover a floating button. The list gets
      // no controlRef: with it, it registers itself as this field's control in Decap's place, and
      // then Decap no longer shows any field's refusal at 发布 (isValid above validates the list).
      return h('div', {}, h('div', { className: 'gk-grid-toggle-bar' }, toggle),
        rows === null ? h('p', { className: 'gk-variant' }, '指标的分组层数与表样的级别列不符，不能用表格编辑：请在下面逐项修改') : null,
        h(ListControl, { ...this.props, controlRef: undefined, field, ref: this.keep }));
    }
    return h('div', {}, toggle, h(IndicatorGridControl, {
      forID: this.props.forID,
      rules: RULES,
      form: this.form(),
      value: toJS(this.props.value),
      onChange: this.change,
      onFocus: this.props.setActiveStyle,
      onBlur: this.props.setInactiveStyle,
    }));
  },
});

CMS.registerWidget('gk-indicators', IndicatorsControl, YamlPreview);

// The variant a value is: as the loader binds it (generator/fields.Variants.choose_keys): the
// first whose keys it has, else the mapping one, else the last; a scalar is the scalar variant.
function chooseVariant(variants, value) {
  const all = variants.toArray();
  if (isMap(value)) {
    const keys = new Set(value.keySeq().toArray());
    const keyed = all.find(v => v.get('keys') && v.get('keys').some(k => keys.has(k)));
    return keyed || all.find(v => v.get('type') === 'object') || all.filter(v => v.get('type') !== 'scalar').pop();
  }
  if (value !== undefined && value !== null && value !== '') return all.find(v => v.get('type') === 'scalar');
  return null;
}

const VariantsControl = createClass({
  getInitialState() {
    return { chosen: null };
  },
  // Decap validates a form before it saves by asking each control to validate its own fields:
  // the fields shown here are the inner object's.
  validate() {
    if (this.inner && this.inner.validate) this.inner.validate();
  },
  focus(path) {
    if (this.inner && this.inner.focus) this.inner.focus(path);
  },
  keep(ref) {
    this.inner = ref;
  },
  // Parts of a table changed one after the other (an import fills its rows, then its footer) wait
  // for the table to be drawn with the first change (gongkai-grid.js).
  componentDidUpdate(previous) {
    if (previous.value !== this.props.value) window.dispatchEvent(new CustomEvent(TABLE_DRAWN));
  },
  render() {
    const { field, value } = this.props;
    const variants = field.get('variants');
    const variant = chooseVariant(variants, value) || (this.state.chosen !== null ? variants.get(this.state.chosen) : null);
    if (!variant) {
      const options = variants.toArray().map((v, i) => h('option', { key: i, value: String(i) }, v.get('label')));
      return h('select', {
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: '',
        onChange: event => this.setState({ chosen: Number(event.target.value) }),
      }, h('option', { value: '' }, '选择类型…'), ...options);
    }
    const label = h('p', { className: 'gk-variant' }, variant.get('label'));
    if (variant.get('type') === 'scalar') {
      const Control = CMS.getWidget(variant.getIn(['field', 'widget'])).control;
      return h('div', {}, label, h(Control, { ...this.props, field: variant.get('field'), ref: this.keep }));
    }
    const ObjectControl = CMS.getWidget('object').control;
    let fields = variant.get('fields');
    if ((variant.get('keys') || []).includes('form') && isMap(value)) {
      // A table of a form: its values, rows and totals boxes are checked against that form.
      fields = fields.map(f => (f.get('widget') === 'gk-yaml' ? f.set('gk_form', String(value.get('form') ?? '')) : f));
    }
    const indicatorForm = isMap(value) ? indicatorFormOf(RULES, value.get('form'), this.props.entry.getIn(['data', 'form_set'])) : null;
    if ((variant.get('keys') || []).includes('indicators') && indicatorForm) {
      // A 绩效 table on a declared form: its indicators (or each set's) are a grid of the form's columns.
      const asGrid = f => (f.get('name') === 'indicators' ? f.set('widget', 'gk-indicators').set('gk_indicator_form', JSON.stringify(indicatorForm)) : f);
      fields = fields.map(f => (f.get('name') === 'indicator_sets' && f.get('fields') ? f.set('fields', f.get('fields').map(asGrid)) : asGrid(f)));
    }
    const shaped = field.set('widget', 'object').set('fields', fields).delete('variants');
    return h('div', {}, label, h(ObjectControl, { ...this.props, field: shaped, ref: this.keep }));
  },
});

CMS.registerWidget('gk-variants', VariantsControl, YamlPreview);

CMS.init();
