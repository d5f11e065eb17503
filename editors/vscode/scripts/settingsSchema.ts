// `check`: fail when package.json's settings differ from `report-lsp settings-schema`.
// `update`: rewrite package.json's server settings from that output (client-only keys kept).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffProperties, mergeProperties, parseSchemaOutput, type Properties } from '../src/settings';

const root = path.resolve(__dirname, '..', '..');
const manifestPath = path.join(root, 'package.json');
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
  const inManifest = manifest.contributes.configuration.properties;
  if (mode === 'update') {
    manifest.contributes.configuration.properties = mergeProperties(fromServer, inManifest);
    fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`updated ${manifestPath} from ${bin} settings-schema`);
    return 0;
  }
  const diffs = diffProperties(fromServer, inManifest);
  if (diffs.length > 0) {
    console.error('FAIL: package.json settings differ from `report-lsp settings-schema`:');
    for (const d of diffs) console.error(`  - ${d}`);
    console.error('Run `npm run settings:update` in editors/vscode to regenerate them.');
    return 1;
  }
  console.log(`PASS: package.json settings match report-lsp settings-schema (${Object.keys(fromServer).length} keys)`);
  return 0;
}

process.exitCode = main();
