# The README's two commands: `make audit` and `make test`. Each installs what is missing, builds in
# Release, then runs the main job or the whole test suite.
BUILD_DIR ?= build
ARM_BUILD_DIR ?= build-aarch64
JOBS ?= $(shell nproc)
# Where the machine can build Arm (Debian amd64 with the cross compiler), `make test` tests that too.
CROSS_ARM := $(shell [ "$$(uname -m)" = x86_64 ] && echo yes)

.PHONY: deps configure build audit test test-aarch64 clean

deps:
	@bash scripts/install-deps.sh

configure:
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

audit: deps
	@$(MAKE) --no-print-directory build
	./$(BUILD_DIR)/specgap audit

test: deps
	@$(MAKE) --no-print-directory build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 1
ifeq ($(CROSS_ARM),yes)
	@$(MAKE) --no-print-directory test-aarch64-only
endif

# The Arm build: cross-compiled with Debian's aarch64 toolchain, its whole suite run under qemu-user
# (cmake/aarch64-linux-gnu.cmake), the SVE kernels at several vector lengths (tests/CMakeLists.txt).
# The kernel micro-benchmarks are not built there: emulated timings mean nothing.
test-aarch64: deps
	@$(MAKE) --no-print-directory test-aarch64-only

.PHONY: test-aarch64-only
test-aarch64-only:
	@cmake -S . -B $(ARM_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DSPECGAP_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(ARM_BUILD_DIR) -j $(JOBS)
	ctest --test-dir $(ARM_BUILD_DIR) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR) $(ARM_BUILD_DIR)
