# The two commands of the README. Each installs what it needs on a fresh
# Debian machine (as root), configures, builds and runs.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= 2
REPORTS ?= reports/out

DEB_PACKAGES = cmake make gcc pkg-config libcjson-dev libcriterion-dev \
               libcurl4-openssl-dev libmicrohttpd-dev

.PHONY: all deps build run test test-asan clean

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

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The main job. Until the runner lands it validates the spec and writes the
# spec listings as reports.
run: build
	@mkdir -p $(REPORTS)
	$(BUILD)/smsconform lint
	$(BUILD)/smsconform list profiles
	$(BUILD)/smsconform list actions > $(REPORTS)/actions.txt
	$(BUILD)/smsconform list actions --json > $(REPORTS)/actions.json
	$(BUILD)/smsconform list tokens --json > $(REPORTS)/tokens.json
	@echo "reports written to $(REPORTS)/"

# ctest runs every Criterion binary; their counts ("Synthesis") and any
# failure lines are shown, the full log stays in the build directory.
CTEST_SHOW = grep -E -e '\[(FAIL|----)\]|Synthesis|tests passed|tests failed|\*\*\*'

test: build
	@ctest --test-dir $(BUILD) -V -j $(JOBS) > $(BUILD)/ctest.log 2>&1; rc=$$?; \
	  $(CTEST_SHOW) $(BUILD)/ctest.log; echo "full log: $(BUILD)/ctest.log"; exit $$rc

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSC_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) -V -j $(JOBS) > $(ASAN_BUILD)/ctest.log 2>&1; \
	  rc=$$?; $(CTEST_SHOW) -e 'ERROR: (Address|Leak|Undefined)' \
	  -e 'runtime error' $(ASAN_BUILD)/ctest.log; \
	  echo "full log: $(ASAN_BUILD)/ctest.log"; exit $$rc

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
