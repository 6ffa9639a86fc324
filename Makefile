# voxgate front door. `make run` and `make test` do all set-up on a fresh
# Debian 12 machine (scripts/bootstrap installs what is missing).

BUILD_DIR    ?= build
RELEASE_DIR  := $(BUILD_DIR)/release
ASAN_DIR     := $(BUILD_DIR)/asan
LINT_DIR     := $(BUILD_DIR)/lint
JOBS         ?= $(shell nproc)
# One test more than cores: most integration tests wait on SIP timers; the
# ones that need the CPU say so (PROCESSORS, RUN_SERIAL in their CMakeLists).
TEST_JOBS    ?= $(shell echo $$(( $$(nproc) + 1 )))
FUZZ_SECONDS ?= 60
CMAKE_ARGS   ?=
SOURCES       = $(shell git ls-files '*.cpp' '*.hpp')

.PHONY: all bootstrap build test run asan tsan bench fuzz format format-check lint check-layers clean

all: build

bootstrap:
	@scripts/bootstrap

# Release build; the binary is $(RELEASE_DIR)/voxgate. The benchmarks are
# `make bench`'s (scripts/bench turns VOXGATE_BENCH on in the same tree):
# no test needs them, and they were a twentieth of the release compile.
build: bootstrap
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOXGATE_BENCH=OFF $(CMAKE_ARGS) >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(RELEASE_DIR) --output-on-failure -j $(TEST_JOBS)

run: build
	$(RELEASE_DIR)/voxgate serve

# AddressSanitizer + UndefinedBehaviorSanitizer build (clang; the fuzzers
# live in the same tree, scripts/sanitizer-build) running every test but the
# SIPp load runs (label `load`: a sanitized build is too slow for their
# rates), the test tools' own self-tests (label `selftest`: no voxgate code
# runs in them) and the tests that mostly wait for a timer of a minute or
# more (VOXGATE_SKIP_SLOW_TESTS: `make test` runs them).
asan: bootstrap
	@scripts/sanitizer-build
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:suppressions=$(CURDIR)/tests/asan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  VOXGATE_SKIP_SLOW_TESTS=1 ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(TEST_JOBS) -LE 'load|selftest'

# ThreadSanitizer over the session registry's tests only (scripts/
# tsan-registry: its own tree, build/tsan, holding base and session_registry
# alone): the registry is the shared state every thread reads and writes.
tsan: bootstrap
	scripts/tsan-registry

bench: bootstrap
	scripts/bench

fuzz: bootstrap
	scripts/fuzz $(FUZZ_SECONDS)

format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run -Werror $(SOURCES)

# clang-tidy over every source, the benchmarks' included. It reads each
# file's own compile command, so its tree is configured without the unity
# build (and needs no compiling: clang-tidy parses the sources itself).
lint: bootstrap
	@cmake -S . -B $(LINT_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOXGATE_BENCH=ON -DVOXGATE_UNITY=OFF $(CMAKE_ARGS) >/dev/null
	scripts/lint $(LINT_DIR)

check-layers:
	python3 tools/check_layers

clean:
	rm -rf $(BUILD_DIR)
