// Settings plumbing shared by the extension, the protocol test and the schema script.
// No `vscode` import: unit-testable.

export const SECTION = 'reportLsp';

/** Settings the client consumes itself; everything else under `reportLsp.` belongs to the server. */
export const CLIENT_ONLY_KEYS: readonly string[] = [
  'reportLsp.server.path',
  'reportLsp.files',
  'reportLsp.trace.server',
];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type PropertySchema = { [k: string]: JsonValue };
export type Properties = Record<string, PropertySchema>;

export function serverKeys(properties: Properties): string[] {
  return Object.keys(properties).filter((k) => !CLIENT_ONLY_KEYS.includes(k));
}

/**
 * Builds the object the server receives as `initializationOptions` and as the answer to
 * `workspace/configuration` for section `reportLsp`: dotted keys become nested objects
 * (`reportLsp.diagnostics.delayMs` -> `{ diagnostics: { delayMs } }`), as report-lsp.toml nests them.
 */
export function buildServerSettings(
  keys: readonly string[],
  read: (key: string) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = read(key);
    if (value === undefined) continue;
    const parts = key.split('.');
    if (parts[0] === SECTION) parts.shift();
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

/** The settings a fresh install sends: every server key at its manifest default. */
export function defaultServerSettings(properties: Properties): Record<string, unknown> {
  return buildServerSettings(serverKeys(properties), (k) => properties[k]?.default);
}

/** Key-order-independent JSON, so a reordered schema is not reported as a difference. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Differences between the server's `settings-schema` output and the server-owned part of
 * package.json's `contributes.configuration.properties`. Empty means in sync.
 */
export function diffProperties(fromServer: Properties, inManifest: Properties): string[] {
  const diffs: string[] = [];
  const manifestKeys = serverKeys(inManifest);
  for (const key of Object.keys(fromServer)) {
    if (CLIENT_ONLY_KEYS.includes(key)) {
      diffs.push(`${key}: the server declares a key the extension reserves for itself`);
    } else if (!(key in inManifest)) {
      diffs.push(`${key}: missing from package.json`);
    } else if (canonicalJson(fromServer[key]) !== canonicalJson(inManifest[key])) {
      diffs.push(
        `${key}: package.json has ${canonicalJson(inManifest[key])}, server has ${canonicalJson(fromServer[key])}`,
      );
    }
  }
  for (const key of manifestKeys) {
    if (!(key in fromServer)) diffs.push(`${key}: in package.json but not in the server's schema`);
  }
  return diffs;
}

/** package.json properties regenerated from the server's schema; client-only keys are kept. */
export function mergeProperties(fromServer: Properties, inManifest: Properties): Properties {
  const merged: Properties = {};
  for (const key of Object.keys(fromServer)) merged[key] = fromServer[key];
  for (const key of CLIENT_ONLY_KEYS) {
    const schema = inManifest[key];
    if (schema) merged[key] = schema;
  }
  return merged;
}

/** Validates `report-lsp settings-schema` output before it is trusted. */
export function parseSchemaOutput(text: string): Properties {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`settings-schema did not print JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('settings-schema must print a JSON object of properties');
  }
  const props = parsed as Record<string, unknown>;
  for (const [key, schema] of Object.entries(props)) {
    if (!key.startsWith(`${SECTION}.`)) throw new Error(`settings-schema key "${key}" is not under ${SECTION}.`);
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
      throw new Error(`settings-schema entry "${key}" is not an object`);
    }
  }
  return props as Properties;
}
