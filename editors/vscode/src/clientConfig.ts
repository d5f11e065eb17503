// The parts of the client configuration that the protocol test must reproduce exactly.
// No `vscode` import, so test/protocol can use it against the real binary.
import { buildServerSettings, SECTION } from './settings';

export const CLIENT_ID = 'reportLsp';
export const CLIENT_NAME = 'Report LSP';
export const SERVER_ARGS: readonly string[] = ['serve'];
export const DIAGNOSTIC_SOURCE = 'report-lsp';

/** Answer to `workspace/configuration`: the settings object for our section, null for others. */
export function configurationResult(
  items: ReadonlyArray<{ section?: string }>,
  settings: Record<string, unknown>,
): unknown[] {
  return items.map((item) => {
    if (item.section === SECTION) return settings;
    if (item.section?.startsWith(`${SECTION}.`)) {
      let node: unknown = settings;
      for (const part of item.section.slice(SECTION.length + 1).split('.')) {
        node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
      }
      return node ?? null;
    }
    return null;
  });
}

export { buildServerSettings };
