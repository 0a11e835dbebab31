#!/usr/bin/env bash
# The Python binding in a fresh venv: `pip install ./crates/hkb-py` (maturin builds it), then
# pytest with pandas and Ray, comparing with the command line at $1. Every test must run
# (HKBUDGET_REQUIRE_ALL=1 turns a skip into a failure; pytest's exit code 5, no tests, fails).
#   .ci/python.sh target/release/hkbudget
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:?usage: .ci/python.sh path/to/hkbudget}")
venv=${HKBUDGET_PY_VENV:-/tmp/hkbudget-py-venv}
sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
if ! [ -x "$venv/bin/python" ]; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    $sudo_ apt-get update -qq >&2 && $sudo_ apt-get install -y -qq python3-venv python3-pip >&2
    python3 -m venv "$venv"
  fi
fi
# Pinned: the versions the tests and docs/PERFORMANCE.md were run with.
"$venv/bin/pip" install -q --disable-pip-version-check pytest==9.2.0 ray==2.60.0 pyyaml==6.0.4 \
  pandas==3.1.1 pyarrow==26.0.1
echo "== pip install ./crates/hkb-py (maturin builds the extension)"
"$venv/bin/pip" install -q --disable-pip-version-check ./crates/hkb-py
cache=$(mktemp -d /tmp/hkbudget-py-cache.XXXXXX)
trap 'rm -rf "$cache"; "$venv/bin/ray" stop --force >/dev/null 2>&1 || true' EXIT
"$venv/bin/python" -c "import hkbudget; print('import hkbudget', hkbudget.__version__)"
set +e
(cd /tmp && HKBUDGET_BIN="$bin" HKBUDGET_CACHE="$cache" HKBUDGET_REQUIRE_ALL=1 \
  "$venv/bin/python" -m pytest -q -rs "$OLDPWD/crates/hkb-py/tests")
rc=$?
set -e
if [ "$rc" = 5 ]; then echo "pytest ran no tests" >&2; exit 1; fi
exit "$rc"
