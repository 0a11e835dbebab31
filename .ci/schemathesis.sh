#!/usr/bin/env bash
# Fuzzes the live API from its own OpenAPI document with schemathesis (PyPI): no 5xx and no
# response that violates its schema, bounded in examples per operation and in time.
#   .ci/schemathesis.sh path/to/hkbudget
set -euo pipefail
bin=${1:?usage: .ci/schemathesis.sh path/to/hkbudget}
work=$(mktemp -d /tmp/hkbudget-st.XXXXXX)
venv=${HKBUDGET_ST_VENV:-/tmp/hkbudget-st-venv}
sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
if ! [ -x "$venv/bin/schemathesis" ]; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    echo "installing python3-venv (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo_ apt-get update -qq >&2 && $sudo_ apt-get install -y -qq python3-venv python3-pip >&2
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==4.32.5"
fi
# A small population and tight limits keep every request quick; the API is the same.
HKBUDGET_CACHE="$work/cache" HKBUDGET_LOG=warn "$bin" serve --addr 127.0.0.1:0 --db "$work/st.sqlite" \
  --persons 20000 --businesses 2000 --max-persons 100000 --max-paths 20000 --timeout 30 \
  > "$work/url" 2> "$work/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do [ -s "$work/url" ] && break; sleep 0.2; done
url=$(head -1 "$work/url" | sed 's#/$##')
[ -n "$url" ] || { cat "$work/server.log" >&2; echo "the server did not start" >&2; exit 1; }
echo "schemathesis against $url/api/v1/openapi.json"
"$venv/bin/schemathesis" run "$url/api/v1/openapi.json" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${HKBUDGET_ST_EXAMPLES:-15}" --max-time "${HKBUDGET_ST_SECONDS:-300}" \
  --request-timeout 60 --seed 20240228 --generation-database none --no-color \
  --warnings off
