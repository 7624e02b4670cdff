# minisql: common tasks. Go 1.26 is expected at /usr/local/go or on PATH.
export PATH := /usr/local/go/bin:$(PATH)

GO        ?= go
PKGS      := ./...
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCHTIME ?= 1x

.PHONY: build test test-short bench bench-compare run lint fmt

build:
	$(GO) build -o bin/minisql ./cmd/minisql

# The whole suite: race detector on (the executor is concurrent), and
# Arrow's assert tag so a double Release panics.
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -tags assert -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

bench-compare:
	@echo "usage: make bench > old.txt; (change); make bench > new.txt; go run golang.org/x/perf/cmd/benchstat@latest old.txt new.txt"

run: build
	./bin/minisql --data testdata/tpch/sf0.01

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')
