// Drives the real report-lsp binary over stdio the way the extension's LanguageClient does:
// same arguments, initializationOptions, workspace/configuration answers and client capabilities.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  createProtocolConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextEdit,
  UnregistrationRequest,
  type WorkspaceEdit,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';
import { configurationResult, SERVER_ARGS } from '../../src/clientConfig';
import { defaultServerSettings, type Properties } from '../../src/settings';

export const extensionRoot = path.resolve(__dirname, '..', '..', '..');
export const repoRoot = path.resolve(extensionRoot, '..', '..');
export const serverBin = process.env.REPORT_LSP_BIN
  ? path.resolve(process.env.REPORT_LSP_BIN)
  : path.join(repoRoot, 'target', 'debug', 'report-lsp');
export const corpus = path.join(repoRoot, 'tests', 'fixtures', 'corpus');

const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Properties } };
};
/** What a fresh install sends: the extension builds these from the same manifest defaults. */
export const settings = defaultServerSettings(manifest.contributes.configuration.properties);

/** The capabilities vscode-languageclient 9 announces for the features the extension uses. */
export const capabilities: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    symbol: { dynamicRegistration: true },
    executeCommand: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
    documentSymbol: {
      dynamicRegistration: true,
      hierarchicalDocumentSymbolSupport: true,
      symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as 1) },
      labelSupport: true,
    },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    foldingRange: { dynamicRegistration: true, rangeLimit: 5000, lineFoldingOnly: true },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      disabledSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'],
        },
      },
      honorsChangeAnnotations: false,
    },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: false,
      tagSupport: { valueSet: [1, 2] },
      codeDescriptionSupport: true,
      dataSupport: true,
    },
  },
  window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
};

const WAIT_MS = Number(process.env.REPORT_LSP_TEST_TIMEOUT_MS ?? 20_000);

export class Session {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private waiters: Array<() => void> = [];
  private stderr = '';
  init!: InitializeResult;

  private constructor(
    readonly child: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-4000);
    });
    conn.onRequest(ConfigurationRequest.type, (params) => configurationResult(params.items, settings));
    conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    conn.onRequest(RegistrationRequest.type, () => null);
    conn.onRequest(UnregistrationRequest.type, () => null);
    conn.onRequest(ApplyWorkspaceEditRequest.type, () => ({ applied: false }));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      for (const w of this.waiters) w();
    });
  }

  static async start(rootDir: string): Promise<Session> {
    if (!fs.existsSync(serverBin)) {
      throw new Error(`server binary not found at ${serverBin}: run \`cargo build\` or set REPORT_LSP_BIN`);
    }
    const child = spawn(serverBin, [...SERVER_ARGS], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const s = new Session(child, conn);
    conn.listen();
    const rootUri = fileUri(rootDir);
    s.init = await s.within('initialize', () =>
      conn.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        clientInfo: { name: 'Visual Studio Code', version: '1.82.0' },
        locale: 'en',
        rootPath: rootDir,
        rootUri,
        capabilities,
        initializationOptions: settings,
        trace: 'off',
        workspaceFolders: [{ uri: rootUri, name: path.basename(rootDir) }],
      }),
    );
    await conn.sendNotification(InitializedNotification.type, {});
    // synchronize.configurationSection makes the LanguageClient send this right after start.
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { reportLsp: settings } });
    return s;
  }

  /** Fails with the name of what it waited for instead of hanging, and shows the server's stderr. */
  async within<T>(what: string, fn: () => Promise<T>, ms = WAIT_MS): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<never>((_, reject) => {
      this.child.once('exit', (code, signal) =>
        reject(new Error(`server exited (${code ?? signal}) while waiting for ${what}\n${this.stderr}`)),
      );
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}\n${this.stderr}`)), ms);
    });
    try {
      return await Promise.race([fn(), timeout, exited]);
    } finally {
      clearTimeout(timer);
    }
  }

  async open(file: string, text = fs.readFileSync(file, 'utf8')): Promise<string> {
    const uri = fileUri(file);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'plaintext', version: 1, text },
    });
    return uri;
  }

  /** Resolves with the first published diagnostics for `uri` that satisfy `pred`. */
  waitForDiagnostics(uri: string, what: string, pred: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    return this.within(`diagnostics for ${path.basename(uri)}: ${what}`, () => {
      return new Promise<Diagnostic[]>((resolve) => {
        const check = () => {
          const d = this.diagnostics.get(uri);
          if (d && pred(d)) {
            this.waiters = this.waiters.filter((w) => w !== check);
            resolve(d);
          }
        };
        this.waiters.push(check);
        check();
      });
    });
  }

  async stop(): Promise<void> {
    try {
      await this.within('shutdown', () => this.conn.sendRequest(ShutdownRequest.type), 5000);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      // Fall through to kill: a test failure must not leave the server running.
    }
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
    this.conn.dispose();
  }
}

export function fileUri(file: string): string {
  return 'file://' + path.resolve(file).split(path.sep).map(encodeURIComponent).join('/').replace(/^\/+/, '/');
}

/** Applies LSP TextEdits (UTF-16 positions, as negotiated) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') continue;
    if (text[i] === '\n' || text[i] === '\r') lineStarts.push(i + 1);
  }
  const offset = (p: { line: number; character: number }) =>
    p.line >= lineStarts.length ? text.length : Math.min(lineStarts[p.line] + p.character, text.length);
  const sorted = edits
    .map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The edits a WorkspaceEdit makes to one document, in either of its two shapes. */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const out: TextEdit[] = [...(edit.changes?.[uri] ?? [])];
  for (const dc of edit.documentChanges ?? []) {
    if ('textDocument' in dc && dc.textDocument.uri === uri) out.push(...(dc.edits as TextEdit[]));
  }
  return out;
}
