#!/usr/bin/env bash
# The soak test: a release server on 127.0.0.1 under mixed load (tools/load/mixed.lua) for
# SECONDS (default 300), its resident memory sampled every 10 s. Prints wrk's summary and the
# memory series; fails on any error or non-2xx answer, or if memory after warm-up (the first
# minute) grows by more than 10%.
#   tools/load/soak.sh target/release/hkbudget [SECONDS] [CONNECTIONS]
set -euo pipefail
bin=$(realpath "${1:?usage: tools/load/soak.sh path/to/hkbudget [seconds] [connections]}")
seconds=${2:-300}
conns=${3:-4}
cd "$(dirname "$0")/../.."
dir=$(mktemp -d /tmp/hkbudget-soak.XXXXXX)
HKBUDGET_CACHE=${HKBUDGET_CACHE:-$dir/cache} HKBUDGET_LOG=warn "$bin" serve --addr 127.0.0.1:0 --db "$dir/soak.sqlite" > "$dir/url" 2>"$dir/log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 600); do [ -s "$dir/url" ] && break; sleep 0.1; done
url=$(head -1 "$dir/url" | grep -o 'http://127.0.0.1:[0-9]*')
echo "server $url (pid $pid)"
( for _ in $(seq $((seconds / 10))); do grep VmRSS /proc/$pid/status | awk '{print $2}'; sleep 10; done ) > "$dir/rss" &
sampler=$!
out=$(wrk -t2 -c"$conns" -d"${seconds}s" --latency -s tools/load/mixed.lua "$url")
wait $sampler || true
echo "$out" | tail -1
echo "resident memory (kB, every 10 s): $(tr '\n' ' ' < "$dir/rss")"
echo "$out" | tail -1 | grep -q 'errors 0 ' || { echo "soak: errors" >&2; exit 1; }
warm=$(sed -n 7p "$dir/rss"); last=$(tail -1 "$dir/rss")
echo "after warm-up: ${warm} kB; at the end: ${last} kB"
[ -n "$warm" ] && [ "$last" -le $(( warm * 110 / 100 )) ] || { echo "soak: memory grew more than 10% after warm-up" >&2; exit 1; }
echo "soak: ok"
