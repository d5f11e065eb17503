import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveServerPath } from '../../src/serverPath';

const only = (...files: string[]) => (f: string) => files.includes(f);

test('an explicit setting wins over bundled and PATH binaries', () => {
  const r = resolveServerPath({
    configured: '/opt/rl/report-lsp',
    extensionPath: '/ext',
    envPath: '/usr/bin',
    platform: 'linux',
    isExecutable: only('/opt/rl/report-lsp', '/ext/server/report-lsp', '/usr/bin/report-lsp'),
  });
  assert.deepEqual(r, { ok: true, path: '/opt/rl/report-lsp', source: 'setting' });
});

test('a setting that points nowhere is an error naming the setting, not a fallback', () => {
  const r = resolveServerPath({
    configured: '/nope/report-lsp',
    extensionPath: '/ext',
    envPath: '/usr/bin',
    platform: 'linux',
    isExecutable: only('/usr/bin/report-lsp'),
  });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.message : '', /reportLsp\.server\.path.*\/nope\/report-lsp/);
});

test('a relative setting is resolved against the workspace folder', () => {
  const r = resolveServerPath({
    configured: 'target/debug/report-lsp',
    extensionPath: '/ext',
    envPath: '',
    platform: 'linux',
    workspaceFolder: '/ws',
    isExecutable: only('/ws/target/debug/report-lsp'),
  });
  assert.deepEqual(r, { ok: true, path: '/ws/target/debug/report-lsp', source: 'setting' });
});

test('the bundled binary comes before PATH', () => {
  const r = resolveServerPath({
    configured: '  ',
    extensionPath: '/ext',
    envPath: '/usr/bin',
    platform: 'linux',
    isExecutable: only('/ext/server/report-lsp', '/usr/bin/report-lsp'),
  });
  assert.deepEqual(r, { ok: true, path: '/ext/server/report-lsp', source: 'bundled' });
});

test('PATH is searched in order, skipping empty entries', () => {
  const r = resolveServerPath({
    configured: '',
    extensionPath: '/ext',
    envPath: '::/a:/b:/c',
    platform: 'linux',
    isExecutable: only('/b/report-lsp', '/c/report-lsp'),
  });
  assert.deepEqual(r, { ok: true, path: '/b/report-lsp', source: 'path' });
});

test('Windows looks for report-lsp.exe and splits PATH on ;', () => {
  const r = resolveServerPath({
    configured: '',
    extensionPath: 'C:\\ext',
    envPath: 'C:\\tools;D:\\bin',
    platform: 'win32',
    isExecutable: only('D:\\bin\\report-lsp.exe'),
  });
  assert.deepEqual(r, { ok: true, path: 'D:\\bin\\report-lsp.exe', source: 'path' });
});

test('nothing found gives an error that says how to fix it', () => {
  const r = resolveServerPath({ configured: '', extensionPath: '/ext', envPath: '/x', platform: 'linux', isExecutable: () => false });
  assert.equal(r.ok, false);
  const msg = !r.ok ? r.message : '';
  assert.match(msg, /cargo install/);
  assert.match(msg, /reportLsp\.server\.path/);
});

test('the default check accepts executables and rejects plain files and directories', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-'));
  try {
    const exe = path.join(dir, 'report-lsp');
    fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
    fs.mkdirSync(path.join(dir, 'server'));
    fs.writeFileSync(path.join(dir, 'server', 'report-lsp'), 'not executable', { mode: 0o644 });
    const r = resolveServerPath({ configured: '', extensionPath: dir, envPath: `${path.join(dir, 'server')}:${dir}` });
    assert.deepEqual(r, { ok: true, path: exe, source: 'path' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
