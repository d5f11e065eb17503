// The packaged .vsix (REPORT_LSP_VSIX, unpacked into REPORT_LSP_VSIX_DIR by editors/ci.sh):
// it holds this platform's server, and the extension's resolution picks that binary over a
// report-lsp on PATH. Run by editors/ci.sh after `npm run package`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { executableName, makeBundledExecutable, resolveServerPath } from '../../src/serverPath';

const unpacked = process.env.REPORT_LSP_VSIX_DIR;

test('the .vsix bundles a working server that wins over PATH', () => {
  assert.ok(unpacked, 'set REPORT_LSP_VSIX_DIR to the unpacked .vsix');
  const extensionPath = path.join(unpacked, 'extension');
  // A platform-specific package, for this platform.
  const manifest = fs.readFileSync(path.join(unpacked, 'extension.vsixmanifest'), 'utf8');
  const platform = `${process.platform}-${process.arch}`;
  assert.match(manifest, new RegExp(`TargetPlatform="${platform}"`), manifest);
  const bundled = path.join(extensionPath, 'server', executableName(process.platform));
  assert.ok(fs.existsSync(bundled), `no server in the package at ${bundled}`);
  // Unzipping may drop the executable bit; the extension restores it.
  fs.chmodSync(bundled, 0o644);
  assert.equal(makeBundledExecutable(extensionPath), true);
  // Another report-lsp on PATH: the bundled one is still chosen.
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-path-'));
  try {
    fs.writeFileSync(path.join(other, 'report-lsp'), '#!/bin/sh\necho other\n', { mode: 0o755 });
    const r = resolveServerPath({ configured: '', extensionPath, envPath: other });
    assert.deepEqual(r, { ok: true, path: bundled, source: 'bundled' });
  } finally {
    fs.rmSync(other, { recursive: true, force: true });
  }
  const version = execFileSync(bundled, ['--version'], { encoding: 'utf8' });
  assert.match(version, /^report-lsp \d+\.\d+\.\d+/);
});
