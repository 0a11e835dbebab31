#!/usr/bin/env bash
# Short fuzzing of every target from the committed seed corpus (fuzz/corpus/TARGET), on the
# stable toolchain without a sanitizer (`cargo fuzz run -s none`; ASan needs nightly). A crash
# fails the run and leaves the input in $out/artifacts/TARGET/. The committed corpus is copied
# first, so a run never rewrites it.
#   .ci/fuzz.sh [SECONDS_PER_TARGET]   (default 20; docs/RELIABILITY.md records the long runs)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz (crates.io)"
  cargo install --locked cargo-fuzz@0.13.2
fi
out=$(mktemp -d /tmp/hkbudget-fuzz.XXXXXX)
targets=$(cargo fuzz list --fuzz-dir fuzz)
echo "== building the fuzz targets"
cargo fuzz build -s none --fuzz-dir fuzz
for t in $targets; do
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
  cp -r "fuzz/corpus/$t/." "$out/corpus/$t/"
  echo "== fuzz $t for ${seconds}s"
  set +e
  cargo fuzz run -s none --fuzz-dir fuzz "$t" "$out/corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 -max_len=65536 \
    -artifact_prefix="$out/artifacts/$t/" -print_final_stats=1 > "$out/$t.log" 2>&1
  rc=$?
  set -e
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$out/$t.log" || true
  echo "corpus: $(ls "$out/corpus/$t" | wc -l) inputs"
  if [ "$rc" != 0 ] || [ -n "$(ls -A "$out/artifacts/$t")" ]; then
    echo "fuzz $t failed (exit $rc); the log's end and the crash inputs:" >&2
    tail -40 "$out/$t.log" >&2
    ls -l "$out/artifacts/$t" >&2
    exit 1
  fi
done
rm -rf "$out"
echo "fuzz: ok"
