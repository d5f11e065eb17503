import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type Range as LspRange,
  type ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';
import { csvToMarkdown, describeFailure, parseDuplicates, runCli, targetsOfText } from './cli';
import { CLIENT_ID, CLIENT_NAME, configurationResult, DIAGNOSTIC_SOURCE, SERVER_ARGS } from './clientConfig';
import { documentSelector, Exclusions } from './files';
import { makeBundledExecutable, resolveServerPath } from './serverPath';
import { buildServerSettings, type Properties, SECTION, serverKeys } from './settings';

const EXCLUDED_KEY = 'reportLsp.excludedFiles';
// Messages: English templates, translated from l10n/bundle.l10n.<locale>.json.
const t = vscode.l10n.t;

let client: LanguageClient | undefined;
let ctx: vscode.ExtensionContext;
let exclusions: Exclusions;
let status: vscode.StatusBarItem;
let progress: { title: string; percentage?: number } | undefined;
let output: vscode.OutputChannel;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  ctx = context;
  exclusions = new Exclusions(context.workspaceState.get<string[]>(EXCLUDED_KEY, []));
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  status = vscode.window.createStatusBarItem('reportLsp.status', vscode.StatusBarAlignment.Right, 100);
  status.name = CLIENT_NAME;
  status.command = 'reportLsp.toggleFile';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('reportLsp.restart', restart),
    vscode.commands.registerCommand('reportLsp.toggleFile', toggleFile),
    vscode.commands.registerCommand('reportLsp.showTargets', showTargets),
    vscode.commands.registerCommand('reportLsp.showDuplicates', showDuplicates),
    vscode.commands.registerCommand('reportLsp.fixAll', fixAll),
    vscode.commands.registerCommand('reportLsp.listPlaceholders', listPlaceholders),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // The selector and server path are fixed when the client starts; server options are
      // pushed live through `synchronize.configurationSection`.
      if (e.affectsConfiguration('reportLsp.files') || e.affectsConfiguration('reportLsp.server.path')) {
        await restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function serverSettings(): Record<string, unknown> {
  const manifest = ctx.extension.packageJSON as { contributes: { configuration: { properties: Properties } } };
  const properties = manifest.contributes.configuration.properties;
  const config = vscode.workspace.getConfiguration();
  return buildServerSettings(serverKeys(properties), (key) => config.get(key));
}

function isExcluded(uri: vscode.Uri): boolean {
  return exclusions.has(uri.toString());
}

function serverPathOrError(): string | undefined {
  const config = vscode.workspace.getConfiguration(SECTION);
  makeBundledExecutable(ctx.extensionPath);
  const resolved = resolveServerPath(
    {
      configured: config.get<string>('server.path', ''),
      extensionPath: ctx.extensionPath,
      envPath: process.env.PATH,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    },
    t,
  );
  if (resolved.ok) {
    output.appendLine(`Using ${resolved.path} (${resolved.source})`);
    return resolved.path;
  }
  void vscode.window.showErrorMessage(resolved.message, t('Open Settings')).then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'reportLsp.server.path');
  });
  return undefined;
}

async function start(): Promise<void> {
  const command = serverPathOrError();
  if (!command) {
    updateStatus();
    return;
  }
  const serverOptions: ServerOptions = { command, args: [...SERVER_ARGS], transport: TransportKind.stdio };
  const filesGlob = vscode.workspace.getConfiguration(SECTION).get<string>('files');
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(filesGlob),
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    diagnosticCollectionName: DIAGNOSTIC_SOURCE,
    middleware: {
      // Files switched off from the status bar stay matched by the selector but are not synced.
      didOpen: (doc, next) => (isExcluded(doc.uri) ? Promise.resolve() : next(doc)),
      didChange: (e, next) => (isExcluded(e.document.uri) ? Promise.resolve() : next(e)),
      didClose: (doc, next) => (isExcluded(doc.uri) ? Promise.resolve() : next(doc)),
      didSave: (doc, next) => (isExcluded(doc.uri) ? Promise.resolve() : next(doc)),
      handleDiagnostics: (uri, diagnostics, next) => next(uri, isExcluded(uri) ? [] : diagnostics),
      provideDocumentSymbols: (doc, token, next) => (isExcluded(doc.uri) ? undefined : next(doc, token)),
      provideFoldingRanges: (doc, c, token, next) => (isExcluded(doc.uri) ? undefined : next(doc, c, token)),
      provideHover: (doc, pos, token, next) => (isExcluded(doc.uri) ? undefined : next(doc, pos, token)),
      provideCodeActions: (doc, range, c, token, next) =>
        isExcluded(doc.uri) ? undefined : next(doc, range, c, token),
      workspace: {
        // Send only the server's keys, shaped like report-lsp.toml, not client-only settings.
        configuration: (params) => configurationResult(params.items, serverSettings()),
      },
    },
  };
  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = c;
  c.onDidChangeState(() => {
    if (c.state !== State.Running) progress = undefined;
    updateStatus();
  });
  // Track work-done progress ourselves to show it in the status bar item.
  c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    c.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'begin') {
        progress = { title: value.title, percentage: value.percentage };
      } else if (value.kind === 'report') {
        progress = { title: progress?.title ?? t('Working'), percentage: value.percentage ?? progress?.percentage };
      } else {
        progress = undefined;
      }
      updateStatus();
    });
    return null;
  });
  try {
    await c.start();
  } catch (e) {
    void vscode.window.showErrorMessage(t('{0}: the server failed to start: {1}', CLIENT_NAME, (e as Error).message));
  }
  updateStatus();
}

async function restart(): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    try {
      await old.stop();
    } catch (e) {
      output.appendLine(`stop failed: ${(e as Error).message}`);
    }
  }
  await start();
}

function reportEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') return undefined;
  const filesGlob = vscode.workspace.getConfiguration(SECTION).get<string>('files');
  return vscode.languages.match(documentSelector(filesGlob), editor.document) > 0 ? editor : undefined;
}

function updateStatus(): void {
  const editor = reportEditor();
  if (!editor && !progress) {
    status.hide();
    return;
  }
  const state = client?.state;
  const stateText = state === State.Running ? t('running') : state === State.Starting ? t('starting') : t('stopped');
  let text: string;
  if (progress) {
    const pct = progress.percentage !== undefined ? ` ${Math.round(progress.percentage)}%` : '';
    text = `$(sync~spin) Report: ${progress.title}${pct}`;
  } else if (state !== State.Running) {
    text = state === State.Starting ? '$(loading~spin) Report' : t('$(error) Report: stopped');
  } else if (editor && isExcluded(editor.document.uri)) {
    text = t('$(circle-slash) Report: off');
  } else {
    const n = editor
      ? vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE).length
      : 0;
    text = n === 0 ? '$(pass) Report' : `$(warning) Report: ${n}`;
  }
  status.text = text;
  const fileAction =
    editor && isExcluded(editor.document.uri) ? t('check this file again') : t('stop checking this file');
  status.tooltip = t('{0}: server {1}. Click to {2}.', CLIENT_NAME, stateText, fileAction);
  status.show();
}

async function toggleFile(): Promise<void> {
  const editor = reportEditor();
  if (!editor) {
    void vscode.window.showInformationMessage(t('{0}: the active file does not match reportLsp.files.', CLIENT_NAME));
    return;
  }
  const doc = editor.document;
  const nowExcluded = exclusions.toggle(doc.uri.toString());
  await ctx.workspaceState.update(EXCLUDED_KEY, exclusions.toJSON());
  const c = client;
  if (c?.state === State.Running) {
    // Tell the server the file is gone (or back) without restarting it.
    if (nowExcluded) {
      await c.sendNotification(DidCloseTextDocumentNotification.type, {
        textDocument: { uri: c.code2ProtocolConverter.asUri(doc.uri) },
      });
      c.diagnostics?.delete(doc.uri);
    } else {
      await c.sendNotification(DidOpenTextDocumentNotification.type, c.code2ProtocolConverter.asOpenTextDocumentParams(doc));
    }
  }
  updateStatus();
}

async function showTargets(): Promise<void> {
  const editor = reportEditor();
  const server = serverPathOrError();
  if (!editor || !server) {
    if (!editor) void vscode.window.showInformationMessage(t('{0}: open a report file first.', CLIENT_NAME));
    return;
  }
  const file = editor.document.uri.fsPath;
  // The editor's text, not the file: a modified document is not saved behind the user's back.
  const result = await targetsOfText(server, file, editor.document.getText());
  if (!result.ok) {
    void vscode.window.showErrorMessage(describeFailure('targets', result, t));
    return;
  }
  const md = csvToMarkdown(result.stdout, t('Targets: {0}', path.basename(file)));
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}

async function showDuplicates(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const server = serverPathOrError();
  if (!folder || !server) {
    if (!folder) void vscode.window.showInformationMessage(t('{0}: open a folder first.', CLIENT_NAME));
    return;
  }
  const dir = folder.uri.fsPath;
  const result = await runCli(server, ['duplicates', dir, '--format', 'json'], dir, 300_000);
  if (!result.ok) {
    void vscode.window.showErrorMessage(describeFailure('duplicates', result, t));
    return;
  }
  let clusters;
  try {
    clusters = parseDuplicates(result.stdout);
  } catch (e) {
    void vscode.window.showErrorMessage(t('{0}: cannot read duplicates output: {1}', CLIENT_NAME, (e as Error).message));
    return;
  }
  if (clusters.length === 0) {
    void vscode.window.showInformationMessage(t('{0}: no duplicate passages in {1}.', CLIENT_NAME, folder.name));
    return;
  }
  type Item = vscode.QuickPickItem & { file?: string; line?: number };
  const items: Item[] = [];
  clusters.forEach((cl, i) => {
    items.push({ label: `${i + 1}. ${cl.label.slice(0, 60)}`, kind: vscode.QuickPickItemKind.Separator });
    for (const loc of cl.locations) {
      const file = path.isAbsolute(loc.path) ? loc.path : path.join(dir, loc.path);
      items.push({ label: `${path.relative(dir, file)}:${loc.line}`, detail: loc.text, file, line: loc.line });
    }
  });
  const pick = await vscode.window.showQuickPick(items, {
    title: t('{0} duplicate clusters', clusters.length),
    matchOnDetail: true,
  });
  if (pick?.file) {
    const pos = new vscode.Position((pick.line ?? 1) - 1, 0);
    await vscode.window.showTextDocument(vscode.Uri.file(pick.file), { selection: new vscode.Range(pos, pos) });
  }
}

async function fixAll(): Promise<void> {
  const editor = reportEditor();
  if (!editor) return;
  const doc = editor.document;
  const all = new vscode.Range(0, 0, doc.lineCount, 0);
  const kind = vscode.CodeActionKind.SourceFixAll;
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      all,
      kind.value,
      10,
    )) ?? [];
  const action = actions.find((a) => a.kind && kind.contains(a.kind));
  if (!action) {
    void vscode.window.showInformationMessage(t('{0}: nothing to fix in this file.', CLIENT_NAME));
    return;
  }
  if (action.edit) await vscode.workspace.applyEdit(action.edit);
  if (action.command) {
    const args: unknown[] = action.command.arguments ?? [];
    await vscode.commands.executeCommand(action.command.command, ...args);
  }
}

/** One entry of the server's `report-lsp.listPlaceholders` answer. */
interface Placeholder {
  uri: string;
  range: LspRange;
  text: string;
  line: string;
}

/** Every placeholder (`XX`, `（待补充）`, …) of the workspace, as a quick pick that opens it. */
async function listPlaceholders(): Promise<void> {
  const c = client;
  if (!c || c.state !== State.Running) {
    void vscode.window.showInformationMessage(t('{0}: the server is not running.', CLIENT_NAME));
    return;
  }
  let found: Placeholder[];
  try {
    found =
      ((await c.sendRequest(ExecuteCommandRequest.type, {
        command: 'report-lsp.listPlaceholders',
        arguments: [],
      })) as Placeholder[] | null) ?? [];
  } catch (e) {
    void vscode.window.showErrorMessage(t('{0}: cannot list placeholders: {1}', CLIENT_NAME, (e as Error).message));
    return;
  }
  if (found.length === 0) {
    void vscode.window.showInformationMessage(t('{0}: no placeholders left in the workspace.', CLIENT_NAME));
    return;
  }
  type Item = vscode.QuickPickItem & { uri: vscode.Uri; range: vscode.Range };
  const items: Item[] = found.map((p) => {
    const uri = c.protocol2CodeConverter.asUri(p.uri);
    const range = c.protocol2CodeConverter.asRange(p.range);
    return {
      label: `${p.text}  ${vscode.workspace.asRelativePath(uri)}:${range.start.line + 1}`,
      detail: p.line,
      uri,
      range,
    };
  });
  const pick = await vscode.window.showQuickPick(items, {
    title: t('{0} placeholder(s) to fill in', found.length),
    matchOnDetail: true,
  });
  if (pick) await vscode.window.showTextDocument(pick.uri, { selection: pick.range });
}
