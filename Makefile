# sshdiag — GNU make + pkg-config. `make` leaves the program at build/sshdiag.
# Variants reuse this file with another BUILD dir: `make asan`, `make fuzz`.

VERSION    := 0.1.0
CC         ?= cc
PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
COMPLETIONSDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR    ?=
BUILD      ?= build

CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wformat=2 -Wno-format-nonliteral
WERROR   ?= -Werror
PKGS     := jansson libssh libsystemd sqlite3 zlib
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE -DSSHDIAG_VERSION='"$(VERSION)"' -Isrc $(WARN) $(WERROR) \
             $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS)

# The pure core: parsers, evaluators, the engine, renderers. No file, socket, process or clock.
CORE_SRC := $(sort $(wildcard src/base/*.c src/bundle/*.c src/core/*.c src/ssh/*.c src/probe/*.c src/report/*.c src/binfmt/*.c src/tcpwrap/*.c src/sshd/*.c src/logs/*.c src/bans/*.c src/firewall/*.c \
            src/explain/*.c))
# The I/O edges: rooted file access, the prober, subprocesses.
EDGE_SRC := src/io/rootfs.c src/io/proc.c src/io/prober.c src/io/deep.c src/io/ramp_probe.c \
            src/io/collect_tcpwrap.c src/io/collect_sshd.c src/io/collect_logs.c src/io/collect_bans.c \
            src/io/collect_firewall.c src/io/ssh_g.c src/io/bundle.c
CLI_SRC  := src/cli/main.c src/cli/cmd_probe.c src/cli/cmd_server.c src/cli/cmd_logs.c \
            src/cli/cmd_sshd_config.c src/cli/cmd_explain.c src/cli/cmd_bundle.c
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
EDGE_TEST_SRC := $(sort $(wildcard tests/edge/*.c))
FUZZ_SRC := $(addprefix tests/fuzz/fuzz_,$(addsuffix .c,banner kexinit target elf hosts_access sshd_config \
		logline f2bconf iptables nftjson ipset sshcfg explain redact records))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
EDGE_OBJ := $(EDGE_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
EDGE_TEST_OBJ := $(EDGE_TEST_SRC:%.c=$(BUILD)/obj/%.o)

.PHONY: all check unit tcpwrap-check sshd-diff firewall-diff bench-firewall asan fuzz fuzz-run purity format format-check install uninstall demo clean lab test

all: $(BUILD)/sshdiag

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libsshdiag-core.a: $(CORE_OBJ)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/libsshdiag-edge.a: $(EDGE_OBJ)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/sshdiag: $(CLI_OBJ) $(BUILD)/libsshdiag-edge.a $(BUILD)/libsshdiag-core.a
	@echo "  LD    $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsshdiag-edge.a \
		$(BUILD)/libsshdiag-core.a $(PKG_LIBS)

# Unit tests link the core only: if the core ever calls into the edges, this link fails.
$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libsshdiag-core.a $(PKG_LIBS)

# Tests of the I/O edges (rooted file access, the prober against local sockets).
$(BUILD)/edge-tests: $(EDGE_TEST_OBJ) $(BUILD)/libsshdiag-edge.a $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(EDGE_TEST_OBJ) $(BUILD)/libsshdiag-edge.a \
		$(BUILD)/libsshdiag-core.a $(PKG_LIBS)

unit: $(BUILD)/unit-tests $(BUILD)/edge-tests $(BUILD)/tcpwrap-unit $(BUILD)/sshd-unit $(BUILD)/sshd-edge
	$(BUILD)/unit-tests
	$(BUILD)/edge-tests
	$(BUILD)/tcpwrap-unit
	$(BUILD)/sshd-unit
	$(BUILD)/sshd-edge

# logs and ban tools: unit tests, the corpus of real and historical log lines, the edges
$(BUILD)/logs-unit: $(BUILD)/obj/tests/logs/unit.o $(BUILD)/obj/tests/unit/t.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/bans-unit: $(BUILD)/obj/tests/bans/unit.o $(BUILD)/obj/tests/unit/t.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/logs-corpus: $(BUILD)/obj/tests/logs/corpus.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/logs-edge: $(BUILD)/obj/tests/logs/edge.o $(BUILD)/obj/tests/unit/t.o $(BUILD)/libsshdiag-edge.a $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# firewall: unit and edge tests, the predictor the differential test against real netfilter
# drives (tests/firewall/diff, root), a bench helper
FW_UNIT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,tests/firewall/unit.c tests/firewall/fwtest.c \
               $(sort $(wildcard tests/firewall/test_*.c)) tests/unit/t.c)
$(BUILD)/firewall-unit: $(FW_UNIT_OBJ) $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/firewall-edge: $(BUILD)/obj/tests/firewall/edge.o $(BUILD)/obj/tests/unit/t.o \
		$(BUILD)/libsshdiag-edge.a $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/fw-predict: $(BUILD)/obj/tests/firewall/diff/fw-predict.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/fwbench: $(BUILD)/obj/bench/firewall/fwbench.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
firewall-diff: $(BUILD)/fw-predict
	bash tests/firewall/diff/run.sh --predict $(BUILD)/fw-predict
bench-firewall: $(BUILD)/fwbench
	bash bench/firewall/run.sh --fwbench $(BUILD)/fwbench

# sshd layer: unit tests, Include globbing against glob(3), the differential test against
# `sshd -T -C` of OpenSSH 9.2 and 10.0
$(BUILD)/sshd-unit: $(BUILD)/obj/tests/sshd/unit.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/sshd-edge: $(BUILD)/obj/tests/sshd/edge.o $(BUILD)/libsshdiag-edge.a $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/sshd-diff: $(BUILD)/obj/tests/sshd/diff.o $(BUILD)/libsshdiag-edge.a $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
sshd-diff: $(BUILD)/sshd-diff
	@[ -x build/openssh10/usr/sbin/sshd ] || bash scripts/fetch-openssh10.sh
	$(BUILD)/sshd-diff --sshd /usr/sbin/sshd --sshd $(CURDIR)/build/openssh10/usr/sbin/sshd

# TCP wrappers: unit tests, the differential test against real libwrap (hosts_ctl), a bench
$(BUILD)/tcpwrap-unit: $(BUILD)/obj/tests/tcpwrap/unit.o $(BUILD)/obj/tests/unit/t.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/tcpwrap-diff: $(BUILD)/obj/tests/tcpwrap/diff.o $(BUILD)/obj/tests/tcpwrap/oracle.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lwrap
$(BUILD)/tcpwrap-bench: $(BUILD)/obj/tests/tcpwrap/bench.o $(BUILD)/libsshdiag-core.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
tcpwrap-check: $(BUILD)/tcpwrap-unit $(BUILD)/tcpwrap-diff
	$(BUILD)/tcpwrap-unit
	$(BUILD)/tcpwrap-diff 100000

check: all unit purity

# The core must not touch the world: no libc I/O, socket, process or clock symbol may be undefined in it.
purity: $(BUILD)/libsshdiag-core.a
	@bad=$$(nm -u $(BUILD)/libsshdiag-core.a | awk '{print $$2}' | sort -u | \
		grep -E '^(open|openat|openat2|fopen|read|write|socket|connect|accept|fork|execve?|posix_spawnp?|clock_gettime|time|gettimeofday|getenv|getaddrinfo|poll|epoll_.*|stat|fstat|opendir|exit|_exit|system|popen)$$' || true); \
	if [ -n "$$bad" ]; then echo "purity: core uses I/O: $$bad"; exit 1; else echo "purity: core has no I/O symbols"; fi

asan:
	$(MAKE) BUILD=build/asan CC=clang \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" all build/asan/unit-tests build/asan/edge-tests build/asan/tcpwrap-unit \
		build/asan/sshd-unit build/asan/sshd-edge build/asan/logs-unit build/asan/bans-unit \
		build/asan/firewall-unit build/asan/firewall-edge

FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang CFLAGS="$(FUZZ_FLAGS)" build/fuzz/libsshdiag-core.a
	@mkdir -p build/fuzz/bin
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
		echo "  FUZZ $$n"; \
		clang -std=c17 -D_GNU_SOURCE -Isrc $(WARN) $(WERROR) $(PKG_CFLAGS) \
			-O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
			-o build/fuzz/bin/$$n $$f build/fuzz/libsshdiag-core.a $(PKG_LIBS) || exit 1; done

# A short, bounded fuzz run of every target over its seed corpus (CI smoke; longer runs by hand).
# ASan's quarantine (256 MiB by default) and its allocation stacks alone grew minutes-long runs
# past the 512 MiB RSS limit with a live heap under 30 MiB: a smaller quarantine keeps the limit
# a test of the target's own memory.
FUZZ_SECONDS ?= 20
fuzz-run: fuzz
	@for f in build/fuzz/bin/fuzz_*; do n=$$(basename $$f); c=tests/fuzz/corpus/$${n#fuzz_}; \
		mkdir -p build/fuzz/work/$$n; \
		echo "  RUN  $$n ($(FUZZ_SECONDS) s)"; \
		ASAN_OPTIONS=quarantine_size_mb=64:malloc_context_size=8 \
		$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=512 -max_len=70000 -print_final_stats=0 \
			-artifact_prefix=build/fuzz/work/$$n/ \
			build/fuzz/work/$$n $$c >build/fuzz/work/$$n.log 2>&1 || \
			{ tail -40 build/fuzz/work/$$n.log; exit 1; }; \
		grep -E '^#[0-9]+.*DONE' build/fuzz/work/$$n.log | tail -1; done

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format: clean"

install: $(BUILD)/sshdiag
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/sshdiag $(DESTDIR)$(BINDIR)/sshdiag
	install -m 0644 docs/sshdiag.1 $(DESTDIR)$(MANDIR)/man1/sshdiag.1
	install -d $(DESTDIR)$(COMPLETIONSDIR)
	install -m 0644 contrib/bash-completion/sshdiag $(DESTDIR)$(COMPLETIONSDIR)/sshdiag

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sshdiag $(DESTDIR)$(MANDIR)/man1/sshdiag.1 \
		$(DESTDIR)$(COMPLETIONSDIR)/sshdiag

demo: all
	bash tests/lab/demo.sh

lab: all
	bash tests/lab/run.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
