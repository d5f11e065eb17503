// `npm run package`: the .vsix for this platform, with the report-lsp server inside
// (`vsce package --target`), so that installing the extension is all a user needs.
// The server binary: $REPORT_LSP_BIN, else the first of target/dist (the release build:
// stripped, LTO) and target/release of the repository. VSCE_TARGET overrides the platform.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.resolve(here, '..');
const repo = path.resolve(ext, '..', '..');
const exe = process.platform === 'win32' ? 'report-lsp.exe' : 'report-lsp';

/** VS Code's platform names (`vsce package --target`). */
function vsceTarget(platform, arch) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[platform];
  const cpu = { x64: 'x64', arm64: 'arm64' }[arch];
  return os && cpu ? `${os}-${cpu}` : undefined;
}

function serverBinary() {
  const candidates = process.env.REPORT_LSP_BIN
    ? [path.resolve(process.env.REPORT_LSP_BIN)]
    : ['dist', 'release'].map((p) => path.join(repo, 'target', p, exe));
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) {
    console.error(
      `No report-lsp server to bundle (looked for ${candidates.join(', ')}).\n` +
        'Build it first: `cargo build --release` in the repository (or `cargo build --profile dist`),\n' +
        'or set REPORT_LSP_BIN to the binary.',
    );
    process.exit(1);
  }
  return found;
}

const target = process.env.VSCE_TARGET ?? vsceTarget(process.platform, process.arch);
if (!target) {
  console.error(`No VS Code target for ${process.platform}-${process.arch}; set VSCE_TARGET.`);
  process.exit(1);
}
const server = serverBinary();
const bundled = path.join(ext, 'server', exe);
fs.rmSync(path.join(ext, 'server'), { recursive: true, force: true });
fs.mkdirSync(path.join(ext, 'server'));
fs.copyFileSync(server, bundled);
fs.chmodSync(bundled, 0o755);
const version = execFileSync(bundled, ['--version'], { encoding: 'utf8' }).trim();
console.log(`bundling ${version} from ${server} for ${target}`);

const out = `report-lsp-${target}.vsix`;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: ext, stdio: 'inherit' });
run(process.execPath, [path.join(here, 'build.mjs'), '--production']);
run(process.execPath, [
  path.join(ext, 'node_modules', '@vscode', 'vsce', 'vsce'),
  'package',
  '--target',
  target,
  '--no-dependencies',
  '--allow-missing-repository',
  '--out',
  out,
]);
console.log(`wrote ${path.join(ext, out)}`);
