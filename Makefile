# The README's two commands: `make audit` and `make test`. Each installs what is missing, builds in
# Release, then runs the main job or the whole test suite.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: deps configure build audit test clean

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

clean:
	rm -rf $(BUILD_DIR)
