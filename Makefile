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
TEST_PACKAGES := poppler-utils qpdf fonts-droid-fallback libreoffice-calc

.PHONY: all build run test vet bench golden deps clean package-linux package-windows fyne-tool startup smoke-windows

all: build

build:
	$(GO) build -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o dangan .

run: deps build
	./dangan

test: vet
	$(GO) test -tags '$(TAGS)' -count=1 ./...

vet:
	$(GO) vet -tags '$(TAGS)' ./...

# bench builds (or reuses, from the temp dir) the synthetic office, then
# runs every benchmark of every package once through (-benchtime 1x), each
# in a process of its own, and prints one markdown table: time, the median,
# p95 and ratio to the floor each benchmark reports, and the peak RSS of its
# process. The table goes to bench.md and into docs/PERFORMANCE.md.
# BENCH=regexp runs a subset (then docs/PERFORMANCE.md is left alone).
BENCH ?= .
bench:
	$(GO) run -tags '$(TAGS)' ./internal/benchtable -tags '$(TAGS)' -bench '$(BENCH)' -o bench.md \
		$(if $(filter .,$(BENCH)),-doc docs/PERFORMANCE.md) ./...

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

# --- Packages -------------------------------------------------------------
# Fyne's packaging tool (fyne.io/tools, not in go.mod) reads FyneApp.toml
# (name 档案通, ID, version, icon) and adds the desktop file, icon and, on
# Windows, the version resource and manifest. It raises Build in
# FyneApp.toml on every run; the targets put the file back so the tree
# stays clean. Release builds: -trimpath, no symbol tables, tag "release".
FYNE_TOOLS := fyne.io/tools/cmd/fyne@v1.7.4
FYNE       := dist/.tools/fyne
WINCC      ?= x86_64-w64-mingw32-gcc
REL_TAGS   := $(TAGS) release
REL_FLAGS  := -trimpath -tags '$(REL_TAGS)' -ldflags '$(LDFLAGS) -s -w'
LINUX_TAR  := dist/dangan-$(VERSION)-linux-amd64.tar.xz

# The tool is installed into dist/ rather than run with `go run`: the
# Windows build sets CC to the mingw compiler, which must not leak into
# building the tool itself.
fyne-tool: $(FYNE)
$(FYNE):
	GOBIN=$(CURDIR)/dist/.tools $(GO) install $(FYNE_TOOLS)

# package-linux: dist/dangan-VERSION-linux-amd64.tar.xz holding
# dangan/usr/local/bin/dangan, the .desktop file, the icon and a Makefile
# (`sudo make install`, or `make user-install` for ~/.local).
package-linux: $(FYNE)
	@command -v xz >/dev/null || { echo "缺少 xz：apt-get install xz-utils"; exit 1; }
	rm -rf dist/linux && mkdir -p dist/linux
	$(GO) build $(REL_FLAGS) -o dist/linux/dangan .
	cp FyneApp.toml dist/FyneApp.toml.orig; \
	trap 'cp dist/FyneApp.toml.orig FyneApp.toml && rm -f dist/FyneApp.toml.orig' EXIT; \
	$(FYNE) package -os linux --release -executable dist/linux/dangan && \
	mv -f "$$(sed -n 's/^ *Name *= *"\(.*\)"/\1/p' FyneApp.toml).tar.xz" $(LINUX_TAR)
	rm -rf dist/linux
	@ls -l $(LINUX_TAR)

# package-windows: dist/dangan.exe, cross-compiled with mingw-w64 (cgo for
# GLFW and SQLite; apt-get install gcc-mingw-w64-x86-64), a GUI-subsystem
# executable with the icon, manifest and version resource. Windows 10+.
package-windows: $(FYNE)
	@command -v $(WINCC) >/dev/null || { echo "缺少 $(WINCC)：apt-get install gcc-mingw-w64-x86-64"; exit 1; }
	mkdir -p dist && rm -f dangan.exe dist/dangan.exe
	cp FyneApp.toml dist/FyneApp.toml.orig; \
	trap 'cp dist/FyneApp.toml.orig FyneApp.toml && rm -f dist/FyneApp.toml.orig fyne.syso fyne_metadata_init.go' EXIT; \
	CC=$(WINCC) GOARCH=amd64 GOFLAGS="$$GOFLAGS -ldflags=-X=dangan/data.Version=$(VERSION)" \
		$(FYNE) package -os windows --release --tags sqlite_fts5 && \
	mv -f "$$(sed -n 's/^ *Name *= *"\(.*\)"/\1/p' FyneApp.toml).exe" dist/dangan.exe
	@ls -l dist/dangan.exe

# smoke-windows runs dist/dangan.exe under Wine (apt-get install wine64):
# `version`, `init` and `check` on a fresh data directory, then the window
# to its first frame (needs DISPLAY). Wine 8.0 lacks bcryptprimitives.dll,
# which the Go runtime loads from system32: a stand-in exporting ProcessPrng
# is built with mingw. Wine prints what GUI programs write, so it does not
# test attaching to a Windows console. LANG=C.UTF-8: without the zh_CN
# locale installed, Wine garbles Chinese command-line arguments.
WINE       ?= $(shell command -v wine64 || echo /usr/lib/wine/wine64)
WINEPREFIX := $(CURDIR)/dist/wine
smoke-windows: dist/dangan.exe
	@set -e; export WINEPREFIX=$(WINEPREFIX) WINEDEBUG=-all LANG=C.UTF-8; \
	if [ ! -f $(WINEPREFIX)/drive_c/windows/system32/bcryptprimitives.dll ]; then \
		$(WINE) wineboot -i >/dev/null 2>&1 || true; \
		printf '%s\n' '#include <windows.h>' 'BOOLEAN WINAPI SystemFunction036(PVOID, ULONG);' \
			'__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE p, SIZE_T n) {' \
			'	for (; n > 0x10000000; p += 0x10000000, n -= 0x10000000)' \
			'		if (!SystemFunction036(p, 0x10000000)) return FALSE;' \
			'	return SystemFunction036(p, (ULONG)n);' '}' >dist/prng.c; \
		$(WINCC) -shared -o $(WINEPREFIX)/drive_c/windows/system32/bcryptprimitives.dll dist/prng.c -ladvapi32; \
		rm -f dist/prng.c; \
	fi; \
	rm -rf $(WINEPREFIX)/drive_c/dangan-smoke; \
	$(WINE) dist/dangan.exe version; \
	DANGAN_PASSWORD=Smoke2026 $(WINE) dist/dangan.exe --data-dir 'C:\dangan-smoke' init --admin admin \
		--fonds-code Z001 --fonds-name 测试单位; \
	$(WINE) dist/dangan.exe --data-dir 'C:\dangan-smoke' check; \
	if [ -n "$$DISPLAY" ]; then DANGAN_STARTUP_PROBE=1 $(WINE) dist/dangan.exe --data-dir 'C:\dangan-smoke' 2>&1 | \
		grep startup_ms; fi

dist/dangan.exe:
	$(MAKE) package-windows

# --- Start-up --------------------------------------------------------------
# startup prints the median of 5 starts of the real program (to the login
# window, over an initialised data directory) next to the median of 5
# starts of a bare Fyne window with the same tabs and Chinese labels
# (internal/startupbench), and their ratio; then both again as a first
# launch (fresh user config and cache; the real program creates its database
# and shows the setup form); then the real program over a copy of the
# synthetic office (1,000,000 items, 100,000 customers; built on first use,
# see data/synthetic.go) against the bare window again. Runs alternate
# between the programs so a busy machine slows all alike. The warm-up run of
# the 1M office makes its first automatic backup on exit (not timed). Needs
# a display (DISPLAY; Xvfb will do). STARTUP_1M=0 leaves the 1M office out.
STARTUP_RUNS := 5
STARTUP_1M   ?= 1
startup: build
	$(GO) build -tags '$(TAGS)' -o dist/startupbench ./internal/startupbench
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	DANGAN_PASSWORD=Startup2026 ./dangan --data-dir "$$tmp/data" init --admin admin \
		--fonds-code Z001 --fonds-name 测试单位 >/dev/null; \
	probe() { DANGAN_STARTUP_PROBE=1 "$$@" 2>&1 >/dev/null | sed -n 's/^startup_ms=//p'; }; \
	median() { sort -n | awk '{ v[NR] = $$1 } END { print v[int((NR + 1) / 2)] }'; }; \
	fresh() { d=$$(mktemp -d -p "$$tmp"); XDG_CONFIG_HOME=$$d/config XDG_CACHE_HOME=$$d/cache probe "$$@" --data-dir $$d/data; }; \
	if [ "$(STARTUP_1M)" = 1 ]; then \
		$(GO) run -tags '$(TAGS)' ./internal/synthoffice -copy "$$tmp/big" >/dev/null; \
		probe ./dangan --data-dir "$$tmp/big" >/dev/null; fi; \
	probe ./dangan --data-dir "$$tmp/data" >/dev/null; probe dist/startupbench >/dev/null; \
	for i in $$(seq $(STARTUP_RUNS)); do \
		probe ./dangan --data-dir "$$tmp/data" >>"$$tmp/real"; probe dist/startupbench >>"$$tmp/bare"; \
		fresh ./dangan >>"$$tmp/freal"; fresh dist/startupbench >>"$$tmp/fbare"; \
		if [ "$(STARTUP_1M)" = 1 ]; then \
			probe ./dangan --data-dir "$$tmp/big" >>"$$tmp/big1m"; probe dist/startupbench >>"$$tmp/bare1m"; fi; done; \
	real=$$(median <"$$tmp/real"); bare=$$(median <"$$tmp/bare"); \
	freal=$$(median <"$$tmp/freal"); fbare=$$(median <"$$tmp/fbare"); \
	echo "start-up, median of $(STARTUP_RUNS) runs (ms)   dangan   bare Fyne window   ratio"; \
	awk -v r="$$real" -v b="$$bare" 'BEGIN { printf "warm, to the login window        %8.1f   %16.1f   %.2fx (target <= 1.50x)\n", r, b, r / b }'; \
	awk -v r="$$freal" -v b="$$fbare" 'BEGIN { printf "first launch, to the setup form  %8.1f   %16.1f   %.2fx\n", r, b, r / b }'; \
	if [ "$(STARTUP_1M)" = 1 ]; then \
		big=$$(median <"$$tmp/big1m"); bare1m=$$(median <"$$tmp/bare1m"); \
		awk -v r="$$big" -v b="$$bare1m" 'BEGIN { printf "1,000,000 items, to the login    %8.1f   %16.1f   %.2fx (target <= 1.50x, < 1000 ms)\n", r, b, r / b }'; fi

clean:
	rm -rf dangan dangan.exe dist
