#!/usr/bin/env bash
# The whole test suite: the Rust workspace, the web lab's unit tests, and its browser tests in
# Debian's chromium against a server started on 127.0.0.1, and the Python binding (pytest in a
# venv). Installs what is missing: the web lab's npm packages (npm ci), chromium (apt-get), the
# Python venv with pandas, pyarrow and Ray (pip). PostgreSQL tests run when
# HKBUDGET_TEST_POSTGRES names a server (.ci/run starts one).
set -euo pipefail
cd "$(dirname "$0")"
sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"

if ! command -v node >/dev/null || ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  echo "test.sh: the web lab needs Node.js 20 or later (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
[ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund)
if ! [ -x "${HKBUDGET_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "== installing chromium and a Chinese font (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq chromium fonts-noto-cjk
fi

echo "== Rust: cargo test --workspace"
cargo test --workspace

echo "== web lab: unit tests"
(cd web && npx vitest run)

echo "== web lab: browser tests (chromium, server on 127.0.0.1)"
(cd web && HKBUDGET_BIN=../target/debug/hkbudget node --test --test-concurrency=1 tests/browser/)
echo "== Python: import hkbudget (pip install ./crates/hkb-py in a venv; pytest, pandas, Ray)"
.ci/python.sh target/debug/hkbudget
echo "test.sh: ok"
