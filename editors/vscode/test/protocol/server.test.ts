// Protocol tests against the real report-lsp binary, configured as the extension configures it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  type CodeAction,
  type Command,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  type DocumentSymbol,
  DocumentSymbolRequest,
  HoverRequest,
  type MarkupContent,
  type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { parseCsv, targetsOfText } from '../../src/cli';
import { DIAGNOSTIC_SOURCE } from '../../src/clientConfig';
import { applyEdits, corpus, editsFor, serverBin, Session } from './harness';

function flatten(symbols: DocumentSymbol[], depth = 0): Array<{ s: DocumentSymbol; depth: number }> {
  return symbols.flatMap((s) => [{ s, depth }, ...flatten(s.children ?? [], depth + 1)]);
}

function isDocumentSymbols(r: DocumentSymbol[] | SymbolInformation[] | null): r is DocumentSymbol[] {
  return Array.isArray(r) && r.length > 0 && 'selectionRange' in r[0];
}

const numbering = (d: Diagnostic) => d.code === 'heading-numbering' && d.source === DIAGNOSTIC_SOURCE;

/**
 * A report with a repeated sibling number: 一、二、二、四、. The fix renumbers the one wrong
 * heading, which the next sibling (四、) confirms; a bare gap (一、二、四、) gets no fix.
 */
const REPEATED = [
  '测试报告',
  '',
  '一、甲',
  '甲的正文写在这里，共同推进各项工作。',
  '二、乙',
  '乙的正文写在这里，持续改善民生福祉。',
  '二、丙',
  '丙的正文写在这里，稳步扩大对外开放。',
  '四、丁',
  '丁的正文写在这里，全面完成目标任务。',
  '',
].join('\n');

let session: Session;
let tmp: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-lsp-protocol-'));
  session = await Session.start(tmp);
});

after(async () => {
  await session?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('beijing-2020-report.txt', () => {
  const file = path.join(corpus, 'beijing-2020-report.txt');
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  let uri: string;

  before(async () => {
    uri = await session.open(file, text);
  });

  test('negotiates UTF-16, the only encoding VS Code offers', () => {
    const enc = session.init.capabilities.positionEncoding;
    // The server always states the encoding it chose; VS Code offers none, so UTF-16.
    assert.equal(enc, 'utf-16');
  });

  test('documentSymbol returns a nested tree with the first section', async () => {
    const result = await session.within('documentSymbol', () =>
      session.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
    );
    assert.ok(isDocumentSymbols(result), 'expected hierarchical DocumentSymbol[]');
    const all = flatten(result);
    const names = all.map(({ s }) => s.name);
    assert.ok(names.includes('一、2019年工作回顾'), `names: ${names.slice(0, 12).join(' | ')}`);
    assert.ok(all.some(({ depth }) => depth >= 1), 'some symbol is nested');
    const section = all.find(({ s }) => s.name === '一、2019年工作回顾')!.s;
    const line = lines.findIndex((l) => l.trim() === '一、2019年工作回顾');
    assert.equal(section.selectionRange.start.line, line);
    for (const { s } of all) {
      const r = s.range;
      assert.ok(r.start.line <= s.selectionRange.start.line && s.selectionRange.end.line <= r.end.line, `${s.name} range`);
    }
  });

  test('hover on a section heading returns Markdown', async () => {
    const line = lines.findIndex((l) => l.trim() === '一、2019年工作回顾');
    const character = lines[line].indexOf('一') + 1;
    const hover = await session.within('hover', () =>
      session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }),
    );
    assert.ok(hover, 'hover result is null');
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.ok(contents.value.trim().length > 0, 'empty hover');
  });
});

describe('numbering error', () => {
  test('a repeated number is diagnosed and the quickfix renumbers it', async () => {
    const file = path.join(tmp, 'skipped.txt');
    fs.writeFileSync(file, REPEATED);
    const uri = await session.open(file, REPEATED);
    const diags = await session.waitForDiagnostics(uri, 'heading-numbering', (d) => d.some(numbering));
    const diag = diags.find(numbering)!;
    assert.equal(diag.range.start.line, REPEATED.split('\n').lastIndexOf('二、丙'));

    const actions = await session.within('codeAction', () =>
      session.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: diag.range,
        context: { diagnostics: [diag], triggerKind: 1 },
      }),
    );
    const isAction = (a: Command | CodeAction): a is CodeAction => !('command' in a && typeof a.command === 'string');
    let fix = (actions ?? []).filter(isAction).find((a) => a.kind?.startsWith('quickfix'));
    assert.ok(fix, `no quickfix among ${JSON.stringify(actions)}`);
    if (!fix.edit && fix.data !== undefined) {
      fix = await session.within('codeAction/resolve', () => session.conn.sendRequest(CodeActionResolveRequest.type, fix!));
    }
    assert.ok(fix.edit, 'quickfix has no edit');
    const fixed = applyEdits(REPEATED, editsFor(fix.edit, uri));
    assert.ok(fixed.includes('三、丙') && fixed.includes('四、丁'), fixed);
    assert.equal(fixed.split('二、').length, 2, fixed);

    // What "Report LSP: Fix All in This File" asks for: source.fixAll over the whole document.
    const fixAll = await session.within('codeAction source.fixAll', () =>
      session.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: REPEATED.split('\n').length, character: 0 } },
        context: { diagnostics: diags, only: ['source.fixAll'], triggerKind: 1 },
      }),
    );
    let all = (fixAll ?? []).filter(isAction).find((a) => a.kind === 'source.fixAll');
    assert.ok(all, `no source.fixAll among ${JSON.stringify(fixAll)}`);
    assert.ok(!(fixAll ?? []).some((a) => isAction(a) && a.kind === 'quickfix'), 'only: was ignored');
    if (!all.edit && all.data !== undefined) {
      all = await session.within('codeAction/resolve', () => session.conn.sendRequest(CodeActionResolveRequest.type, all!));
    }
    assert.ok(all.edit, 'source.fixAll has no edit');
    assert.equal(applyEdits(REPEATED, editsFor(all.edit, uri)), fixed);

    // The server agrees once it sees the edited text.
    await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: REPEATED.split('\n').length, character: 0 } }, text: fixed }],
    });
    await session.waitForDiagnostics(uri, 'no heading-numbering after the fix', (d) => !d.some(numbering));
  });
});

describe('astral characters and CRLF', () => {
  // 𠮷 is one code point but two UTF-16 code units; CRLF must count as one line break.
  const lines = ['𠮷报告', '', '一、𠮷甲', '正文𠮷𠮷，推进工作。', '二、𠮷乙', '正文𠮷，推进工作。', '四、𠮷丁', '正文𠮷，推进工作。', ''];
  const text = lines.join('\r\n');

  const sliceOk = (line: number, start: number, end: number) => {
    const s = lines[line];
    assert.ok(end <= s.length, `end ${end} beyond UTF-16 length ${s.length} of line ${line}`);
    for (const c of [start, end]) {
      const code = s.charCodeAt(c);
      assert.ok(!(code >= 0xdc00 && code <= 0xdfff), `column ${c} splits a surrogate pair on line ${line}`);
    }
    return s.slice(start, end);
  };

  test('symbol and diagnostic columns are UTF-16 code units', async () => {
    const file = path.join(tmp, 'astral-crlf.txt');
    fs.writeFileSync(file, text);
    const uri = await session.open(file, text);

    const diags = await session.waitForDiagnostics(uri, 'heading-numbering', (d) => d.some(numbering));
    const diag = diags.find(numbering)!;
    assert.equal(diag.range.start.line, 6);
    const diagText = sliceOk(6, diag.range.start.character, diag.range.end.line === 6 ? diag.range.end.character : lines[6].length);
    assert.ok(diagText.startsWith('四'), `diagnostic covers "${diagText}"`);

    const result = await session.within('documentSymbol', () =>
      session.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
    );
    assert.ok(isDocumentSymbols(result), 'expected hierarchical DocumentSymbol[]');
    const yi = flatten(result).find(({ s }) => s.name === '二、𠮷乙')?.s;
    assert.ok(yi, `no symbol 二、𠮷乙 in ${JSON.stringify(flatten(result).map(({ s }) => s.name))}`);
    const sel = yi.selectionRange;
    assert.equal(sel.start.line, 4);
    assert.equal(sel.end.line, 4);
    assert.equal(sliceOk(4, sel.start.character, sel.end.character), '二、𠮷乙');
    const r = yi.range;
    assert.ok(r.end.character <= (lines[r.end.line] ?? '').length, `range end ${JSON.stringify(r.end)} past the line`);
  });
});

// Show Targets runs the CLI on the editor's text: an unsaved figure is listed, the file stays.
test('targets of an unsaved document come from its text, the file is not written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-targets-'));
  try {
    const file = path.join(dir, '报告.txt');
    fs.writeFileSync(file, '各位代表：\n今年的工作。\n');
    const r = await targetsOfText(serverBin, file, '各位代表：\n今年地区生产总值增长6%左右。\n');
    assert.equal(r.ok, true, r.stderr);
    const rows = parseCsv(r.stdout);
    assert.equal(rows.length, 2, r.stdout);
    assert.equal(rows[1][0], file);
    assert.equal(rows[1][1], '2');
    assert.ok(rows[1].includes('地区生产总值'), r.stdout);
    assert.equal(fs.readFileSync(file, 'utf8'), '各位代表：\n今年的工作。\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
