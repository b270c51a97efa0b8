#!/usr/bin/env bash
# One fuzzing session of the GGUF reader: fuzz/run.sh SECONDS [LOG] [extra libFuzzer flags].
# The working corpus grows in build-fuzz/corpus/ (not committed); seeds are fuzz/seeds/ and the
# malformed corpus. Crashes land in build-fuzz/artifacts/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:?seconds}
log=${2:-$root/build-fuzz/logs/run-$(date -u +%Y%m%dT%H%M%SZ).log}
shift $(( $# >= 2 ? 2 : 1 ))
mkdir -p "$root/build-fuzz/corpus" "$root/build-fuzz/artifacts" "$(dirname "$log")"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
"$root/build-fuzz/gguf_reader_fuzz" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -dict="$root/fuzz/gguf.dict" -artifact_prefix="$root/build-fuzz/artifacts/" "$@" \
  "$root/build-fuzz/corpus" "$root/fuzz/seeds" "$root/tests/fixtures/gguf/malformed" >"$log" 2>&1
echo "exit $? log $log"
