import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FILES_GLOB, documentSelector, Exclusions } from '../../src/files';

test('the selector only takes plain-text files on disk matching the glob', () => {
  assert.deepEqual(documentSelector('reports/**/*.txt'), [
    { scheme: 'file', language: 'plaintext', pattern: 'reports/**/*.txt' },
  ]);
});

test('an empty or missing glob falls back to the default', () => {
  assert.equal(DEFAULT_FILES_GLOB, '**/*.txt');
  assert.equal(documentSelector('  ')[0].pattern, '**/*.txt');
  assert.equal(documentSelector(undefined)[0].pattern, '**/*.txt');
});

test('toggling a file switches it off and on again', () => {
  const ex = new Exclusions();
  const uri = 'file:///w/2020.txt';
  assert.equal(ex.has(uri), false);
  assert.equal(ex.toggle(uri), true);
  assert.equal(ex.has(uri), true);
  assert.equal(ex.toggle(uri), false);
  assert.equal(ex.has(uri), false);
});

test('encoded and decoded URIs of one file are the same entry', () => {
  const ex = new Exclusions(['file:///c%3A/w/%E6%8A%A5%E5%91%8A.txt']);
  assert.equal(ex.has('file:///c:/w/报告.txt'), true);
  assert.equal(ex.toggle('file:///c:/w/报告.txt'), false);
  assert.deepEqual(ex.toJSON(), []);
});

test('persisted state is sorted and survives a round trip', () => {
  const ex = new Exclusions();
  ex.toggle('file:///b.txt');
  ex.toggle('file:///a.txt');
  assert.deepEqual(ex.toJSON(), ['file:///a.txt', 'file:///b.txt']);
  assert.equal(new Exclusions(ex.toJSON()).has('file:///b.txt'), true);
});
