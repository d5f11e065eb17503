// Locates the report-lsp executable. Kept free of `vscode` imports so it can be unit-tested.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { english, type Translate } from './l10n';

export type ServerSource = 'setting' | 'bundled' | 'path';

export interface ResolveInput {
  /** Value of `reportLsp.server.path` ('' when unset). */
  configured: string;
  /** Root of the installed extension (where `server/` would hold a bundled binary). */
  extensionPath: string;
  /** Contents of the PATH environment variable. */
  envPath: string | undefined;
  platform?: NodeJS.Platform;
  /** First workspace folder, used to resolve a relative `reportLsp.server.path`. */
  workspaceFolder?: string;
  /** Injected for tests; defaults to a real executable-file check. */
  isExecutable?: (file: string) => boolean;
}

export type ResolveResult =
  | { ok: true; path: string; source: ServerSource }
  | { ok: false; message: string };

export function defaultIsExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'report-lsp.exe' : 'report-lsp';
}

/**
 * Order: explicit setting, then a binary shipped in the extension's `server/` folder,
 * then `report-lsp` on PATH. An explicit setting that points nowhere is an error rather
 * than a silent fallback, so a typo does not quietly run some other server.
 */
export function resolveServerPath(input: ResolveInput, t: Translate = english): ResolveResult {
  const platform = input.platform ?? process.platform;
  const isExec = input.isExecutable ?? defaultIsExecutable;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const exe = executableName(platform);

  const configured = input.configured.trim();
  if (configured !== '') {
    let candidate = expandHome(configured);
    if (!p.isAbsolute(candidate) && input.workspaceFolder) {
      candidate = p.join(input.workspaceFolder, candidate);
    }
    if (isExec(candidate)) return { ok: true, path: candidate, source: 'setting' };
    return {
      ok: false,
      message: t(
        'reportLsp.server.path is set to "{0}", but no executable exists there. Fix the path in Settings, or clear it to use a bundled server or report-lsp on PATH.',
        configured,
      ),
    };
  }

  const bundled = p.join(input.extensionPath, 'server', exe);
  if (isExec(bundled)) return { ok: true, path: bundled, source: 'bundled' };

  const sep = platform === 'win32' ? ';' : ':';
  for (const dir of (input.envPath ?? '').split(sep)) {
    if (dir === '') continue;
    const candidate = p.join(dir, exe);
    if (isExec(candidate)) return { ok: true, path: candidate, source: 'path' };
  }

  return {
    ok: false,
    message: t(
      'Cannot find the report-lsp server. Install the platform-specific extension package, which bundles it, or install report-lsp on PATH (a prebuilt binary, or `cargo install --path .` in the report-lsp repository), or set reportLsp.server.path to the binary; then run "Report LSP: Restart Server".',
    ),
  };
}

/**
 * The bundled server's executable bit, in case the .vsix was unpacked without it: a bundled
 * binary that cannot be run would be passed over for an older one on PATH. Returns whether it
 * is (now) executable; false when there is none.
 */
export function makeBundledExecutable(extensionPath: string, platform: NodeJS.Platform = process.platform): boolean {
  const file = path.join(extensionPath, 'server', executableName(platform));
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.chmodSync(file, 0o755);
    return defaultIsExecutable(file);
  } catch {
    return false;
  }
}

function expandHome(file: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  if (home && (file === '~' || file.startsWith('~/'))) return home + file.slice(1);
  return file;
}
