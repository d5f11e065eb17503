// VS Code's manifest localisation: `%key%` strings in package.json, resolved from
// package.nls.json (English) or package.nls.<locale>.json (package.nls.zh-cn.json: Chinese).
// The server's settings descriptions are generated; these helpers move them into
// package.nls.json and back, so `settings:check` still compares the English text.
import type { JsonValue, Properties } from './settings';

export type Nls = Record<string, string>;

const PLACEHOLDER = /^%([^%\s]+)%$/;

/** Replaces every `%key%` string found in `value` by its text in `nls` (unknown keys stay). */
export function resolve<T extends JsonValue>(value: T, nls: Nls): T {
  if (typeof value === 'string') {
    const m = PLACEHOLDER.exec(value);
    return (m && m[1] in nls ? nls[m[1]] : value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, nls)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolve(v, nls);
    return out as T;
  }
  return value;
}

/** Moves each `description` of the settings (and of their nested properties) into `nls` under
 * `<setting>[.<property>].description`, leaving `%key%` in its place. */
export function externalise(properties: Properties, nls: Nls): Properties {
  const walk = (schema: { [k: string]: JsonValue }, key: string): { [k: string]: JsonValue } => {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(schema)) {
      if (k === 'description' && typeof v === 'string' && !PLACEHOLDER.test(v)) {
        nls[`${key}.description`] = v;
        out[k] = `%${key}.description%`;
      } else if (k === 'properties' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const props: { [k: string]: JsonValue } = {};
        for (const [name, sub] of Object.entries(v)) {
          props[name] =
            sub !== null && typeof sub === 'object' && !Array.isArray(sub) ? walk(sub, `${key}.${name}`) : sub;
        }
        out[k] = props;
      } else {
        out[k] = v;
      }
    }
    return out;
  };
  const result: Properties = {};
  for (const [key, schema] of Object.entries(properties)) result[key] = walk(schema, key);
  return result;
}

/** Every `%key%` placeholder used in `value`. */
export function placeholders(value: JsonValue, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    const m = PLACEHOLDER.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) placeholders(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) placeholders(v, out);
  }
  return out;
}

/** What is wrong with a translation: keys of the English file it lacks or has beyond it, and
 * placeholders of the manifest that the English file does not define. */
export function nlsProblems(manifest: JsonValue, english: Nls, translation: Nls, locale: string): string[] {
  const problems: string[] = [];
  for (const key of placeholders(manifest)) {
    if (!(key in english)) problems.push(`%${key}% used in package.json but not defined in package.nls.json`);
  }
  for (const key of Object.keys(english)) {
    if (!(key in translation) || translation[key].trim() === '') {
      problems.push(`${key}: missing from package.nls.${locale}.json`);
    }
  }
  for (const key of Object.keys(translation)) {
    if (!(key in english)) problems.push(`${key}: in package.nls.${locale}.json but not in package.nls.json`);
  }
  return problems;
}
