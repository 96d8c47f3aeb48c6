# capmix — plain Makefile.  `make` builds bin/capmix; `make demo` and
# `make check` first install what is missing (see `make deps`).
#
# Variants:  make SANITIZE=1 check   (AddressSanitizer + UBSan)
#            make FAULTS=1 check     (the same, plus fault injection: every
#                                     allocation and every output call made
#                                     to fail in turn; docs/testing.md)
#            make coverage           (gcov/gcovr figures for the loader and
#                                     the output code)
#            make CC=clang           (any C11 compiler)
#            make valgrind           (test binaries under valgrind)
#            make MPI=1              (with MPI, for mpiexec: build-mpi/bin/capmix;
#                                     `make deps MPI=1` installs MPICH)

CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wformat=2 -Wno-format-nonliteral
# Folders are layers, low to high (docs/architecture.md); a file names a
# header by its base name and `make check-layers` holds every include to
# its own folder or a lower layer.
LAYERS  := sim/base models sim/input sim/engine sim/analysis sim/output sim/cli
CPPFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DHAVE_INLINE $(LAYERS:%=-I%)
LDLIBS  := -lgsl -lgslcblas -lyaml -lxlsxwriter -ljansson -lcrypto -lpthread -lm
BUILD   ?= build

BINDIR  := bin
ifeq ($(SANITIZE),1)
  CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDFLAGS += -fsanitize=address,undefined
  BUILD   := build-san
  # never overwrite the optimised bin/capmix with an instrumented one
  BINDIR  := build-san/bin
endif
# Fault injection: the sanitizer build (LeakSanitizer included) into its
# own folder, every program linked with tests/faults/shim.c, which takes
# over our objects' calls to the functions below through ld's --wrap (calls
# made inside libc, libyaml and GSL are not seen; docs/testing.md).  The
# binary, the unit tests and the fuzz replay all link with it; without
# CAPMIX_FAIL_* in the environment it only counts.  `check` then also runs
# tests/faults/run.sh.
FAULT_ALLOC := malloc calloc realloc strdup strndup fdopen open_memstream gsl_rng_alloc \
               gsl_ran_discrete_preproc gsl_root_fsolver_alloc yaml_parser_initialize
FAULT_WRITE := fwrite fputs fputc putc putchar puts printf vprintf fprintf vfprintf fflush \
               fclose fsync rename mkstemp mkdir
ifeq ($(FAULTS),1)
  LDFLAGS += $(foreach f,$(FAULT_ALLOC) $(FAULT_WRITE),-Wl,--wrap=$(f))
  ifneq ($(COVERAGE),1)
    CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
    LDFLAGS += -fsanitize=address,undefined
    BUILD   := build-faults
    BINDIR  := build-faults/bin
  endif
endif
# Coverage: unoptimised, --coverage, into build-cov/ (see `make coverage`);
# with FAULTS=1 too, the shim without the sanitizers, into build-cov-faults/.
# Atomic counters: the engine's threads would otherwise lose (and gcov then
# misreport) counts in shared inline code.
COV_BUILD := build-cov$(if $(filter 1,$(FAULTS)),-faults)
ifeq ($(COVERAGE),1)
  CFLAGS  := -O0 -g --coverage -fprofile-update=atomic
  LDFLAGS += --coverage
  BUILD   := $(COV_BUILD)
  BINDIR  := $(COV_BUILD)/bin
endif
# MPI: Debian's MPICH compiler wrapper; its own folders, like SANITIZE,
# so bin/capmix stays the plain build (sim/engine/cmpi.h, docs/cluster.md).
ifeq ($(MPI),1)
  CC       := mpicc
  CPPFLAGS += -DCAPMIX_MPI
  BUILD    := build-mpi
  BINDIR   := build-mpi/bin
endif
ifeq ($(WERROR),1)
  WARN += -Werror
endif

# `make` alone builds the binary, whatever rule a variant defines first
# (FAULTS=1's `$(LIB): | shim.o` would otherwise be the default).
.DEFAULT_GOAL := all

VERSION := 0.2.0
CPPFLAGS += -DCAPMIX_VERSION='"$(VERSION)"'

# Library: everything but the entry point.
LIB_SRC  := $(filter-out sim/cli/main.c,$(foreach l,$(LAYERS),$(wildcard $(l)/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/plots_gen.o
LIB      := $(BUILD)/libcapmix.a
# The shim is linked as an object, not from the archive: libraries linked
# after it (libgcov in a coverage build) must find the __wrap_ functions
# too.  It is built before the archive, which is rebuilt (and everything
# relinked) when it changes; .EXTRA_PREREQS keeps it out of ar's $^.
ifeq ($(FAULTS),1)
  FAULT_OBJ := $(BUILD)/tests/faults/shim.o
  LDLIBS    := $(FAULT_OBJ) $(LDLIBS)
  $(LIB): | $(FAULT_OBJ)
  $(LIB): .EXTRA_PREREQS := $(FAULT_OBJ)
endif
BIN      := $(BINDIR)/capmix
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo golden check-layers check check-browser test unit cli clean bench valgrind fuzz install coverage

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

# gnuplot templates compiled into the binary (see sim/output/plot.h)
$(BUILD)/plots_gen.c: sim/output/embed_plots.sh $(wildcard plots/*.gp)
	@mkdir -p $(dir $@)
	sh sim/output/embed_plots.sh $(wildcard plots/*.gp) > $@.tmp && mv $@.tmp $@

$(BUILD)/plots_gen.o: $(BUILD)/plots_gen.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/sim/cli/main.o $(LIB)
	@mkdir -p $(BINDIR)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# tests/testutil.c: the load/run helpers every unit test may use.
$(BUILD)/tests/testutil.o: tests/testutil.c tests/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/tests/testutil.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) -Wno-missing-prototypes -o $@ $< $(BUILD)/tests/testutil.o $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

deps:
	@MPI=$(MPI) sh .ci/deps.sh

demo: deps $(BIN)
	$(BIN) run scenarios/offshore-vs-ai.yaml -o out/demo

# The fuzz target replayed without libFuzzer, on every regression input.
FUZZ_REPLAY := $(BUILD)/tests/fuzz-replay
$(FUZZ_REPLAY): tests/fuzz/fuzz_scenario.c tests/fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes -o $@ tests/fuzz/fuzz_scenario.c tests/fuzz/replay.c $(LIB) $(LDFLAGS) $(LDLIBS)
# ... and the CSV readers' target (capmix calibrate), the same way.
FUZZ_REPLAY_CSV := $(BUILD)/tests/fuzz-replay-csv
$(FUZZ_REPLAY_CSV): tests/fuzz/fuzz_csv.c tests/fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes -o $@ tests/fuzz/fuzz_csv.c tests/fuzz/replay.c $(LIB) $(LDFLAGS) $(LDLIBS)

# Every unit test binary, then the CLI tests; one summary line at the end.
check: deps
	@$(MAKE) --no-print-directory $(BIN) $(TEST_BIN) $(FUZZ_REPLAY) $(FUZZ_REPLAY_CSV)
	@CAPMIX=$(BIN) FUZZ_REPLAY=$(FUZZ_REPLAY) FUZZ_REPLAY_CSV=$(FUZZ_REPLAY_CSV) BUILD=$(BUILD) FAULTS=$(FAULTS) sh tests/run-all.sh $(TEST_BIN)

# The layer rule and the size limits (docs/architecture.md).
check-layers:
	@sh tests/layers/check-layers.sh
	@sh tests/layers/check-size.sh

# Regenerate tests/golden/hashes.txt: only when a published figure moves
# on purpose (say why in the commit); make check compares against it.
golden: $(BIN)
	@CAPMIX=$(BIN) sh tests/golden/golden.sh --update

# report.html in a real browser: installs Debian's chromium (as root), then
# the browser checks (make check runs them too whenever chromium is there).
check-browser: deps $(BIN)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	    { echo "check-browser: install chromium (apt-get install chromium)"; exit 1; }
	@CAPMIX=$(BIN) sh tests/browser/run.sh

# libFuzzer on the scenario loader, then on the CSV readers of calibrate
# (clang, ASan + UBSan), FUZZ_SECONDS each; new crashes land in
# tests/fuzz/regressions/ and regressions-csv/ to be replayed by `make check`.
FUZZ_SECONDS ?= 60
fuzz: deps $(BUILD)/plots_gen.c
	@mkdir -p build-fuzz/corpus tests/fuzz/regressions
	clang $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -o build-fuzz/fuzz_scenario tests/fuzz/fuzz_scenario.c $(LIB_SRC) $(BUILD)/plots_gen.c $(LDLIBS)
	@cp scenarios/*.yaml tests/bad/*.yaml tests/fuzz/regressions/* build-fuzz/corpus/ 2>/dev/null || true
	cd build-fuzz && ./fuzz_scenario -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=20 \
	    -rss_limit_mb=2048 -artifact_prefix=../tests/fuzz/regressions/ -print_final_stats=1 corpus
	@mkdir -p build-fuzz/corpus-csv tests/fuzz/regressions-csv
	clang $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -o build-fuzz/fuzz_csv tests/fuzz/fuzz_csv.c $(LIB_SRC) $(BUILD)/plots_gen.c $(LDLIBS)
	@cp scenarios/history/*.csv tests/fuzz/corpus-csv/* build-fuzz/corpus-csv/ 2>/dev/null || true
	cd build-fuzz && ./fuzz_csv -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=20 \
	    -rss_limit_mb=2048 -artifact_prefix=../tests/fuzz/regressions-csv/ -print_final_stats=1 corpus-csv

# Line and branch coverage of the loader and of the output code after the
# unit and CLI tests (gcovr when installed, else gcov's own summaries);
# `make coverage FAULTS=1` counts the fault-injection driver's runs too.
# Not part of `check`; a failing test does not stop the figures.
COV_LOADER := $(wildcard sim/input/*.c) sim/base/dist.c $(wildcard models/*.c)
COV_OUTPUT := sim/base/atomic.c sim/base/atomicdir.c sim/analysis/report.c sim/base/json.c $(wildcard sim/output/*.c) sim/analysis/spreadsheet.c
coverage: deps
	@find $(COV_BUILD) -name '*.gcda' -exec rm -f {} + 2>/dev/null || true
	-@$(MAKE) --no-print-directory COVERAGE=1 check
	@sh tests/coverage.sh $(COV_BUILD) "$(COV_LOADER)" "$(COV_OUTPUT)"

valgrind: deps
	@$(MAKE) --no-print-directory $(BIN) $(TEST_BIN)
	@for f in scenarios/*.yaml; do \
	    valgrind -q --error-exitcode=99 --leak-check=full $(BIN) run $$f --trials 2000 -q -o $(BUILD)/valgrind-out \
	        || { echo "valgrind: $$f failed"; exit 1; }; done; rm -rf $(BUILD)/valgrind-out
	@CAPMIX=$(BIN) VALGRIND=1 BUILD=$(BUILD) sh tests/run-all.sh $(TEST_BIN)

bench: deps $(BIN)
	@sh tests/bench/deps.sh
	@sh tests/bench/run.sh
	@sh tests/bench/mpi.sh

PREFIX ?= /usr/local
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/capmix
	install -m 0644 docs/capmix.1 $(DESTDIR)$(PREFIX)/share/man/man1/capmix.1

clean:
	rm -rf build build-san build-faults build-cov build-cov-faults build-mpi bin out

-include $(LIB_OBJ:.o=.d) $(BUILD)/sim/cli/main.d
