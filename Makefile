# Thin wrapper over meson; see README.md. `make run` and `make test` work on a fresh Debian 12.
BUILDDIR ?= _build/default
DEMO := samples/demo.exe samples/demo.bmp

.PHONY: all build run test clean deps-build deps-test install bench fuzz

all: build

deps-build:
	@build-aux/install-deps.sh build

deps-test:
	@build-aux/install-deps.sh test

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR)

build: deps-build $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)

run: build
	@build-aux/run-uninstalled.sh $(BUILDDIR) $(DEMO)

test: deps-test $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)
	meson test -C $(BUILDDIR) --print-errorlogs --num-processes 2

bench:
	bench/run.sh $(BENCH_ARGS)

# libFuzzer, every target for FUZZ_SECONDS each (clang build in _build/fuzz; see build-aux/fuzz.sh).
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) build-aux/fuzz.sh

install: build
	meson install -C $(BUILDDIR)

clean:
	rm -rf _build
