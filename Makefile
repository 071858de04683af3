# promptsite — `make site` builds the sample catalog, `make test` runs the tests.
# Both install missing system packages first (cmark-gfm for Markdown, zlib for gzipped logs, libpq, jemalloc on Linux).

SWIFT ?= swift
CONFIG ?= debug
BIN = .build/$(CONFIG)/promptsite

.PHONY: site test build release check deps clean theme bench bench-logs fuzz

site: deps build
	$(BIN) build --config Site.json

# The tests run beside a throw-away PostgreSQL server (scripts/with-postgres.sh installs, starts and always stops it;
# without one the database tests skip with a message).
test: deps
	$(SWIFT) build --build-tests
	PROMPTSITE_VERIFY_PAGE_KEYS=1 scripts/with-postgres.sh $(SWIFT) test --skip-build
	@# The JSON Schemas against every sample file, with Python's jsonschema (installed with pip when missing).
	@if ! command -v python3 >/dev/null 2>&1; then echo "validate-schemas: SKIPPED, python3 is not installed"; \
	else python3 -c 'import jsonschema, yaml' 2>/dev/null || python3 -m pip install -q jsonschema pyyaml 2>/dev/null \
	  || echo "validate-schemas: pip is unavailable, cannot install jsonschema"; \
	  python3 scripts/validate-schemas.py .build/debug/promptsite; fi

build: deps
	$(SWIFT) build -c $(CONFIG) --product promptsite

release:
	$(MAKE) build CONFIG=release

check: build
	$(BIN) check --config Site.json

deps:
	@if [ "$$(uname)" = "Darwin" ]; then \
	  if ! pkg-config --exists libcmark-gfm zlib libpq 2>/dev/null; then \
	    brew list cmark-gfm >/dev/null 2>&1 || brew install cmark-gfm; \
	    brew list libpq >/dev/null 2>&1 || brew install libpq; \
	  fi; \
	elif pkg-config --exists libcmark-gfm zlib libpq jemalloc 2>/dev/null; then :; \
	else \
	  echo "Installing cmark-gfm, zlib, libpq and jemalloc (libcmark-gfm-dev, libcmark-gfm-extensions-dev, zlib1g-dev, libpq-dev, libjemalloc-dev)"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev libpq-dev libjemalloc-dev pkg-config; \
	fi

# Benchmark: 1,000 families x 10 versions in a release build, beside Hugo when installed.
bench: deps
	$(SWIFT) build -c release --product promptsite
	.build/release/promptsite bench --families 1000 --versions 10

# Log analytics: 1,000,000 generated lines, beside DuckDB when `pip install duckdb` was run.
bench-logs: deps
	$(SWIFT) build -c release --product promptsite
	.build/release/promptsite bench logs --lines 1000000

# Re-embed Templates/ into the binary after editing the theme.
theme:
	python3 scripts/embed-theme.py

# libFuzzer targets (Fuzz/): the front-matter loader, the template parser, the condition parser.
# FUZZ_SECONDS per target; new inputs go to .build-fuzz/corpus, the seeds in Fuzz/corpus stay small.
FUZZ_SECONDS ?= 120
fuzz:
	cd Fuzz && $(SWIFT) build -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld --scratch-path ../.build-fuzz
	for target in front-matter:FuzzFrontMatter template:FuzzTemplate condition:FuzzCondition; do \
		mkdir -p .build-fuzz/corpus/$${target%%:*} && \
		.build-fuzz/debug/$${target##*:} -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -rss_limit_mb=2048 -timeout=10 \
			.build-fuzz/corpus/$${target%%:*} Fuzz/corpus/$${target%%:*} || exit 1; \
	done

clean:
	rm -rf .build .build-fuzz Output
