#!/bin/sh
# Runs one specgap command under the emulator (the Arm build's tests) with --json, and passes only if
# it exits 0, stores at least one result, every result's check passed, and its machine record names
# the emulator (figures measured under QEMU must say so).
set -u
out=$("$@" --json) || { echo "exit status $?: $*"; exit 1; }
checks=$(printf '%s' "$out" | grep -o '"check": *"[^"]*"')
[ -n "$checks" ] || { echo "no result: $*"; exit 1; }
bad=$(printf '%s\n' "$checks" | grep -v '"passed"')
[ -z "$bad" ] || { printf 'a check did not pass:\n%s\n' "$bad"; exit 1; }
printf '%s' "$out" | grep -q 'QEMU user-mode emulation' || { echo "the output does not say QEMU ran it"; exit 1; }
printf '%s\n' "$checks" | wc -l | xargs echo "checks passed:"
