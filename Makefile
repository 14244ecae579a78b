# 档案通 (dangan). `make run` sets up a fresh Debian/Ubuntu machine and opens
# the window; `make test` runs every test.

TAGS     := sqlite_fts5 migrated_fynedo
VERSION  := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS  := -X dangan/data.Version=$(VERSION)
GO       ?= go
export LANG := zh_CN.UTF-8

# System packages the build and the window need on Debian/Ubuntu: a C
# compiler for cgo (SQLite, GLFW), the OpenGL and X11 headers, a CJK font.
# The tests also read PDFs back (poppler-utils, qpdf) and print with a CJK
# font that has no Latin glyphs (fonts-droid-fallback); .ci/run installs both.
DEB_PACKAGES := gcc pkg-config libgl1-mesa-dev xorg-dev fonts-wqy-microhei
TEST_PACKAGES := poppler-utils qpdf fonts-droid-fallback

.PHONY: all build run test vet bench golden deps clean

all: build

build:
	$(GO) build -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o dangan .

run: deps build
	./dangan

test: vet
	$(GO) test -tags '$(TAGS)' -count=1 ./...

vet:
	$(GO) vet -tags '$(TAGS)' ./...

# bench runs every benchmark once through and prints one table: name,
# time per operation and the extra metrics a benchmark reports (ratios to
# the library floor measured in the same run, p95, rows/s).
bench:
	$(GO) test -tags '$(TAGS)' -run '^$$' -bench . -benchtime 1x -timeout 60m ./... | tee bench.out | \
	awk '/^Benchmark/ { line = sprintf("%-56s", $$1); for (i = 3; i < NF; i += 2) line = line sprintf("  %12s %s", $$i, $$(i+1)); print line }'

# golden re-renders the reference images of every kind of printed page
# (reports/testdata/golden) after a deliberate layout change; look at them.
golden:
	DANGAN_UPDATE_GOLDEN=1 $(GO) test -tags '$(TAGS)' -count=1 -run TestGolden ./reports/

# deps installs the missing system packages when it can (as root, or with
# sudo); otherwise it says what to install.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
		echo "请先安装：$$missing"; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "请以 root 身份安装：apt-get install$$missing"; exit 1; fi; \
	echo "安装缺少的系统软件包：$$missing"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing

clean:
	rm -f dangan dangan.exe
