import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { csvToMarkdown, describeFailure, isMissingSubcommand, parseCsv, parseDuplicates, runCli } from '../../src/cli';

test('CSV parsing handles quotes, embedded commas, newlines and CRLF', () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",\n'), [
    ['a', 'b'],
    ['x, y', 'say "hi"'],
    ['multi\nline', ''],
  ]);
  assert.deepEqual(parseCsv('a,b'), [['a', 'b']]);
});

test('targets CSV becomes a Markdown table with escaped pipes', () => {
  const md = csvToMarkdown('指标,目标\n地区生产总值,增长6%左右\n"a|b",x\n', 'Targets: 2020.txt');
  assert.equal(
    md,
    '# Targets: 2020.txt\n\n| 指标 | 目标 |\n| --- | --- |\n| 地区生产总值 | 增长6%左右 |\n| a\\|b | x |\n\n2 rows.\n',
  );
  assert.match(csvToMarkdown('\n', 'T'), /No targets found/);
});

test('clap errors for an unknown subcommand are recognised', () => {
  const stderr = "error: unrecognized subcommand 'targets'\n\nUsage: report-lsp [COMMAND]\n";
  assert.equal(isMissingSubcommand(stderr, 'targets'), true);
  assert.equal(isMissingSubcommand('error: file not found: x.txt', 'targets'), false);
  const msg = describeFailure('targets', { ok: false, stdout: '', stderr, missingSubcommand: true });
  assert.match(msg, /no "targets" command yet; update the server/);
});

test('duplicate clusters are read from both accepted shapes', () => {
  const a = parseDuplicates(
    JSON.stringify({ clusters: [{ members: [{ path: 'a.txt', line: 3, text: '同一段' }, { file: 'b.txt', start_line: 9 }] }] }),
  );
  assert.deepEqual(a, [
    { label: '同一段', locations: [{ path: 'a.txt', line: 3, text: '同一段' }, { path: 'b.txt', line: 9, text: '' }] },
  ]);
  const b = parseDuplicates(JSON.stringify([[{ path: 'c.txt', line: 0 }]]));
  assert.deepEqual(b, [{ label: 'cluster 1', locations: [{ path: 'c.txt', line: 1, text: '' }] }]);
  assert.throws(() => parseDuplicates('{"x": 1}'), /expected a JSON array/);
});

test('runCli reports a missing subcommand from a real process', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-cli-'));
  try {
    const fake = path.join(dir, 'fake-server');
    fs.writeFileSync(fake, `#!/bin/sh\necho "error: unrecognized subcommand '$1'" >&2\nexit 2\n`, { mode: 0o755 });
    const r = await runCli(fake, ['duplicates', dir]);
    assert.equal(r.ok, false);
    assert.equal(r.missingSubcommand, true);
    const ok = path.join(dir, 'ok-server');
    fs.writeFileSync(ok, '#!/bin/sh\necho "$@"\n', { mode: 0o755 });
    assert.deepEqual(await runCli(ok, ['targets', 'x y.txt']), { ok: true, stdout: 'targets x y.txt\n', stderr: '', missingSubcommand: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
