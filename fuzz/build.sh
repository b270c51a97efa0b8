#!/usr/bin/env bash
# Builds the GGUF reader's libFuzzer target with Debian's clang and ASan + UBSan, from only the
# sources the reader needs; the normal CMake build never sees it.
#   fuzz/build.sh [OUT_DIR]          # default build-fuzz/: gguf_reader_fuzz, make_seeds
#   fuzz/build.sh --seeds [OUT_DIR]  # also rewrites the valid seeds in fuzz/seeds/
# Running it: see fuzz/README.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seeds=0
if [[ ${1:-} == --seeds ]]; then seeds=1; shift; fi
out=${1:-$root/build-fuzz}
cxx=${CXX:-/usr/bin/clang++}
mkdir -p "$out"

common=(-std=c++20 -g -O1 -fno-omit-frame-pointer -I"$root/src" -Wall -Wextra -Wno-unused-parameter)
reader=("$root/src/llm/gguf_reader.cpp" "$root/src/core/ggml_type.cpp" "$root/src/llm/tensor.cpp")

# halt on the first UBSan report, as on an ASan one.
"$cxx" "${common[@]}" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  "$root/fuzz/gguf_reader_fuzz.cpp" "${reader[@]}" -lfmt -o "$out/gguf_reader_fuzz"
"$cxx" "${common[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
  "$root/fuzz/make_seeds.cpp" "$root/src/llm/gguf_writer.cpp" "${reader[@]}" -lfmt -o "$out/make_seeds"
echo "built $out/gguf_reader_fuzz and $out/make_seeds"

if (( seeds )); then
  mkdir -p "$root/fuzz/seeds"
  "$out/make_seeds" "$root/fuzz/seeds"
  ls -l "$root/fuzz/seeds"
fi
