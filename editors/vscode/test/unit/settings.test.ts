import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { configurationResult } from '../../src/clientConfig';
import {
  buildServerSettings,
  CLIENT_ONLY_KEYS,
  defaultServerSettings,
  diffProperties,
  mergeProperties,
  parseSchemaOutput,
  type Properties,
  serverKeys,
} from '../../src/settings';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Properties }; commands: { command: string }[] };
};
const props = manifest.contributes.configuration.properties;

test('dotted keys become the nested object report-lsp.toml uses', () => {
  const values: Record<string, unknown> = {
    'reportLsp.language': 'en',
    'reportLsp.diagnostics.delayMs': 50,
    'reportLsp.diagnostics.other': true,
    'reportLsp.rules': { 'heading-numbering': 'off' },
    'reportLsp.unset': undefined,
  };
  assert.deepEqual(
    buildServerSettings(Object.keys(values), (k) => values[k]),
    { language: 'en', diagnostics: { delayMs: 50, other: true }, rules: { 'heading-numbering': 'off' } },
  );
});

test('a fresh install sends the documented server defaults and no client-only keys', () => {
  const defaults = defaultServerSettings(props);
  assert.equal(defaults.language, 'zh');
  assert.deepEqual(defaults.diagnostics, { delayMs: 300 });
  assert.deepEqual(defaults.rules, {});
  for (const key of CLIENT_ONLY_KEYS) assert.ok(key in props, `${key} is contributed`);
  // Every server key is sent at its nested path with its documented default, and nothing else.
  const keys = serverKeys(props);
  for (const key of ['reportLsp.diagnostics.delayMs', 'reportLsp.language', 'reportLsp.rules']) {
    assert.ok(keys.includes(key), key);
  }
  for (const key of keys) {
    let value: unknown = defaults;
    for (const part of key.replace(/^reportLsp\./, '').split('.')) {
      value = (value as Record<string, unknown>)[part];
    }
    assert.deepEqual(value, props[key].default, key);
  }
  for (const key of CLIENT_ONLY_KEYS) {
    assert.ok(!(key.replace(/^reportLsp\./, '').split('.')[0] in defaults), `${key} is not sent`);
  }
});

test('every setting has a type, a default and a description', () => {
  for (const [key, schema] of Object.entries(props)) {
    assert.ok(schema.type, `${key} type`);
    assert.ok('default' in schema, `${key} default`);
    assert.ok(typeof schema.description === 'string' && schema.description.length > 10, `${key} description`);
  }
});

test('every contributed command is registered by the extension', () => {
  const source = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');
  for (const { command } of manifest.contributes.commands) {
    assert.ok(source.includes(`registerCommand('${command}'`), command);
  }
});

test('workspace/configuration answers our section, sub-sections and null for others', () => {
  const settings = { language: 'zh', diagnostics: { delayMs: 300 } };
  assert.deepEqual(
    configurationResult(
      [{ section: 'reportLsp' }, { section: 'reportLsp.diagnostics' }, { section: 'reportLsp.nope.x' }, { section: 'editor' }, {}],
      settings,
    ),
    [settings, { delayMs: 300 }, null, null, null],
  );
});

const serverSchema = (): Properties => {
  const out: Properties = {};
  for (const k of serverKeys(props)) out[k] = structuredClone(props[k]);
  return out;
};

test('the schema check passes on identical properties, whatever the key order', () => {
  const reordered: Properties = {};
  for (const k of Object.keys(serverSchema()).reverse()) {
    const s = serverSchema()[k];
    reordered[k] = Object.fromEntries(Object.entries(s).reverse());
  }
  assert.deepEqual(diffProperties(reordered, props), []);
});

test('the schema check reports changed, missing, extra and reserved keys', () => {
  const s = serverSchema();
  s['reportLsp.diagnostics.delayMs'] = { ...s['reportLsp.diagnostics.delayMs'], default: 500 };
  delete s['reportLsp.rules'];
  s['reportLsp.newOption'] = { type: 'boolean', default: true, description: 'new' };
  s['reportLsp.files'] = { type: 'string', default: '*', description: 'clash' };
  const diffs = diffProperties(s, props);
  assert.equal(diffs.length, 4, diffs.join('\n'));
  assert.ok(diffs.some((d) => d.startsWith('reportLsp.diagnostics.delayMs: package.json has')));
  assert.ok(diffs.some((d) => d.startsWith('reportLsp.rules: in package.json but not')));
  assert.ok(diffs.some((d) => d.startsWith('reportLsp.newOption: missing')));
  assert.ok(diffs.some((d) => d.startsWith('reportLsp.files: the server declares')));
});

test('regenerating takes the server schema and keeps client-only keys', () => {
  const s = serverSchema();
  s['reportLsp.newOption'] = { type: 'boolean', default: true, description: 'new' };
  const merged = mergeProperties(s, props);
  assert.deepEqual(diffProperties(s, merged), []);
  for (const key of CLIENT_ONLY_KEYS) assert.deepEqual(merged[key], props[key]);
});

test('schema output must be a JSON object of reportLsp.* objects', () => {
  assert.throws(() => parseSchemaOutput('error: unrecognized subcommand'), /did not print JSON/);
  assert.throws(() => parseSchemaOutput('[]'), /JSON object/);
  assert.throws(() => parseSchemaOutput('{"language": {}}'), /not under reportLsp/);
  assert.throws(() => parseSchemaOutput('{"reportLsp.language": 1}'), /not an object/);
  assert.deepEqual(Object.keys(parseSchemaOutput('{"reportLsp.language": {"type": "string"}}')), ['reportLsp.language']);
});
