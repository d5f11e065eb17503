// Message localisation for the modules that do not import `vscode` (unit-testable): they take a
// `Translate` function; the extension passes `vscode.l10n.t`, which looks the English template up
// in l10n/bundle.l10n.<locale>.json (l10n/bundle.l10n.zh-cn.json: Chinese).

/** `vscode.l10n.t`'s shape: an English template with `{0}`, `{1}`… and its arguments. */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** The English text: the template with its arguments filled in. */
export const english: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
