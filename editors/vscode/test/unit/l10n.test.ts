import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { english } from '../../src/l10n';
import { externalise, nlsProblems, resolve } from '../../src/nls';
import type { JsonValue, Properties } from '../../src/settings';

const root = path.resolve(__dirname, '..', '..', '..');
const readJson = (rel: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, string>;

/** Every literal message passed to `t(…)` in the sources. */
function messages(): string[] {
  const found = new Set<string>();
  for (const file of fs.readdirSync(path.join(root, 'src'))) {
    const text = fs.readFileSync(path.join(root, 'src', file), 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)*)'/g)) found.add(m[1].replace(/\\'/g, "'"));
  }
  return [...found];
}

const params = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

test('every message has a Chinese translation with the same placeholders', () => {
  const zh = readJson('l10n/bundle.l10n.zh-cn.json');
  const used = messages();
  assert.ok(used.length >= 20, `found only ${used.length} messages`);
  for (const m of used) {
    assert.ok(m in zh, `no translation for: ${m}`);
    assert.deepEqual(params(zh[m]), params(m), m);
  }
  for (const k of Object.keys(zh)) assert.ok(used.includes(k), `unused translation: ${k}`);
});

test('package.json placeholders are defined in English and translated into Chinese', () => {
  const manifest = readJson('package.json') as unknown as JsonValue;
  assert.deepEqual(nlsProblems(manifest, readJson('package.nls.json'), readJson('package.nls.zh-cn.json'), 'zh-cn'), []);
  // Commands and settings are localised, not English literals.
  const m = manifest as { contributes: { commands: Array<{ title: string }> } };
  for (const c of m.contributes.commands) assert.match(c.title, /^%.+%$/);
});

test('externalise and resolve are inverse; english fills placeholders', () => {
  const props: Properties = {
    'reportLsp.rules': { description: 'Per rule.', properties: { a: { description: 'Rule a.', type: 'string' } } },
  };
  const nls: Record<string, string> = {};
  const out = externalise(props, nls);
  assert.equal(out['reportLsp.rules'].description, '%reportLsp.rules.description%');
  assert.deepEqual(nls, { 'reportLsp.rules.description': 'Per rule.', 'reportLsp.rules.a.description': 'Rule a.' });
  assert.deepEqual(resolve(out as unknown as JsonValue, nls), props);
  assert.equal(english('{0}: {1} ({0})', 'x', 2), 'x: 2 (x)');
  assert.deepEqual(nlsProblems({ t: '%missing%' }, { a: 'A' }, {}, 'zh-cn').length, 2);
});
