# tests/lib/cli.sh — the reporting helpers every shell test shares,
# sourced from the repository root (`. tests/lib/cli.sh`).  Each check
# prints "ok - ..." or "not ok - ..." with details on '#' lines; finish
# prints the closing "cli: N passed, M failed" that tests/run-all.sh reads
# and exits non-zero when a check failed.

passed=0
failed=0

ok() {
    passed=$((passed + 1))
    printf 'ok - %s\n' "$1"
}

# not_ok DESCRIPTION [DETAIL...]: details go on '#' lines below the check.
not_ok() {
    failed=$((failed + 1))
    printf 'not ok - %s\n' "$1"
    shift
    for l in "$@"; do
        printf '%s\n' "$l" | sed 's/^/#   /'
    done
}

skip() {
    printf '# skip: %s\n' "$1"
}

# check DESCRIPTION PROBLEMS [FILE...]: ok when PROBLEMS is empty, otherwise
# not ok with the problems and the first lines of each FILE as details.
check() {
    c_desc=$1
    c_why=$2
    shift 2
    if [ -z "$c_why" ]; then
        ok "$c_desc"
        return 0
    fi
    c_det=""
    for c_f in "$@"; do
        if [ -s "$c_f" ]; then
            c_det="$c_det
$(basename "$c_f"):
$(head -n 8 "$c_f")"
        fi
    done
    not_ok "$c_desc" "$c_why$c_det"
    return 1
}

finish() {
    echo "cli: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# --- running capmix ---------------------------------------------------------
# Two ways to set up: most scripts set BIN and T (a mktemp -d folder)
# themselves and use expect_rc and grep_*; the per-command scripts (run,
# validate, bid, envelope, sweep, breakeven, init, tornado, help,
# calibrate) call cli_setup NAME, which makes $tmp and a private copy of
# the binary, $CAPMIX, run through cm with a time limit.

# expect_rc DESC WANT CMD...: the exit status of CMD (stdout/stderr kept in $T/out, $T/err)
expect_rc() {
    d=$1 want=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" = "$want" ]; then ok "$d"; else not_ok "$d" "exit $rc, want $want" "$(head -3 "$T/err")"; fi
}
# grep_err / grep_out DESC PATTERN: the last expect_rc's stderr / stdout
# matches PATTERN (a basic regular expression); grep_err_F: holds STRING.
grep_err() { if grep -q -- "$2" "$T/err"; then ok "$1"; else not_ok "$1" "stderr lacks '$2'" "$(head -3 "$T/err")"; fi; }
grep_err_F() { if grep -q -F -- "$2" "$T/err"; then ok "$1"; else not_ok "$1" "stderr lacks '$2'" "$(head -3 "$T/err")"; fi; }
grep_out() { if grep -q -- "$2" "$T/out"; then ok "$1"; else not_ok "$1" "stdout lacks '$2'" "$(head -3 "$T/out")"; fi; }
# absent DESC PATH: PATH does not exist.
absent() { if [ -e "$2" ]; then not_ok "$1" "$2 exists"; else ok "$1"; fi; }

HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1
HAVE_TIMEOUT=0
command -v timeout >/dev/null 2>&1 && HAVE_TIMEOUT=1

# cli_setup NAME: check that we run from the repository root, make $tmp
# (removed on exit, even with read-only folders inside) and copy the binary
# under test (${CAPMIX:-bin/capmix}, e.g. the sanitizer build of `make
# SANITIZE=1 check`) to $tmp/capmix, since other work may rebuild
# bin/capmix while the tests run; CAPMIX then names the copy by absolute
# path, so a test that changes PATH can still run it.  T is $tmp too.
cli_setup() {
    if [ ! -f Makefile ] || [ ! -d tests/bad ]; then
        not_ok "run from the repository root (sh tests/cli/$1.sh)" "current directory: $(pwd)"
        finish
    fi
    BIN_UNDER_TEST=${CAPMIX:-bin/capmix}
    if [ ! -x "$BIN_UNDER_TEST" ]; then
        not_ok "$BIN_UNDER_TEST exists and is executable" "$BIN_UNDER_TEST is missing: build it with 'make'"
        finish
    fi
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-$1.XXXXXX") || {
        not_ok "mktemp -d" "cannot create a temporary folder"
        finish
    }
    T=$tmp
    trap cli_cleanup EXIT
    trap 'cli_cleanup; exit 130' INT
    trap 'cli_cleanup; exit 143' TERM
    CAPMIX=$tmp/capmix
    cp "$BIN_UNDER_TEST" "$CAPMIX" || {
        not_ok "copy $BIN_UNDER_TEST" "cannot copy $BIN_UNDER_TEST to $CAPMIX"
        finish
    }
    case $CAPMIX in
    /*) ;;
    *) CAPMIX=$(pwd)/$CAPMIX ;;
    esac
    BIN=$CAPMIX
}
cli_cleanup() {
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp"
}

# limit SECONDS COMMAND...: run COMMAND with a time limit, so that a hang is
# a failed check rather than a stuck test run (exit status 124 from
# timeout(1), or 137 from the watchdog used where timeout(1) is missing).
limit() {
    l_s=$1
    shift
    if [ "$HAVE_TIMEOUT" -eq 1 ]; then
        timeout "$l_s" "$@"
        return
    fi
    "$@" &
    l_pid=$!
    # The watchdog kills its own sleep when it is told to stop.
    (
        trap 'kill "${l_sleep:-}" 2>/dev/null; exit 0' TERM
        sleep "$l_s" &
        l_sleep=$!
        wait "$l_sleep" && kill -9 "$l_pid" 2>/dev/null
    ) &
    l_dog=$!
    wait "$l_pid"
    l_rc=$?
    kill "$l_dog" 2>/dev/null
    wait "$l_dog" 2>/dev/null
    return "$l_rc"
}

# cm SECONDS ARGS...: capmix with a time limit.
cm() {
    cm_s=$1
    shift
    limit "$cm_s" "$CAPMIX" "$@"
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# Files an interrupted or failed atomic write would leave: hidden files and
# temporaries.  Prints their names.
leftovers() {
    for l_f in "$1"/.[!.]* "$1"/..?* "$1"/*.tmp*; do
        { [ -e "$l_f" ] || [ -L "$l_f" ]; } && printf '%s ' "$(basename "$l_f")"
    done
}

# summary.json without the only lines allowed to differ between two runs of
# the same scenario and seed: the manifest's thread count and elapsed time.
normalise() {
    awk '/"manifest": *\{/ { m = 1 }
         m && /"(threads|elapsed_seconds)":/ { next }
         { print }' "$1"
}

# py_json_ok FILE: FILE is strict JSON (tests/lib/json_strict.py).
py_json_ok() { python3 tests/lib/json_strict.py "$1"; }

# py_near FILE PATH VALUE: the number at PATH is VALUE within 0.01
# (tests/lib/json_near.py).
py_near() { python3 tests/lib/json_near.py "$1" "$2" "$3"; }

# caret_line COL: the line echo_line prints under the source line.
caret_line() {
    awk -v n="$1" 'BEGIN { s = "    "; for (i = 1; i < n; i++) s = s " "; print s "^" }'
}

# usage_error DESCRIPTION SUBSTRING ARGS...: exit 2, SUBSTRING on stderr,
# nothing on stdout.
usage_error() {
    u_desc=$1
    u_sub=$2
    shift 2
    cm 20 "$@" >"$tmp/u.out" 2>"$tmp/u.err"
    u_rc=$?
    u_why=""
    [ "$u_rc" -eq 2 ] || u_why="exit status $u_rc, want 2
"
    grep -F -q -e "$u_sub" "$tmp/u.err" || u_why="${u_why}stderr lacks '$u_sub'
"
    [ -s "$tmp/u.out" ] && u_why="${u_why}stdout is not empty
"
    check "usage: $u_desc" "$u_why" "$tmp/u.err" "$tmp/u.out"
}

# help_ok DESCRIPTION SUBSTRING ARGS...: exit 0, SUBSTRING on stdout.
help_ok() {
    h_desc=$1
    h_sub=$2
    shift 2
    cm 20 "$@" >"$tmp/h.out" 2>"$tmp/h.err"
    h_rc=$?
    h_why=""
    [ "$h_rc" -eq 0 ] || h_why="exit status $h_rc, want 0
"
    grep -F -q -e "$h_sub" "$tmp/h.out" || h_why="${h_why}stdout lacks '$h_sub'
"
    check "help: $h_desc" "$h_why" "$tmp/h.out" "$tmp/h.err"
}

# same_output DESC A B: two output files equal but for threads and elapsed time
same_output() {
    grep -v '"threads"\|"elapsed_seconds"' "$2" >"$T/a" 2>/dev/null
    grep -v '"threads"\|"elapsed_seconds"' "$3" >"$T/b" 2>/dev/null
    if [ -s "$T/a" ] && cmp -s "$T/a" "$T/b"; then ok "$1"; else not_ok "$1" "$(diff "$T/a" "$T/b" | head -5)"; fi
}

# py_bid, py_env, py_sweep FILE CHECK [ARG...]: the checks of a bid,
# envelope or sweep/breakeven result (tests/lib/bid_check.py,
# env_check.py, sweep_check.py list them); the problems go to stderr.
py_bid() { python3 tests/lib/bid_check.py "$@"; }
py_env() { python3 tests/lib/env_check.py "$@"; }
py_sweep() { python3 tests/lib/sweep_check.py "$@"; }
