// The CMS's YAML format for data/: a save changes what the clerk edited and nothing else.
//
// Decap's own YAML format reads 2549.10 as the number 2549.1 and writes the whole file anew from
// its data, so every amount with a trailing zero, every comment and every one-line {…} row of a
// file would change on the first save. Here numbers stay the text that was typed (the YAML int
// and float tags are left out: the loader reads every value as text too), the file as read rides
// along with the entry's data under SOURCE, and a save puts the edited values into that file's
// own YAML tree, so comments, layout, quotes and block scalars of everything else are kept.
// Pure functions: imported by the admin page and by the tests (node).

import * as YAML from './yaml/index.js';

export const SOURCE = '__gongkai_source';

const NUMBER_TAGS = ['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float'];
export const PARSE = {
  schema: 'core',
  customTags: tags => tags.filter(tag => !NUMBER_TAGS.includes(tag.tag)),
  uniqueKeys: true,
};
// As `python -m generator fmt` writes: two spaces, `- ` under its key, no folding of long lines,
// `{a: 1}` rows without inner padding, a key with no value written `key:`.
export const WRITE = { indent: 2, indentSeq: true, lineWidth: 0, flowCollectionPadding: false, nullStr: '' };

// The first line of a new file: the schema editors read (generator/schema_json.modeline).
const MODELINES = {
  bureau: ' yaml-language-server: $schema=../../schemas/bureau.schema.json',
  document: ' yaml-language-server: $schema=../../../schemas/document.schema.json',
};

export function fromFile(text) {
  const doc = YAML.parseDocument(text, PARSE);
  if (doc.errors.length) {
    throw new Error(`YAML 写法有错，请用文本编辑器改正后再用表单编辑：${doc.errors[0].message}`);
  }
  const data = doc.toJS() ?? {};
  data[SOURCE] = text;
  return data;
}

export function toFile(value, sortedKeys = []) {
  const data = { ...value };
  const source = data[SOURCE];
  delete data[SOURCE];
  let doc;
  if (typeof source === 'string') {
    doc = YAML.parseDocument(source, PARSE);
    doc.contents = patch(doc, doc.contents, data);
  } else {
    doc = new YAML.Document(ordered(data, sortedKeys), PARSE);
    doc.commentBefore = MODELINES['parts' in data ? 'document' : 'bureau'];
  }
  return doc.toString(WRITE);
}

function ordered(data, sortedKeys) {
  const keys = [...sortedKeys.filter(k => k in data), ...Object.keys(data).filter(k => !sortedKeys.includes(k))];
  return Object.fromEntries(keys.filter(k => !blank(data[k])).map(k => [k, data[k]]));
}

function blank(value) {
  return value === undefined || value === null || value === '';
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// *node* (from the file as read, or undefined) made to hold *value*, keeping whatever of it is unchanged.
export function patch(doc, node, value) {
  if (blank(value)) {
    if (YAML.isScalar(node) && blank(node.value)) return node; // a blank written `key:` or `key: ''` stays so
    return doc.createNode(null);
  }
  if (Array.isArray(value)) {
    if (!YAML.isSeq(node)) return create(doc, value);
    const flow = node.items.length > 0 && node.items.every(item => item && item.flow);
    node.items = value.map((item, i) => {
      const made = patch(doc, node.items[i], item);
      if (flow && i >= node.items.length && YAML.isCollection(made)) made.flow = true;
      return made;
    });
    return node;
  }
  if (isPlainObject(value)) {
    if (!YAML.isMap(node)) return create(doc, value);
    const present = new Set();
    node.items = node.items.filter(pair => {
      const key = keyOf(pair);
      if (!Object.prototype.hasOwnProperty.call(value, key)) return false; // removed in the form
      present.add(key);
      pair.value = patch(doc, pair.value, value[key]);
      return true;
    });
    for (const [key, item] of Object.entries(value)) {
      if (!present.has(key) && !blank(item)) node.items.push(doc.createPair(key, create(doc, item)));
    }
    return node;
  }
  if (YAML.isScalar(node) && !YAML.isCollection(node)) {
    if (node.value === value) return node;
    if (typeof value === 'string' && typeof node.value === 'string' && node.value.endsWith('\n') && !value.endsWith('\n')) {
      value += '\n'; // a | block keeps its chomping
    }
    node.value = value;
    return node;
  }
  return create(doc, value);
}

function create(doc, value) {
  return doc.createNode(value, { flow: false });
}

function keyOf(pair) {
  return YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

// The YAML text of a part of the file, as the file writes it (its order of keys, {…} rows and
// comments), found by its content: the CMS holds mappings in an order of its own.
const WRITTEN = new Map(); // file as read → canonical JSON of each mapping and list → its node

export function writtenAs(source, value) {
  if (typeof source !== 'string' || value === null || typeof value !== 'object') return null;
  let index = WRITTEN.get(source);
  if (!index) {
    index = new Map();
    const doc = YAML.parseDocument(source, PARSE);
    YAML.visit(doc, {
      Collection(_, node) {
        const key = canonical(node.toJS(doc));
        if (!index.has(key)) index.set(key, node);
      },
    });
    if (WRITTEN.size > 8) WRITTEN.clear();
    WRITTEN.set(source, index);
  }
  const node = index.get(canonical(value));
  if (!node) return null;
  const doc = new YAML.Document(null, PARSE);
  doc.contents = node;
  return doc.toString(WRITE);
}

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value === undefined ? null : value);
}
