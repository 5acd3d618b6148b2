# The two commands of the README. Each installs what it needs on a fresh
# Debian machine (as root), configures, builds and runs.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= 2
REPORTS ?= reports/out

DEB_PACKAGES = cmake make gcc pkg-config libcjson-dev libcriterion-dev \
               libcurl4-openssl-dev libmicrohttpd-dev libxml2-dev

# What only the tests need: the browser the HTML report test drives.
TEST_DEB_PACKAGES = chromium
# What CI needs beyond the tests: the second compiler of the Release builds.
CI_DEB_PACKAGES = clang

.PHONY: all deps test-deps build run test test-asan release-builds bench \
        fuzz clean

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

test-deps: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(TEST_DEB_PACKAGES)"

# Development and CI build with warnings as errors (a consumer's plain
# `cmake` build does not).
$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSC_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The main job: the full suite against the built-in simulator, one report
# directory per profile (JUnit, JSON, TAP, Markdown, HTML). Exit 1 when any
# profile has a FAIL.
PROFILES ?= sms-activate koalasms smsbulk securesms rest-v1

run: build
	@mkdir -p $(REPORTS)
	$(BUILD)/smsconform lint
	@rc=0; for p in $(PROFILES); do \
	  echo "== $$p"; \
	  $(BUILD)/smsconform run --profile $$p --report-dir $(REPORTS)/$$p \
	    || rc=1; \
	done; echo "reports written to $(REPORTS)/<profile>/"; exit $$rc

# ctest runs every Criterion binary in build directory $(1) (environment
# $(2)); their counts ("Synthesis"), failure lines and sanitizer reports are
# shown, the full log stays in $(1)/ctest.log.
define run_ctest
	@$(2) ctest --test-dir $(1) -V -j $(JOBS) > $(1)/ctest.log 2>&1; rc=$$?; \
	  grep -E -e '\[(FAIL|----)\]|Synthesis|tests passed|tests failed|\*\*\*' \
	    -e 'ERROR: (Address|Leak|Undefined)' -e 'runtime error' $(1)/ctest.log; \
	  echo "full log: $(1)/ctest.log"; exit $$rc
endef

test: build test-deps
	$(call run_ctest,$(BUILD),)

test-asan: test-deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSC_SANITIZE=ON \
	  -DSC_WERROR=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	$(call run_ctest,$(ASAN_BUILD),ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)

# Release builds, tests included, under gcc and clang, warnings as errors.
release-builds: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(CI_DEB_PACKAGES)"
	@for cc in gcc clang; do \
	  cmake -S . -B build-release-$$cc -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_C_COMPILER=$$cc -DSC_WERROR=ON && \
	  cmake --build build-release-$$cc -j $(JOBS) || exit 1; done

# Fuzzing: every target for FUZZ_SECONDS each (fuzz/README.md).
FUZZ_SECONDS ?= 30
fuzz: deps
	bash fuzz/run.sh $(FUZZ_SECONDS)

# Benchmarks: figures printed, not timed tests (bench/README.md).
bench: deps
	bash bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-release-gcc build-release-clang
