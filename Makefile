# minisql: common tasks. Go 1.26 is expected at /usr/local/go or on PATH.
export PATH := /usr/local/go/bin:$(PATH)

GO        ?= go
PKGS      := ./...
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Benchmarks (see BENCHMARKS.md). BENCH is a -bench pattern, BENCHTIME a
# -benchtime (1x: one run each, the quick pass), COUNT a -count (benchstat
# wants at least 6 to judge a difference).
BENCH     ?= .
BENCHTIME ?= 1x
COUNT     ?= 1
BENCHPKGS ?= ./...
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
OLD       ?= old.txt
NEW       ?= new.txt
# The TPC-H data BenchmarkTPCH reads (it generates it when missing; at SF
# 0.01 it reads the official files in testdata).
BENCH_SF  ?= $(or $(MINISQL_BENCH_SF),0.1)
BENCH_DIR ?= $(or $(MINISQL_BENCH_DIR),$(if $(filter 0.01,$(BENCH_SF)),testdata/tpch/sf0.01,$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/minisql/tpch-sf$(BENCH_SF)))
# duckref, the DuckDB reference harness (never needed by the tests).
DUCKREF   ?= $(firstword $(wildcard ../shared/tools/duckref/bin/duckref /tmp/duckref/bin/duckref))
REPS      ?= 3

.PHONY: build test test-short fuzz bench bench-compare bench-duckdb stretch difftest run lint fmt

build:
	$(GO) build -o bin/minisql ./cmd/minisql

# The whole suite: race detector on (the executor is concurrent), and
# Arrow's assert tag so a double Release panics.
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -tags assert -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -count=1 $(PKGS)

# Every fuzz target for FUZZTIME each, one at a time on one worker (the
# machines are shared; no test timeout: FUZZTIME bounds each run). The
# seed corpora in testdata/fuzz also run as regression tests in make test.
# Minimising is capped at 2s: nearly every mutation of a Parquet file finds
# new coverage, and the default 60s of minimising each one left
# FuzzOpenRead running a few dozen inputs in 10 minutes.
# Go 1.26's fuzz coordinator can fail a run with a bare "context deadline
# exceeded" at the -fuzztime boundary, having found nothing (a race in
# internal/fuzz, go.dev/issue/75804, fixed in Go 1.27; it hit FuzzOpenRead,
# whose inputs take a second each). A run that failed that way and wrote no
# failing input is reported and passes; any other failure fails.
# Targets: package:FuzzName.
FUZZTIME ?= 10s
FUZZ_TARGETS := ./planner/parse:FuzzParse ./planner/binder:FuzzBind ./planner/binder:FuzzPlanGen \
	./expr:FuzzEval ./sources/csvsrc:FuzzRead ./sources/parquetsrc:FuzzOpenRead \
	./sources/parquetsrc:FuzzSnappyBlock

fuzz:
	@out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	for t in $(FUZZ_TARGETS); do \
		echo "== $${t##*:} ($${t%%:*}) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t##*:}\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s -timeout 0 -parallel 1 $${t%%:*} >$$out 2>&1; \
		rc=$$?; cat $$out; \
		if [ $$rc -ne 0 ]; then \
			if grep -q "Failing input written to" $$out || ! grep -qx "    context deadline exceeded" $$out; then exit 1; fi; \
			echo "== $${t##*:}: Go's fuzz coordinator raced its own deadline (go.dev/issue/75804); no failing input: not a finding"; \
		fi; \
	done

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) -count $(COUNT) $(BENCHPKGS)

# make bench COUNT=6 > old.txt; (change); make bench COUNT=6 > new.txt; make bench-compare
bench-compare:
	$(GO) run $(BENCHSTAT) $(OLD) $(NEW)

# DuckDB on the same Parquet files and query texts, at threads=1, for the
# side-by-side table in BENCHMARKS.md.
bench-duckdb:
	@if [ -z "$(DUCKREF)" ]; then \
		echo "duckref not found: build it with (cd ../shared/tools/duckref && ./build.sh), or set DUCKREF=path/to/duckref"; \
		exit 0; \
	fi; \
	if [ ! -f "$(BENCH_DIR)/lineitem.parquet" ]; then \
		MINISQL_BENCH_SF=$(BENCH_SF) MINISQL_BENCH_DIR=$(BENCH_DIR) $(GO) test -run '^$$' -bench 'TPCH/q=01/' -benchtime 1x ./bench/ >/dev/null || exit 1; \
	fi; \
	$(DUCKREF) bench --data $(BENCH_DIR) --threads 1 --queries testdata/tpch/queries --reps $(REPS)

# Random queries of FuzzPlanGen's generator answered by minisql and by
# DuckDB, compared (planner/binder's TestDuckDBDifferential, which skips
# without duckref). DIFF_QUERIES queries from generator seed SEED; BIG=1
# for a few hundred rows a table, in small batches at threads=2;
# VERBOSE=1 lists the queries only one engine answers.
DIFF_QUERIES ?= 2000
SEED      ?= 1
BIG       ?= 0
VERBOSE   ?= 0
difftest:
	@if [ -z "$(DUCKREF)" ]; then \
		echo "duckref not found: build it with (cd ../shared/tools/duckref && ./build.sh), or set DUCKREF=path/to/duckref"; \
		exit 0; \
	fi; \
	MINISQL_DUCKREF=$(abspath $(DUCKREF)) MINISQL_DIFF_QUERIES=$(DIFF_QUERIES) MINISQL_DIFF_SEED=$(SEED) MINISQL_DIFF_BIG=$(BIG) MINISQL_DIFF_VERBOSE=$(VERBOSE) \
		$(GO) test -count=1 -timeout 0 -run '^TestDuckDBDifferential$$' -v ./planner/binder/

# The unchecked-stretch survey of issue 6 (cmd/stretches): the 22 TPC-H
# queries over BENCH_DIR and the operator queries of testdata/stretch, each
# warmed up then run RUNS times at THREADS. Per operator it reports the
# shortest of its runs' longest stretches between two cancellation checks:
# a stop of the machine (preemption, a slow page fault, the host taking the
# virtual CPU) only adds to a run's figure, so the least disturbed run
# bounds the operator's own work. It fails when a bound reaches 1 ms.
# MINISQL_BENCH_SF=1 make stretch is the survey in BENCHMARKS.md.
THREADS ?= 1
RUNS    ?= 5
stretch:
	@if [ ! -f "$(BENCH_DIR)/lineitem.parquet" ]; then \
		MINISQL_BENCH_SF=$(BENCH_SF) MINISQL_BENCH_DIR=$(BENCH_DIR) $(GO) test -run '^$$' -bench 'TPCH/q=01/' -benchtime 1x ./bench/ >/dev/null || exit 1; \
	fi
	$(GO) run ./cmd/stretches -data $(BENCH_DIR) -threads $(THREADS) -runs $(RUNS) -q testdata/tpch/queries -q testdata/stretch

run: build
	./bin/minisql --data testdata/tpch/sf0.01

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')
