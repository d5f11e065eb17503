#!/usr/bin/env bash
# Fuzz budget: the proptest fuzz targets of tests/fuzz.rs with a fixed number of cases, in release
# mode. A failure is shrunk and its seed kept in tests/fuzz.proptest-regressions (commit it: it is
# replayed first on every run).
#
#   benches/fuzz.sh [cases]      # default 2000 cases per target (large texts: cases / 20)
set -euo pipefail
cd "$(dirname "$0")/.."
CASES="${1:-2000}"
time FUZZ_CASES="$CASES" cargo test --release --test fuzz -- framing analysis_survives_any
time FUZZ_CASES="$(( CASES / 20 ))" cargo test --release --test fuzz -- large
