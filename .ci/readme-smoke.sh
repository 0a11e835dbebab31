#!/usr/bin/env bash
# The README's run command exactly as written (cargo run --release -p hkbudget -- serve, on the
# default address with the default store and population, with the cache and data folders in a throwaway directory), then every curl
# example of the README against it: each must answer JSON that is not an error.
set -euo pipefail
cd "$(dirname "$0")/.."
home=$(mktemp -d /tmp/hkbudget-readme.XXXXXX)
run=$(grep -m1 -E '^cargo run --release -p hkbudget -- serve' README.md)
[ -n "$run" ] || { echo "README: no run command found" >&2; exit 1; }
XDG_CACHE_HOME=$home/cache XDG_DATA_HOME=$home/data HKBUDGET_CACHE= HKBUDGET_DB= HKBUDGET_LOG=warn bash -c "$run" > "$home/url" 2> "$home/log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 1 600); do [ -s "$home/url" ] && break; sleep 0.2; done
[ -s "$home/url" ] || { cat "$home/log" >&2; echo "the server did not print its URL" >&2; exit 1; }
echo "README run command: $(cat "$home/url") ($(tail -1 "$home/log"))"
# The curl examples: the shell block after "three requests", continuation lines joined.
python3 - "$home" <<'PY'
import json, re, subprocess, sys
text = open("README.md", encoding="utf-8").read()
block = text.split("three requests", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
# A command goes on while a line ends in a backslash or a single quote is still open.
cmds, cur = [], ""
for line in block.splitlines():
    if line.strip().startswith("#") and not cur:
        continue
    cur += line + "\n"
    if not line.endswith("\\") and cur.count("'") % 2 == 0:
        if cur.strip():
            cmds.append(cur)
        cur = ""
assert len(cmds) >= 3, cmds
for c in cmds:
    out = subprocess.run(["bash", "-c", c], capture_output=True, text=True, timeout=120)
    try:
        v = json.loads(out.stdout)
    except Exception:
        sys.exit(f"not JSON from: {c}\n{out.stdout[:500]}{out.stderr[:500]}")
    if "code" in v and "message" in v:
        sys.exit(f"an error from: {c}\n{out.stdout[:500]}")
    print("ok:", c.split("\n")[0][:100])
PY
