# Noticeboard — offline lobby display.  `make run` and `make test` do all the set-up.
#
#   make                 build both programs into build/
#   make run             install missing Debian packages (as root), import the demo, play in a window
#   make test            build and run every test (unit, golden, end-to-end)
#   make SANITIZE=address,undefined test   (builds in build-san-address-undefined/)
#   make WERROR=1        warnings are errors (CI); off by default, so a newer
#                        compiler on an installer's box does not stop the build
#   make DEBUG=1         -O0 -g
#   make box-test        the whole box booted in QEMU (root; 16 min alone here; tests/box/README.md)
#   make install PREFIX=/usr/local DESTDIR=...

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
VERSION   := 0.1.0

# Debian packages the build and the player need (checked by `make deps`).
DEB_BUILD := build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libjpeg-dev \
             libsqlite3-dev libunibreak-dev libsodium-dev libfontconfig-dev libfreetype-dev libsystemd-dev \
             libcmocka-dev libqrencode-dev libpoppler-glib-dev libzip-dev libexpat1-dev libxlsxwriter-dev libdrm-dev \
             libx11-dev
DEB_RUN   := fonts-noto-cjk fonts-wqy-microhei fonts-noto-color-emoji poppler-data
DEB_TEST  := xvfb x11-utils sqlite3 valgrind imagemagick minisign python3 faketime systemd \
             zbar-tools qpdf tesseract-ocr tesseract-ocr-chi-sim python3-openpyxl \
             syncthing rsync man-db
DEB_ALL   := $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST)

ifdef DEBUG
OPT ?= -O0 -g3
else
OPT ?= -O2 -g
endif

# The project's own flags come after the user's CFLAGS/LDFLAGS in every
# command, so `make CFLAGS=-O1 SANITIZE=address` still sanitizes.
WERROR ?=
WARN   := -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wundef -Wshadow \
          -Wmissing-prototypes -Wno-unused-parameter $(if $(filter-out 0,$(WERROR)),-Werror)
CFLAGS ?= $(OPT)
CPPFLAGS += -D_GNU_SOURCE -DNB_VERSION='"$(VERSION)"' -Isrc

ifdef SANITIZE
SAN_CFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
NB_LDFLAGS := -fsanitize=$(SANITIZE)
BUILD   ?= build-san-$(subst $(comma),-,$(SANITIZE))
else
SAN_CFLAGS :=
NB_LDFLAGS :=
BUILD   ?= build
endif
comma := ,
NB_CFLAGS = $(WARN) $(SAN_CFLAGS)

pc = $(shell $(PKG_CONFIG) --$(1) $(2) 2>/dev/null)
CORE_PKGS   := sqlite3 libunibreak freetype2 fontconfig
PLAYER_PKGS := sdl2 SDL2_ttf SDL2_image fontconfig libsystemd libjpeg libqrencode libdrm x11
SYNC_PKGS   := sdl2 SDL2_image libsodium libjpeg poppler-glib cairo libzip expat xlsxwriter
# The robustness scripts that link the programs' objects take the lists from here.
export NB_CORE_PKGS := $(CORE_PKGS)
export NB_PLAYER_PKGS := $(PLAYER_PKGS)
# core/jpg.c includes jpeglib.h; only the programs that decode JPEGs link
# libjpeg (the core is an archive, so the core tests never pull jpg.o in).
CORE_CFLAGS   := $(call pc,cflags,$(CORE_PKGS) libjpeg)
PLAYER_CFLAGS := $(call pc,cflags,$(PLAYER_PKGS))
SYNC_CFLAGS   := $(call pc,cflags,$(SYNC_PKGS))
CORE_LIBS   := $(call pc,libs,$(CORE_PKGS)) -lm
PLAYER_LIBS := $(call pc,libs,$(PLAYER_PKGS))
SYNC_LIBS   := $(call pc,libs,$(SYNC_PKGS))
CMOCKA_LIBS := $(call pc,libs,cmocka)

CORE_SRC   := $(sort $(wildcard src/core/*.c))
PLAYER_SRC := $(sort $(wildcard src/player/*.c))
SYNC_SRC   := $(sort $(wildcard src/sync/*.c))
CORE_OBJ   := $(CORE_SRC:src/%.c=$(BUILD)/%.o)
PLAYER_OBJ := $(PLAYER_SRC:src/%.c=$(BUILD)/%.o)
SYNC_OBJ   := $(SYNC_SRC:src/%.c=$(BUILD)/%.o)
# Everything but main.c, so unit tests can link a program's modules.
PLAYER_LIB_OBJ := $(filter-out %/main.o,$(PLAYER_OBJ))
SYNC_LIB_OBJ   := $(filter-out %/main.o,$(SYNC_OBJ))

CORE_TESTS   := $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/core/test-*.c)))
PLAYER_TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/player/test-*.c)))
SYNC_TESTS   := $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/sync/test-*.c)))
UNIT_BIN     := $(CORE_TESTS) $(PLAYER_TESTS) $(SYNC_TESTS)

NB   := $(BUILD)/noticeboard
SYNC := $(BUILD)/noticeboard-sync

all: $(NB) $(SYNC)

$(BUILD)/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) $(CFLAGS) $(NB_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/player/%.o: src/player/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) $(PLAYER_CFLAGS) $(CFLAGS) $(NB_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/sync/%.o: src/sync/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) $(SYNC_CFLAGS) $(CFLAGS) $(NB_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libnbcore.a: $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(NB): $(PLAYER_OBJ) $(BUILD)/libnbcore.a
	$(CC) $(LDFLAGS) $(NB_LDFLAGS) -o $@ $^ $(PLAYER_LIBS) $(CORE_LIBS)

$(SYNC): $(SYNC_OBJ) $(BUILD)/libnbcore.a
	$(CC) $(LDFLAGS) $(NB_LDFLAGS) -o $@ $^ $(SYNC_LIBS) $(CORE_LIBS)

# Unit tests mirror src/: tests/core/test-X.c links the core only;
# tests/player and tests/sync also link that program's modules (not main.c).
TEST_CFLAGS = $(CPPFLAGS) $(CORE_CFLAGS) $(CFLAGS) $(NB_CFLAGS) -Wno-missing-prototypes -MMD -MP

$(BUILD)/tests/core/%: tests/core/%.c $(BUILD)/libnbcore.a
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) $(NB_LDFLAGS) -o $@ $< $(BUILD)/libnbcore.a $(CMOCKA_LIBS) $(CORE_LIBS)

$(BUILD)/tests/player/%: tests/player/%.c $(PLAYER_LIB_OBJ) $(BUILD)/libnbcore.a
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(PLAYER_CFLAGS) $(LDFLAGS) $(NB_LDFLAGS) -o $@ $< $(PLAYER_LIB_OBJ) \
	    $(BUILD)/libnbcore.a $(CMOCKA_LIBS) $(PLAYER_LIBS) $(CORE_LIBS)

$(BUILD)/tests/sync/%: tests/sync/%.c $(SYNC_LIB_OBJ) $(BUILD)/libnbcore.a
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SYNC_CFLAGS) $(LDFLAGS) $(NB_LDFLAGS) -o $@ $< $(SYNC_LIB_OBJ) \
	    $(BUILD)/libnbcore.a $(CMOCKA_LIBS) $(SYNC_LIBS) $(CORE_LIBS)

# ---------------------------------------------------------------- set-up

# Installs what is missing when root; otherwise prints the exact command and stops.
deps:
	@missing=$$(for p in $(DEB_ALL); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done | tr '\n' ' ' | sed 's/ *$$//'); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	    echo "Missing Debian packages. Run:"; echo; \
	    echo "    sudo apt-get install $$missing"; echo; exit 1; \
	fi

DEMO_DATA := $(BUILD)/demo-data
DEMO_CONF := assets/demo/noticeboard.conf

run: deps
	@$(MAKE) --no-print-directory all
	$(SYNC) import --data $(DEMO_DATA) --config $(DEMO_CONF) assets/demo
	$(NB) --data $(DEMO_DATA) --config $(DEMO_CONF) --window 1280x720

# ---------------------------------------------------------------- tests

# Under sanitizers: fail on the first report; suppress only third-party caches.
export ASAN_OPTIONS  ?= abort_on_error=0:detect_leaks=1:strict_string_checks=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS  ?= suppressions=$(CURDIR)/tests/sanitize/lsan.supp:print_suppressions=0

check-unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

check-e2e: all
	@NB=$(NB) SYNC=$(SYNC) tests/e2e/run.sh

# Robustness figures (tests/robust): the shortened form runs in make test,
# the full one with make robust.
check-robust: all
	@NB=$(NB) SYNC=$(SYNC) BUILD=$(BUILD) ROBUST=short tests/robust/run.sh

# The end-to-end and short robustness suites again with the machine's date
# moved (libfaketime): a year ahead, and to 31 December 23:58 of this year.
# No test may depend on the day it runs; those that involve dates set their
# moment (NB_TEST_CLOCK, tests/e2e/lib.sh `at`).  Plain builds only: ASan
# must be the first library a process loads.
# The date is moved for the two programs (FAKETIME_ONLY_CMDS): the tools a
# test drives them with (timeout, ImageMagick, Xvfb) keep real time, as a
# faked timer_settime() would make `timeout` miss its deadline.  man-db's
# seccomp sandbox (systemd-analyze verify runs man) refuses the semaphore
# libfaketime shares between processes even so.
FAKETIME_LIB := $(firstword $(wildcard /usr/lib/*/faketime/libfaketimeMT.so.1))
FAKETIME_ENV := LD_PRELOAD=$(FAKETIME_LIB) FAKETIME_DONT_FAKE_MONOTONIC=1 MAN_DISABLE_SECCOMP=1 \
                FAKETIME_ONLY_CMDS=noticeboard,noticeboard-sync
check-dates: all
	@[ -n "$(FAKETIME_LIB)" ] || { echo "check-dates needs libfaketime (apt-get install faketime)"; exit 1; }
	@for when in '+365d' "@$$(date +%Y)-12-31 23:58:00"; do \
	    echo "== the date moved: FAKETIME='$$when' (now $$($(FAKETIME_ENV) FAKETIME="$$when" FAKETIME_ONLY_CMDS=date date '+%F %T'))"; \
	    $(FAKETIME_ENV) FAKETIME="$$when" NB=$(NB) SYNC=$(SYNC) tests/e2e/run.sh || exit 1; \
	    $(FAKETIME_ENV) FAKETIME="$$when" NB=$(NB) SYNC=$(SYNC) BUILD=$(BUILD) ROBUST=short \
	        tests/robust/run.sh || exit 1; \
	done

robust: deps
	@$(MAKE) --no-print-directory all
	@NB=$(NB) SYNC=$(SYNC) BUILD=$(BUILD) ROBUST=full tests/robust/run.sh

# Fuzzing (tests/fuzz, tests/robust/README.md): libFuzzer builds of the
# stick-facing parsers under ASan+UBSan, each run FUZZ_SECONDS on its seed
# corpus; prints "figure: fuzz NAME: …" and fails on any crash.  Needs clang
# (installed when root, like make deps); make test replays the corpus only.
FUZZ_SECONDS ?= 60
FUZZ_DEB     := clang libclang-rt-14-dev
FUZZ_CC      ?= clang
FUZZ_NAMES   ?= csv when manifest minisign feed media pdf xlsx
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all
.PHONY: fuzz
fuzz:
	@missing=$$(for p in $(FUZZ_DEB); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done | tr '\n' ' ' | sed 's/ *$$//'); \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	elif [ -n "$$missing" ]; then \
	    echo "make fuzz needs clang. Run:"; echo; echo "    sudo apt-get install $$missing"; echo; exit 1; \
	fi
	@mkdir -p $(BUILD)/fuzz/obj
	@set -e; objs=; pids=; for f in $(CORE_SRC) $(filter-out %/main.c,$(SYNC_SRC)); do \
	    o=$(BUILD)/fuzz/obj/$$(basename $$(dirname $$f))-$$(basename $$f .c).o; objs="$$objs $$o"; \
	    $(FUZZ_CC) $(CPPFLAGS) $(CORE_CFLAGS) $(SYNC_CFLAGS) $(FUZZ_FLAGS) -std=c11 \
	        -fsanitize=fuzzer-no-link,address,undefined -c $$f -o $$o & pids="$$pids $$!"; \
	done; fail=0; for j in $$pids; do wait $$j || fail=1; done; [ $$fail = 0 ]; \
	rm -f $(BUILD)/fuzz/libfuzzsrc.a; $(AR) rcs $(BUILD)/fuzz/libfuzzsrc.a $$objs; \
	for n in $(FUZZ_NAMES); do \
	    $(FUZZ_CC) $(CPPFLAGS) $(CORE_CFLAGS) $(SYNC_CFLAGS) $(FUZZ_FLAGS) -std=c11 -Itests/fuzz \
	        -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz/fuzz-$$n tests/fuzz/fuzz-$$n.c \
	        $(BUILD)/fuzz/libfuzzsrc.a $(SYNC_LIBS) $(CORE_LIBS); \
	done
	@tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

# The whole box in a virtual machine (tests/box/README.md): a Debian 12 guest
# made with debootstrap and deploy/install.sh (cached in /var/cache/nb-box),
# booted with QEMU, checked from outside: first frame, USB sticks, player
# faults, quiet hours, 20 power cuts.  20-50 minutes; not part of make test.
# Installs its Debian packages when root, like make fuzz.
BOX_DEB := qemu-system-x86 qemu-utils debootstrap mtools dosfstools e2fsprogs imagemagick \
           python3 git
# Many boards, one content (tests/fleet/run.sh): an office and boards as
# Syncthing instances, each in its own network namespace (veth to a bridge,
# 10.77.0.0/24; needs root, FAILS without ip netns), and a board fed by
# rsync; prints seconds.
.PHONY: fleet-test
fleet-test: all
	@NB=$(NB) SYNC=$(SYNC) tests/fleet/run.sh

.PHONY: box-test
box-test:
	@missing=$$(for p in $(BOX_DEB); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done | tr '\n' ' ' | sed 's/ *$$//'); \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	elif [ -n "$$missing" ]; then \
	    echo "make box-test needs QEMU and debootstrap. Run:"; echo; \
	    echo "    sudo apt-get install $$missing"; echo; exit 1; \
	fi
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tests/box/run.sh

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@$(MAKE) --no-print-directory check-unit check-e2e check-robust

# Side by side with a Chromium kiosk on this machine (tests/bench/README.md):
# make bench [RUNS=5] [QUICK=1]; results in $(BUILD)/bench/results.txt.
.PHONY: bench
bench: all $(PLAYER_LIB_OBJ) $(SYNC_LIB_OBJ) $(BUILD)/libnbcore.a
	@tests/bench/bench.sh deps
	@mkdir -p $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) $(NB_CFLAGS) $(NB_LDFLAGS) -o $(BUILD)/bench/pixwait tests/bench/pixwait.c -lX11
	$(CC) $(CPPFLAGS) $(CFLAGS) $(NB_CFLAGS) $(NB_LDFLAGS) -o $(BUILD)/bench/tickerprobe tests/bench/tickerprobe.c -lX11
	$(CC) $(CPPFLAGS) $(PLAYER_CFLAGS) $(CFLAGS) $(NB_CFLAGS) $(NB_LDFLAGS) -o $(BUILD)/bench/present-bench \
	    tests/bench/present-bench.c $(PLAYER_LIBS)
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) $(PLAYER_CFLAGS) $(CFLAGS) $(NB_CFLAGS) $(NB_LDFLAGS) -o $(BUILD)/bench/layout-bench \
	    tests/bench/layout-bench.c $(PLAYER_LIB_OBJ) $(BUILD)/libnbcore.a $(PLAYER_LIBS) $(CORE_LIBS)
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) $(SYNC_CFLAGS) $(CFLAGS) $(NB_CFLAGS) $(NB_LDFLAGS) -o $(BUILD)/bench/xlsx-bench \
	    tests/bench/xlsx-bench.c $(BUILD)/sync/xlsx.o $(BUILD)/sync/numfmt.o $(BUILD)/libnbcore.a \
	    $(SYNC_LIBS) $(CORE_LIBS)
	BUILD=$(BUILD) NB=$(NB) SYNC=$(SYNC) RUNS=$(or $(RUNS),5) QUICK=$(QUICK) tests/bench/bench.sh
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) $(SYNC_CFLAGS) $(CFLAGS) $(NB_CFLAGS) $(NB_LDFLAGS) -o $(BUILD)/bench/xlsxw-bench \
	    tests/bench/xlsxw-bench.c $(SYNC_LIB_OBJ) $(BUILD)/libnbcore.a $(SYNC_LIBS) $(CORE_LIBS)
	$(BUILD)/bench/xlsxw-bench 10000 | tee -a $(BUILD)/bench/results.txt

# The longest wait per item before and after the fair loop, on paper
# (issue 18): make fairwait, then build/bench/fairwait --data DIR --at T.
.PHONY: fairwait
fairwait: $(BUILD)/bench/fairwait
$(BUILD)/bench/fairwait: tests/bench/fairwait.c $(PLAYER_LIB_OBJ) $(BUILD)/libnbcore.a
	@mkdir -p $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) $(PLAYER_CFLAGS) $(CFLAGS) $(NB_CFLAGS) $(NB_LDFLAGS) -o $@ \
	    tests/bench/fairwait.c $(PLAYER_LIB_OBJ) $(BUILD)/libnbcore.a $(PLAYER_LIBS) $(CORE_LIBS)

# ---------------------------------------------------------------- install

# Units and the udev rule go below $(PREFIX)/lib (systemd and udev also search
# /usr/local/lib); with PREFIX=/usr they go to /lib as Debian packages do
# (/lib is /usr/lib on merged-/usr systems).  The shipped config is installed
# only when absent and uninstalled only when unchanged.  See docs/deploy.md.
install uninstall: LIBEXECDIR ?= $(PREFIX)/libexec
install uninstall: SYSTEMDDIR ?= $(if $(filter /usr,$(PREFIX)),,$(PREFIX))/lib/systemd/system
install uninstall: UDEVDIR ?= $(if $(filter /usr,$(PREFIX)),,$(PREFIX))/lib/udev/rules.d
install uninstall: NB_UNITS := noticeboard.service noticeboard-fallback.service noticeboard-import@.service \
	noticeboard-inbox.service noticeboard-inbox.path noticeboard-inbox.timer noticeboard-syncthing.service
install uninstall: NB_CONF := $(DESTDIR)$(SYSCONFDIR)/noticeboard/noticeboard.conf
install uninstall: NB_SUBST = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
                                  -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g'

install: all
	install -Dm755 $(NB) $(DESTDIR)$(BINDIR)/noticeboard
	install -Dm755 $(SYNC) $(DESTDIR)$(BINDIR)/noticeboard-sync
	install -Dm644 docs/man/noticeboard.1 $(DESTDIR)$(MANDIR)/man1/noticeboard.1
	install -Dm644 docs/man/noticeboard-sync.1 $(DESTDIR)$(MANDIR)/man1/noticeboard-sync.1
	install -d $(DESTDIR)$(LIBEXECDIR)/noticeboard $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(UDEVDIR)
	$(NB_SUBST) deploy/noticeboard-usb > $(DESTDIR)$(LIBEXECDIR)/noticeboard/noticeboard-usb
	chmod 755 $(DESTDIR)$(LIBEXECDIR)/noticeboard/noticeboard-usb
	install -m755 deploy/noticeboard-syncthing $(DESTDIR)$(LIBEXECDIR)/noticeboard/noticeboard-syncthing
	for u in $(NB_UNITS); do \
	    $(NB_SUBST) deploy/$$u > $(DESTDIR)$(SYSTEMDDIR)/$$u && chmod 644 $(DESTDIR)$(SYSTEMDDIR)/$$u || exit 1; \
	done
	install -m644 deploy/99-noticeboard-usb.rules $(DESTDIR)$(UDEVDIR)/99-noticeboard-usb.rules
	@if [ -e $(NB_CONF) ]; then echo "keeping existing $(NB_CONF)"; \
	else echo "install -Dm644 deploy/noticeboard.conf $(NB_CONF)"; \
	    install -Dm644 deploy/noticeboard.conf $(NB_CONF); fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/noticeboard $(DESTDIR)$(BINDIR)/noticeboard-sync
	rm -f $(DESTDIR)$(MANDIR)/man1/noticeboard.1 $(DESTDIR)$(MANDIR)/man1/noticeboard-sync.1
	rm -f $(DESTDIR)$(LIBEXECDIR)/noticeboard/noticeboard-usb
	rm -f $(DESTDIR)$(LIBEXECDIR)/noticeboard/noticeboard-syncthing
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDDIR)/,$(NB_UNITS))
	rm -f $(DESTDIR)$(UDEVDIR)/99-noticeboard-usb.rules
	@if [ -e $(NB_CONF) ] && ! cmp -s deploy/noticeboard.conf $(NB_CONF); then \
	    echo "keeping $(NB_CONF): it was edited"; else rm -f $(NB_CONF); fi
	rmdir $(DESTDIR)$(LIBEXECDIR)/noticeboard $(DESTDIR)$(SYSCONFDIR)/noticeboard 2>/dev/null || true

clean:
	rm -rf build build-san-*

.PHONY: all deps run test check-unit check-e2e check-robust check-dates robust install uninstall clean
.DELETE_ON_ERROR:

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/tests/*/*.d)
