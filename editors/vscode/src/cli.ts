// Runs report-lsp subcommands and shapes their output. No `vscode` import: unit-testable.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { english, type Translate } from './l10n';

export interface CliResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Set when the server binary predates the subcommand (clap rejects it). */
  missingSubcommand: boolean;
}

/** Runs the CLI; `input`, when given, is written to its standard input. */
export function runCli(
  serverPath: string,
  args: string[],
  cwd?: string,
  timeoutMs = 60_000,
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      serverPath,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const ok = error === null;
        resolve({ ok, stdout, stderr, missingSubcommand: !ok && isMissingSubcommand(stderr, args[0] ?? '') });
      },
    );
    // A process that exits without reading its input must not crash the extension host.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/**
 * `report-lsp targets` over an editor's text (unsaved changes included) rather than the file on
 * disk: the document is neither saved nor out of date. `file` names it, and is where the
 * settings file is looked for.
 */
export function targetsOfText(serverPath: string, file: string, text: string): Promise<CliResult> {
  return runCli(serverPath, ['targets', '-', '--stdin-path', file, '--format', 'csv'], path.dirname(file), 60_000, text);
}

/** clap prints `error: unrecognized subcommand 'targets'` for an unknown subcommand. */
export function isMissingSubcommand(stderr: string, subcommand: string): boolean {
  const s = stderr.toLowerCase();
  return (
    (s.includes('unrecognized subcommand') || s.includes('unexpected argument') || s.includes('unknown command')) &&
    s.includes(subcommand.toLowerCase())
  );
}

export function describeFailure(subcommand: string, result: CliResult, t: Translate = english): string {
  if (result.missingSubcommand) {
    return t(
      'This report-lsp binary has no "{0}" command yet; update the server (report-lsp --version shows which one runs).',
      subcommand,
    );
  }
  const detail = result.stderr.trim().split('\n').slice(0, 5).join(' ');
  return t('report-lsp {0} failed: {1}', subcommand, detail || t('no error output'));
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** First CSV row is the header. */
export function csvToMarkdown(csv: string, title: string): string {
  const rows = parseCsv(csv).filter((r) => r.some((f) => f !== ''));
  if (rows.length === 0) return `# ${title}\n\nNo targets found.\n`;
  const width = Math.max(...rows.map((r) => r.length));
  const pad = (r: string[]) => [...r, ...Array<string>(width - r.length).fill('')];
  const lines = [`# ${title}`, '', `| ${pad(rows[0]).map(mdCell).join(' | ')} |`, `|${' --- |'.repeat(width)}`];
  for (const r of rows.slice(1)) lines.push(`| ${pad(r).map(mdCell).join(' | ')} |`);
  lines.push('', `${rows.length - 1} rows.`, '');
  return lines.join('\n');
}

export interface DuplicateLocation {
  path: string;
  /** 1-based, as the CLI prints it. */
  line: number;
  text: string;
}

export interface DuplicateCluster {
  label: string;
  locations: DuplicateLocation[];
}

/**
 * Accepts `[cluster…]` or `{ "clusters": [cluster…] }`, a cluster being `[member…]` or an object
 * with `members`/`locations`/`occurrences`; members name the file as `path`/`file` and the line as
 * `line`/`start_line`/`startLine` (1-based). Tolerant because the CLI format is still settling.
 */
export function parseDuplicates(json: string): DuplicateCluster[] {
  const data: unknown = JSON.parse(json);
  const list = Array.isArray(data) ? data : asRecord(data)?.clusters;
  if (!Array.isArray(list)) throw new Error('expected a JSON array of clusters or {"clusters": [...]}');
  return list.map((raw, i) => {
    const obj = asRecord(raw);
    const members = Array.isArray(raw) ? raw : (obj?.members ?? obj?.locations ?? obj?.occurrences);
    if (!Array.isArray(members)) throw new Error(`cluster ${i + 1} has no members`);
    const locations = members.map((m) => {
      const r = asRecord(m) ?? {};
      const path = str(r.path ?? r.file) ?? '';
      const line = Number(r.line ?? r.start_line ?? r.startLine ?? 1);
      const text = str(r.text ?? r.preview ?? r.excerpt) ?? '';
      return { path, line: Number.isFinite(line) && line >= 1 ? line : 1, text };
    });
    const label = str(obj?.label ?? obj?.text ?? obj?.preview) ?? (locations[0]?.text || `cluster ${i + 1}`);
    return { label, locations };
  });
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}
