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

test('duplicate clusters are read from what `duplicates --format json` prints', () => {
  // Trimmed from real output: members carry path, line, column, end, paragraphs and text.
  const real = JSON.stringify({
    clusters: [
      {
        members: [
          { byteStart: 0, byteEnd: 9, column: 1, endColumn: 4, endLine: 3, line: 3, paragraphs: 1, path: 'a.txt', text: '同一段' },
          { byteStart: 40, byteEnd: 49, column: 1, endColumn: 4, endLine: 9, line: 9, paragraphs: 1, path: 'b.txt', text: '同一段' },
        ],
        paragraphs: 1,
        similarity: 1.0,
      },
    ],
  });
  assert.deepEqual(parseDuplicates(real), [
    { label: '同一段', locations: [{ path: 'a.txt', line: 3, text: '同一段' }, { path: 'b.txt', line: 9, text: '同一段' }] },
  ]);
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
