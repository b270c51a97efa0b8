#!/usr/bin/env bash
# Installs the Debian packages specgap builds with, when missing. As root it installs them; otherwise
# it names them and says how, and fails. Used by `make deps` (and so by `make audit` and `make test`).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git  # toolchain
  libcli11-dev          # command-line parsing
  nlohmann-json3-dev    # result records and --json
  libfmt-dev            # formatting of tables and messages
  libsqlite3-dev        # the results store
  libhwloc-dev          # cores, caches and NUMA topology
  libdnnl-dev           # oneDNN: the vendor-tuned matmul for the fp32, bf16, int8 and fp16 GEMM
  libopenblas-dev       # OpenBLAS: the fp64 and fp32 GEMM most users' numpy runs
  libtomlplusplus-dev   # toml++: the catalog of reference systems (data/catalog/*.toml)
  libgtest-dev          # the test suite
  libbenchmark-dev      # Google Benchmark: the kernel micro-benchmarks (bench/kernels)
  chromium              # the HTML report's browser test (headless, tests/report/browser_test.cpp)
  libvulkan-dev         # Vulkan headers and loader: the probe lists GPUs through any vendor's driver
  mesa-vulkan-drivers   # Mesa's drivers, lavapipe among them: a software Vulkan device the tests can use
  glslc                 # shaderc's GLSL compiler: the Vulkan backend's compute shaders, built to SPIR-V at build time
  spirv-tools           # spirv-as and spirv-val: the Vulkan int8 dot-product shader, SPIR-V assembly since Debian 12's glslang cannot compile GL_EXT_integer_dot_product
)

# The Arm build (`make test-aarch64`, run by `make test`): Debian's cross compiler, QEMU to run its
# tests, and the same libraries for arm64 (multiarch). oneDNN's arm64 -dev package cannot be installed
# beside amd64's (its dnnl_config.h differs), so its runtime library is enough: the headers are shared.
arm64_packages=(
  g++-aarch64-linux-gnu qemu-user
  libfmt-dev:arm64 libsqlite3-dev:arm64 libhwloc-dev:arm64 libdnnl2:arm64 libopenblas-dev:arm64
  libtomlplusplus-dev:arm64 libgtest-dev:arm64 libbenchmark-dev:arm64 libgomp1:arm64
  libvulkan-dev:arm64 mesa-vulkan-drivers:arm64
)
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  packages+=("${arm64_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  [[ "$p" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "specgap: missing Debian packages: ${missing[*]}; run 'make deps' as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "specgap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [[ " ${missing[*]}" == *":arm64"* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
