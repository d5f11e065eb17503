// `check`: fail when package.json's settings (their descriptions resolved through
// package.nls.json) differ from `report-lsp settings-schema`, or when package.nls.zh-cn.json
// lacks a translation.
// `update`: rewrite package.json's server settings from that output (client-only keys kept),
// their descriptions moved into package.nls.json as `%key%`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { externalise, type Nls, nlsProblems, resolve } from '../src/nls';
import { diffProperties, type JsonValue, mergeProperties, parseSchemaOutput, type Properties } from '../src/settings';

const root = path.resolve(__dirname, '..', '..');
const manifestPath = path.join(root, 'package.json');
const nlsPath = path.join(root, 'package.nls.json');
const TRANSLATIONS = ['zh-cn'];

function readNls(file: string): Nls {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Nls;
}
const bin = process.env.REPORT_LSP_BIN ?? path.resolve(root, '..', '..', 'target', 'debug', 'report-lsp');
const mode = process.argv[2];

function main(): number {
  if (mode !== 'check' && mode !== 'update') {
    console.error('usage: settingsSchema.js check|update   (server: $REPORT_LSP_BIN or target/debug/report-lsp)');
    return 2;
  }
  let stdout: string;
  try {
    stdout = execFileSync(bin, ['settings-schema'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    console.error(`FAIL: \`${bin} settings-schema\` failed: ${(err.stderr ?? err.message).trim()}`);
    return 1;
  }
  const fromServer = parseSchemaOutput(stdout);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    contributes: { configuration: { properties: Properties } };
  };
  const english = readNls(nlsPath);
  const inManifest = resolve(manifest.contributes.configuration.properties as JsonValue, english) as Properties;
  if (mode === 'update') {
    // Descriptions no longer in the schema leave package.nls.json; the rest is regenerated.
    const nls: Nls = Object.fromEntries(
      Object.entries(english).filter(([k]) => !(k.startsWith('reportLsp.') && k.endsWith('.description'))),
    );
    manifest.contributes.configuration.properties = externalise(mergeProperties(fromServer, inManifest), nls);
    fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    fs.writeFileSync(nlsPath, `${JSON.stringify(nls, null, 2)}\n`);
    console.log(`updated ${manifestPath} and ${nlsPath} from ${bin} settings-schema`);
    for (const locale of TRANSLATIONS) {
      const problems = nlsProblems(manifest, nls, readNls(path.join(root, `package.nls.${locale}.json`)), locale);
      for (const p of problems) console.error(`  translate: ${p}`);
    }
    return 0;
  }
  const diffs = diffProperties(fromServer, inManifest);
  for (const locale of TRANSLATIONS) {
    const translation = readNls(path.join(root, `package.nls.${locale}.json`));
    diffs.push(...nlsProblems(manifest, english, translation, locale));
  }
  if (diffs.length > 0) {
    console.error('FAIL: package.json settings differ from `report-lsp settings-schema`, or a translation is incomplete:');
    for (const d of diffs) console.error(`  - ${d}`);
    console.error('Run `npm run settings:update` in editors/vscode to regenerate them, then translate the new keys.');
    return 1;
  }
  console.log(`PASS: package.json settings match report-lsp settings-schema (${Object.keys(fromServer).length} keys)`);
  return 0;
}

process.exitCode = main();
