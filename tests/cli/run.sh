#!/bin/sh
# CLI tests for capmix: the bad-input corpus (tests/bad/*.yaml), usage
# errors, the shipped scenarios, reproducibility, output files, plots and the
# seed figures.  POSIX sh (runs under dash); run from the repository root:
#
#     sh tests/cli/run.sh
#
# Prints one line per check, "ok - ..." or "not ok - ..." followed by detail
# lines starting with '#', then as its last line "cli: N passed, M failed",
# and exits non-zero when M > 0.  Checks that cannot run here (no python3,
# no gnuplot, running as root) print a "# skip: ..." line and count neither
# way.  Everything is written below one mktemp -d folder, removed on exit.
#
# Corpus format: each tests/bad/NAME.yaml starts with
#     # expect: LINE:COL: substring of the message
# (or "# expect: -: substring" for a diagnostic without a position); the
# check wants exit status 2 from both `validate` and `run -o DIR`, stderr
# "capmix: FILE:LINE:COL: ..." containing the substring on that line, the
# offending source line echoed with a caret under column COL, no output
# folder and nothing on stdout.
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh

if [ ! -f Makefile ] || [ ! -d tests/bad ]; then
    not_ok "run from the repository root (sh tests/cli/run.sh)" "current directory: $(pwd)"
    finish
fi
# The binary under test: bin/capmix, or the one `make` names (e.g. the
# sanitizer build of `make SANITIZE=1 check`).
BIN_UNDER_TEST=${CAPMIX:-bin/capmix}
if [ ! -x "$BIN_UNDER_TEST" ]; then
    not_ok "$BIN_UNDER_TEST exists and is executable" "$BIN_UNDER_TEST is missing: build it with 'make'"
    finish
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli.XXXXXX") || {
    not_ok "mktemp -d" "cannot create a temporary folder"
    finish
}
cleanup() {
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# A private copy of the binary: other work may rebuild bin/capmix while the
# tests run.  Absolute path, so the PATH test below can still run it.
CAPMIX=$tmp/capmix
cp "$BIN_UNDER_TEST" "$CAPMIX" || {
    not_ok "copy $BIN_UNDER_TEST" "cannot copy $BIN_UNDER_TEST to $CAPMIX"
    finish
}
# Always invoke the copy below by absolute path.
case $CAPMIX in
/*) ;;
*) CAPMIX=$(pwd)/$CAPMIX ;;
esac

HAVE_TIMEOUT=0
command -v timeout >/dev/null 2>&1 && HAVE_TIMEOUT=1

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

HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1

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

# Strict JSON: Python's json module accepts NaN and Infinity, JSON does not.
py_json_ok() {
    python3 -c '
import json, sys
def bad(tok):
    raise ValueError("not JSON: " + tok)
json.load(open(sys.argv[1]), parse_constant=bad)' "$1"
}

# py_near FILE PATH VALUE: the number at PATH ("a/b/name=X/c": keys, and
# list items picked by their "name") is VALUE within 0.01.
py_near() {
    python3 -c '
import json, sys
f, path, want = sys.argv[1], sys.argv[2], float(sys.argv[3])
o = json.load(open(f))
for part in path.split("/"):
    if part.startswith("name="):
        hits = [x for x in o if isinstance(x, dict) and x.get("name") == part[5:]]
        if not hits:
            sys.exit("no item named %r" % part[5:])
        o = hits[0]
    else:
        o = o[part]
if not isinstance(o, (int, float)) or isinstance(o, bool) or abs(o - want) > 0.01:
    sys.exit("%s = %r, want %r" % (path, o, want))' "$1" "$2" "$3"
}

# caret_line COL: the line echo_line prints under the source line.
caret_line() {
    awk -v n="$1" 'BEGIN { s = "    "; for (i = 1; i < n; i++) s = s " "; print s "^" }'
}

# ---------------------------------------------------------------------------
# 1. The bad-input corpus
# ---------------------------------------------------------------------------

# bad_case FILE POS SUBSTRING COMMAND: COMMAND is validate or run.
bad_case() {
    b_f=$1
    b_pos=$2
    b_sub=$3
    b_cmd=$4
    b_dir=$tmp/bad-out/never-created
    rm -rf "$tmp/bad-out"
    if [ "$b_cmd" = run ]; then
        cm 10 run "$b_f" -o "$b_dir" >"$tmp/bad.out" 2>"$tmp/bad.err"
    else
        cm 10 validate "$b_f" >"$tmp/bad.out" 2>"$tmp/bad.err"
    fi
    b_rc=$?
    b_why=""
    [ "$b_rc" -eq 2 ] || b_why="${b_why}exit status $b_rc, want 2
"
    if [ "$b_pos" = "-" ]; then
        b_want="capmix: $b_f: "
    else
        b_want="capmix: $b_f:$b_pos: "
    fi
    if ! grep -F -q -e "$b_want" "$tmp/bad.err"; then
        b_why="${b_why}stderr lacks '$b_want'
"
    elif ! grep -F -e "$b_want" "$tmp/bad.err" | grep -F -q -e "$b_sub"; then
        b_why="${b_why}the message lacks '$b_sub'
"
    fi
    if [ "$b_pos" != "-" ]; then
        b_line=${b_pos%%:*}
        b_col=${b_pos#*:}
        # echo_line: the source line (CR dropped, control characters as
        # spaces; whole up to 160 characters, which every corpus line is,
        # longer lines clipped: tests/cli/limits.sh), then a caret under
        # the column.
        b_src=$(sed -n "${b_line}p" "$b_f" | tr -d '\r\n' |
            tr '\001-\037' '                               ' | cut -b 1-511)
        # ill-formed UTF-8 bytes are echoed as \xHH (sim/textesc.h)
        if printf '%s' "$b_src" | LC_ALL=C grep -q '[^ -~]' && command -v python3 >/dev/null 2>&1; then
            b_src=$(printf '%s' "$b_src" | python3 -c 'import sys
sys.stdout.write(sys.stdin.buffer.read().decode("utf-8", "backslashreplace"))')
        fi
        if ! grep -F -x -q -e "$(caret_line "$b_col")" "$tmp/bad.err"; then
            b_why="${b_why}no caret line under column $b_col
"
        elif ! grep -F -x -q -e "    $b_src" "$tmp/bad.err" && ! clipped_echo "$b_f" "$b_line" "$tmp/bad.err"; then
            b_why="${b_why}line $b_line is not echoed
"
        fi
    fi
    [ -e "$b_dir" ] && b_why="${b_why}the output folder was created
"
    [ -s "$tmp/bad.out" ] && b_why="${b_why}stdout is not empty
"
    if [ "$b_cmd" = run ]; then b_what="run -o DIR"; else b_what="validate"; fi
    check "$b_f: $b_what: exit 2 at ${b_pos}" "$b_why" "$tmp/bad.err" "$tmp/bad.out"
    rm -rf "$tmp/bad-out"
}

n_bad=0
# A line longer than 160 characters is echoed as a window around the
# column, marked with "…" where it is cut (diag_echo): the window, less its
# marks, must be a piece of the line.
clipped_echo() { # FILE LINE ERR
    c_src=$(sed -n "${2}p" "$1" | tr -d '\r\n')
    [ "${#c_src}" -gt 160 ] || return 1
    c_w=$(sed -n '2p' "$3" | sed 's/^    //; s/^…//; s/…$//')
    [ -n "$c_w" ] || return 1
    case "$c_src" in *"$c_w"*) return 0 ;; esac
    return 1
}
for f in tests/bad/*.yaml; do
    [ -f "$f" ] || continue
    n_bad=$((n_bad + 1))
    # First line, without CR and without a UTF-8 byte order mark.
    exp=$(head -n 1 "$f" | tr -d '\r\357\273\277' | sed -n 's/^# expect: //p')
    pos=${exp%%: *}
    sub=${exp#*: }
    case $pos in
    - | [0-9]*:[0-9]*) ;;
    *) pos="" ;;
    esac
    if [ -z "$exp" ] || [ -z "$pos" ] || [ -z "$sub" ] || [ "$sub" = "$exp" ]; then
        not_ok "$f: first line is '# expect: LINE:COL: substring'" "found: $(head -n 1 "$f")"
        continue
    fi
    bad_case "$f" "$pos" "$sub" validate
    bad_case "$f" "$pos" "$sub" run
done
if [ "$n_bad" -ge 60 ]; then
    ok "the corpus has $n_bad cases (at least 60)"
else
    not_ok "the corpus has at least 60 cases" "found $n_bad in tests/bad"
fi

# Cases generated here rather than committed.
gen=$tmp/gen
mkdir "$gen"
base_scenario() {
    cat <<'EOF'
capmix: 1
work: {horizon_days: 90}
alternatives:
  - name: a
    sources:
      - kind: in_house
        headcount: 2
        loaded_annual: 200000
        throughput_per_month: 3
EOF
}
# pad FILE BYTES: append BYTES bytes of comment lines to FILE.
pad() {
    awk -v p="$2" 'BEGIN {
        l = "#"; for (i = 0; i < 1022; i++) l = l "x"
        q = int(p / 1024); r = p % 1024
        for (i = 0; i < q; i++) print l
        if (r >= 2) { s = "#"; for (i = 0; i < r - 2; i++) s = s "x"; print s }
        else if (r == 1) printf "\n"
    }' >>"$1"
}
max_bytes=4194304
base_scenario >"$gen/exactly-4mib.yaml"
pad "$gen/exactly-4mib.yaml" $((max_bytes - $(wc -c <"$gen/exactly-4mib.yaml")))
base_scenario >"$gen/over-4mib.yaml"
pad "$gen/over-4mib.yaml" $((max_bytes + 1 - $(wc -c <"$gen/over-4mib.yaml")))
size=$(wc -c <"$gen/over-4mib.yaml" | tr -d ' ')
if [ "$size" -eq $((max_bytes + 1)) ]; then
    bad_case "$gen/over-4mib.yaml" - "is larger than 4194304 bytes" validate
    bad_case "$gen/over-4mib.yaml" - "is larger than 4194304 bytes" run
else
    not_ok "generate a file of 4 MiB + 1 byte" "got $size bytes"
fi
cm 20 validate -q "$gen/exactly-4mib.yaml" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0"
check "a valid scenario of exactly 4 MiB validates" "$why" "$tmp/e"
mkdir "$gen/folder.yaml"
bad_case "$gen/folder.yaml" - "cannot read" validate
bad_case "$gen/folder.yaml" - "cannot read" run
bad_case "$gen/no-such-file.yaml" - "cannot open '$gen/no-such-file.yaml'" validate
bad_case "$gen/no-such-file.yaml" - "cannot open '$gen/no-such-file.yaml'" run

# Bad input must not touch an existing output folder either.
prev=$tmp/prev
mkdir "$prev"
echo '{"old": true}' >"$prev/summary.json"
cp "$prev/summary.json" "$tmp/prev.copy"
cm 20 run tests/bad/number-nan.yaml -o "$prev" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
cmp -s "$prev/summary.json" "$tmp/prev.copy" || why="${why}summary.json was changed
"
[ "$(ls -A "$prev")" = "summary.json" ] || why="${why}files were added: $(ls -A "$prev" | tr '\n' ' ')
"
check "bad input leaves an existing output folder untouched" "$why" "$tmp/e"

# ---------------------------------------------------------------------------
# 2. Usage
# ---------------------------------------------------------------------------

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

S=scenarios/pod-run-rate.yaml
usage_error "no command prints the usage" "usage: capmix COMMAND"
usage_error "unknown command suggests the nearest" "unknown command 'rn' (did you mean 'run'?)" rn
usage_error "run without a file" "run: give exactly one scenario file" run
usage_error "run with two files" "run: give exactly one scenario file" run "$S" scenarios/ai-team-run-rate.yaml
usage_error "validate without a file" "validate: give exactly one scenario file" validate
usage_error "run: unknown option" "run: unknown option '--bogus'" run "$S" --bogus
usage_error "validate: unknown option" "validate: unknown option '--bogus'" validate --bogus "$S"
usage_error "run: option without its value" "option '--trials' needs a value" run "$S" --trials
usage_error "--trials 0" "--trials needs a whole number from 2 to 100000000, not '0'" run "$S" --trials 0
usage_error "--trials abc" "--trials needs a whole number from 2 to 100000000, not 'abc'" run "$S" --trials abc
usage_error "--trials 1e3" "--trials needs a whole number" run "$S" --trials 1e3
usage_error "--threads 0" "--threads needs a whole number from 1 to 1024, not '0'" run "$S" --threads 0
usage_error "--seed -1" "--seed needs a whole number from 0 to 9223372036854775807, not '-1'" run "$S" --seed -1
usage_error "--seed 2^64 overflows" "--seed needs a whole number" run "$S" --seed 18446744073709551616
usage_error "--export-trials without -o" "--export-trials needs an output folder (-o DIR)" run "$S" --export-trials
usage_error "--above with an unknown metric" "--above: unknown metric 'cost_totl' (did you mean 'cost_total'?)" run "$S" --above cost_totl=5
usage_error "--above without a value" "--above needs METRIC=VALUE" run "$S" --above cost_total
usage_error "--above with NaN" "--above: 'nan' is not a finite number" run "$S" --above cost_total=nan
# Numbers are decimal (model, resolution 18), on the command line too.
usage_error "--above with a hexadecimal value" "--above" run "$S" --above cost_total=0x10
usage_error "--above more than 8 times" "--above may be given at most 8 times" run "$S" \
    --above cost_total=1 --above cost_total=2 --above cost_total=3 --above cost_total=4 \
    --above cost_total=5 --above cost_total=6 --above cost_total=7 --above cost_total=8 \
    --above cost_total=9
usage_error "help on an unknown kind" "help: unknown kind 'nosuchkind'" help nosuchkind
usage_error "help on a misspelt kind suggests the nearest" "(did you mean 'in_house'?)" help in_hose
# An empty output folder name is a usage error, found before simulating.
usage_error "-o with an empty folder name" "-o" run "$S" --trials 10 -q -o ""

# capmix bid (model section 8): its own options, and every option of run.
FB=scenarios/fixed-bid-offer.yaml
usage_error "bid without a file" "bid: give exactly one scenario file" bid
usage_error "bid with two files" "bid: give exactly one scenario file" bid "$FB" "$S"
usage_error "bid --risk-tolerance 0" "--risk-tolerance needs a positive amount of money or 'infinity', not '0'" bid "$FB" --risk-tolerance 0
usage_error "bid --risk-tolerance abc" "--risk-tolerance needs a positive amount of money or 'infinity', not 'abc'" bid "$FB" --risk-tolerance abc
usage_error "bid --risk-tolerance -5" "--risk-tolerance needs a positive amount of money or 'infinity', not '-5'" bid "$FB" --risk-tolerance -5
usage_error "bid --risk-tolerance 1e400 overflows" "--risk-tolerance needs a positive amount of money or 'infinity'" bid "$FB" --risk-tolerance 1e400
usage_error "bid --risk-tolerance without its value" "option '--risk-tolerance' needs a value" bid "$FB" --risk-tolerance
usage_error "bid --partner-margin -1" "--partner-margin needs a fraction from 0 to 10 (0.15 for 15%), not '-1'" bid "$FB" --partner-margin -1
# Numbers are decimal (model, resolution 18), on the command line too.
usage_error "bid --partner-margin 0x1 (hexadecimal)" "--partner-margin needs a fraction from 0 to 10 (0.15 for 15%), not '0x1'" bid "$FB" --partner-margin 0x1
usage_error "bid --partner-margin nan" "--partner-margin needs a fraction from 0 to 10" bid "$FB" --partner-margin nan
usage_error "bid: unknown option" "bid: unknown option '--bogus'" bid "$FB" --bogus
usage_error "bid --trials 0 (an option of run)" "--trials needs a whole number from 2 to 100000000, not '0'" bid "$FB" --trials 0
# The bid options belong to bid; the message names the option, not its value.
usage_error "run --risk-tolerance belongs to bid" "run: option '--risk-tolerance' belongs to 'capmix bid'" run "$FB" --risk-tolerance 2000000
usage_error "run --partner-margin belongs to bid" "run: option '--partner-margin' belongs to 'capmix bid'" run "$FB" --partner-margin 0.15

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
help_ok "capmix --help" "usage: capmix COMMAND" --help
help_ok "capmix -h" "usage: capmix COMMAND" -h
help_ok "capmix run --help" "usage: capmix run SCENARIO.yaml" run --help
help_ok "capmix validate --help" "usage: capmix validate SCENARIO.yaml" validate --help
help_ok "capmix --version" "capmix " --version
help_ok "capmix help lists the kinds" "offshore_pod" help
help_ok "capmix help offshore_pod" "required: headcount, hourly_rate" help offshore_pod
# The usage says 'help' gives "help on a command or a capacity-source kind".
help_ok "capmix help run (help on a command)" "usage: capmix run" help run
help_ok "capmix help validate (help on a command)" "usage: capmix validate" help validate
help_ok "capmix bid --help" "usage: capmix bid SCENARIO.yaml" bid --help
help_ok "capmix bid --help names --risk-tolerance" "--risk-tolerance R" bid --help
help_ok "capmix help bid (help on a command)" "usage: capmix bid SCENARIO.yaml" help bid
help_ok "capmix --help lists the bid command" "  bid " --help

# ---------------------------------------------------------------------------
# 3. The shipped scenarios
# ---------------------------------------------------------------------------

out=$tmp/scn
mkdir "$out"
for f in scenarios/*.yaml; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .yaml)
    cm 60 validate "$f" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0"
    check "$f: validate exits 0" "$why" "$tmp/e"

    d=$out/$name
    cm 60 run "$f" -o "$d" --trials 2000 >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    for want in summary.json run.log; do
        [ -f "$d/$want" ] || why="${why}no $want
"
    done
    left=$(leftovers "$d")
    [ -z "$left" ] || why="${why}temporary files left: $left
"
    check "$f: run -o DIR --trials 2000 writes summary.json and run.log, no temporaries" "$why" "$tmp/e"
    [ -f "$d/summary.json" ] || continue

    if [ "$HAVE_PY" -eq 1 ]; then
        py_json_ok "$d/summary.json" >"$tmp/e" 2>&1
        rc=$?
        why=""
        [ "$rc" -eq 0 ] || why="summary.json is not valid JSON"
        check "$f: summary.json is valid JSON" "$why" "$tmp/e"
    else
        skip "$f: summary.json is valid JSON (python3 is not installed)"
    fi
    sha=$(sha256_of "$f")
    seed=$(sed -n 's/^seed: *\([0-9][0-9]*\).*/\1/p' "$f")
    [ -n "$seed" ] || seed=1
    why=""
    grep -q "\"input_sha256\": *\"$sha\"" "$d/summary.json" || why="input_sha256 is not $sha
"
    grep -q "\"seed\": *$seed," "$d/summary.json" || why="${why}seed is not $seed
"
    grep -q "\"trials\": *2000," "$d/summary.json" || why="${why}trials is not 2000
"
    check "$f: summary.json records input_sha256, seed and trials" "$why"
done

# ---------------------------------------------------------------------------
# 4. Reproducibility
# ---------------------------------------------------------------------------

R=scenarios/offshore-vs-ai.yaml
rep=$tmp/rep
mkdir "$rep"
cm 60 run "$R" -o "$rep/a" --trials 2000 --no-plots -q 2>"$rep/a.err"
cm 60 run "$R" -o "$rep/b" --trials 2000 --no-plots -q 2>"$rep/b.err"
cm 60 run "$R" -o "$rep/t1" --trials 2000 --no-plots -q --threads 1 2>"$rep/t1.err"
cm 60 run "$R" -o "$rep/t2" --trials 2000 --no-plots -q --threads 2 2>"$rep/t2.err"
cm 60 run "$R" -o "$rep/t3" --trials 2000 --no-plots -q --threads 3 2>"$rep/t3.err"
cm 60 run "$R" -o "$rep/s1" --trials 2000 --no-plots -q --seed 1 2>"$rep/s1.err"
cm 60 run "$R" -o "$rep/s2" --trials 2000 --no-plots -q --seed 2 2>"$rep/s2.err"
for r in a b t1 t2 t3 s1 s2; do
    if [ -f "$rep/$r/summary.json" ]; then
        normalise "$rep/$r/summary.json" >"$rep/$r.norm"
    else
        echo "missing $r/summary.json" >"$rep/$r.norm"
    fi
done

same() {
    if cmp -s "$rep/$2.norm" "$rep/$3.norm" && [ -f "$rep/$2/summary.json" ]; then
        ok "$1"
    else
        not_ok "$1" "$(diff "$rep/$2.norm" "$rep/$3.norm" | head -n 10)"
    fi
}
same "same seed: identical summary.json (but threads, elapsed_seconds)" a b
same "--threads 1 and --threads 2: identical summary.json" t1 t2
same "--threads 1 and --threads 3: identical summary.json" t1 t3
if [ -f "$rep/s1/summary.json" ] && [ -f "$rep/s2/summary.json" ] &&
    ! cmp -s "$rep/s1.norm" "$rep/s2.norm"; then
    ok "different seeds: different summary.json"
else
    not_ok "different seeds: different summary.json" "--seed 1 and --seed 2 gave the same results (or no results)"
fi

# Removing an alternative leaves the others' numbers alone (keep the
# baseline 'offshore' so the copy has the same baseline).
awk '/^  - name: / { skip = ($3 == "staff-aug") } !skip' "$R" >"$rep/less.yaml"
if grep -q 'staff-aug' "$rep/less.yaml" || ! grep -q '^  - name: offshore$' "$rep/less.yaml"; then
    not_ok "remove 'staff-aug' from a copy of $R" "the copy is not as expected"
elif [ "$HAVE_PY" -eq 1 ]; then
    cm 60 run "$rep/less.yaml" -o "$rep/less" --trials 2000 --no-plots -q 2>"$rep/less.err"
    python3 -c '
import json, sys
full = {a["name"]: a for a in json.load(open(sys.argv[1]))["alternatives"]}
less = json.load(open(sys.argv[2]))["alternatives"]
if len(less) != len(full) - 1:
    sys.exit("the copy has %d alternatives, want %d" % (len(less), len(full) - 1))
for a in less:
    if a["metrics"] != full[a["name"]]["metrics"]:
        bad = [m for m in a["metrics"] if a["metrics"][m] != full[a["name"]]["metrics"][m]]
        sys.exit("%s: metrics differ: %s" % (a["name"], ", ".join(bad)))
' "$rep/a/summary.json" "$rep/less/summary.json" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="the remaining alternatives changed"
    check "removing an alternative leaves the other alternatives' metrics identical" "$why" "$tmp/e" "$rep/less.err"
else
    skip "removing an alternative leaves the others' metrics identical (python3 is not installed)"
fi

# ---------------------------------------------------------------------------
# 5. Output files
# ---------------------------------------------------------------------------

X=scenarios/pod-run-rate.yaml
nalt=$(grep -c '^  - name:' "$X")
cm 60 run "$X" -o "$tmp/csv" --trials 500 --no-plots -q --export-trials 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
if [ -f "$tmp/csv/trials.csv" ]; then
    lines=$(wc -l <"$tmp/csv/trials.csv" | tr -d ' ')
    crs=$(tr -cd '\r' <"$tmp/csv/trials.csv" | wc -c | tr -d ' ')
    want=$((500 * nalt + 1))
    [ "$lines" -eq "$want" ] || why="${why}$lines lines, want a header and 500 x $nalt rows = $want
"
    [ "$crs" -eq "$lines" ] || why="${why}$crs of $lines lines end in CRLF
"
    head -n 1 "$tmp/csv/trials.csv" | grep -q '^trial,alternative,' || why="${why}no header line
"
    nf=$(tr -d '\r' <"$tmp/csv/trials.csv" | awk -F, '{ print NF }' | sort -u | wc -l | tr -d ' ')
    [ "$nf" -eq 1 ] || why="${why}rows have different numbers of fields
"
else
    why="${why}no trials.csv
"
fi
check "--export-trials: trials.csv has a header and trials x alternatives CRLF rows" "$why" "$tmp/e"

# A folder below a regular file cannot be created.
mkdir "$tmp/w"
: >"$tmp/w/file"
cm 60 run "$X" -o "$tmp/w/file/sub" --trials 200 --no-plots >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 1 ] || why="exit status $rc, want 1
"
grep -q '^capmix: ' "$tmp/e" || why="${why}no message on stderr
"
[ "$(ls -A "$tmp/w")" = "file" ] && [ ! -s "$tmp/w/file" ] || why="${why}something was written: $(ls -A "$tmp/w" | tr '\n' ' ')
"
check "-o below a regular file: exit 1, a message, nothing written" "$why" "$tmp/e"

# A file that cannot be put in place (run.log is a folder): the run fails
# and writes nothing: no fresh summary.json as if it had succeeded, and no
# plot data that no longer matches the summary.json already there.
mkdir -p "$tmp/p/run.log"
cm 60 run "$X" -o "$tmp/p" --trials 200 --no-plots -q >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 1 ] || why="exit status $rc, want 1
"
grep -q '^capmix: ' "$tmp/e" || why="${why}no message on stderr
"
[ -e "$tmp/p/summary.json" ] && why="${why}summary.json was written although the run failed
"
[ "$(ls -A "$tmp/p")" = "run.log" ] || why="${why}the failed run wrote files: $(ls -A "$tmp/p" | tr '\n' ' ')
"
check "a failing write (run.log is a folder): exit 1, nothing written" "$why" "$tmp/e"

# The plot data cannot be written (cost_cdf.dat is a folder): either the
# run fails (exit 1) and writes nothing (no summary.json that looks like a
# result), or it succeeds (exit 0) with a warning, as when gnuplot is
# missing.
mkdir -p "$tmp/pd/cost_cdf.dat"
cm 60 run "$X" -o "$tmp/pd" --trials 200 --no-plots >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
case $rc in
0) grep -q 'warning' "$tmp/e" || why="exit 0 without a warning
" ;;
1) [ "$(ls -A "$tmp/pd")" = "cost_cdf.dat" ] || why="exit 1, but the failed run wrote files: $(ls -A "$tmp/pd" | tr '\n' ' ')
" ;;
*) why="exit status $rc, want 1 (or 0 with a warning)
" ;;
esac
grep -q '^capmix: ' "$tmp/e" || why="${why}no message on stderr
"
left=$(leftovers "$tmp/pd")
[ -z "$left" ] || why="${why}temporary files left: $left
"
check "a failing write of the plot data: exit 1 with nothing written, or 0 with a warning" "$why" "$tmp/e"

if [ "$(id -u)" -eq 0 ]; then
    skip "read-only output folder exits 1 (running as root: root ignores permissions)"
else
    mkdir "$tmp/ro"
    chmod 555 "$tmp/ro"
    cm 60 run "$X" -o "$tmp/ro" --trials 200 --no-plots -q >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 1 ] || why="exit status $rc, want 1
"
    grep -q '^capmix: ' "$tmp/e" || why="${why}no message on stderr
"
    [ -z "$(ls -A "$tmp/ro")" ] || why="${why}files were written: $(ls -A "$tmp/ro" | tr '\n' ' ')
"
    check "read-only output folder: exit 1, a message, nothing written" "$why" "$tmp/e"
    chmod 755 "$tmp/ro"
fi

# ---------------------------------------------------------------------------
# 6. Plots and --quiet
# ---------------------------------------------------------------------------

if command -v gnuplot >/dev/null 2>&1; then
    cm 60 run "$X" -o "$tmp/plots" --trials 500 -q >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    for p in cost_cdf.png cost_per_outcome.png; do
        [ -s "$tmp/plots/$p" ] || why="${why}no $p
"
    done
    left=$(leftovers "$tmp/plots")
    [ -z "$left" ] || why="${why}temporary files left: $left
"
    check "gnuplot installed: cost_cdf.png and cost_per_outcome.png are drawn" "$why" "$tmp/e"
    # An output folder whose name needs quoting in the gnuplot command.
    odd="$tmp/it's a \"plot\" \`touch $tmp/injected\`"
    cm 60 run "$X" -o "$odd" --trials 200 -q >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    for p in cost_cdf.png cost_per_outcome.png; do
        [ -s "$odd/$p" ] || why="${why}no $p
"
    done
    [ -e "$tmp/injected" ] && why="${why}a command in the folder name was executed
"
    check "gnuplot installed: plots are drawn in a folder named with quotes and backquotes" "$why" "$tmp/e"
else
    skip "plots are drawn (gnuplot is not installed)"
fi

cm 60 run "$X" -o "$tmp/noplots" --trials 500 -q --no-plots >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for p in cost_cdf.png cost_per_outcome.png; do
    [ -e "$tmp/noplots/$p" ] && why="${why}$p was drawn
"
done
for p in cost_cdf.dat cost_cdf.gp cost_per_outcome.dat cost_per_outcome.gp; do
    [ -s "$tmp/noplots/$p" ] || why="${why}no $p
"
done
check "--no-plots: no .png, but the .dat and .gp files" "$why" "$tmp/e"

# No gnuplot on PATH (a PATH of one folder holding a dangling symlink).
mkdir "$tmp/nopath"
ln -s "$tmp/nowhere" "$tmp/nopath/gnuplot"
limit 60 env PATH="$tmp/nopath" "$CAPMIX" run "$X" -o "$tmp/nognuplot" --trials 500 >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
grep -q 'warning.*gnuplot' "$tmp/e" || why="${why}no warning about gnuplot on stderr
"
for p in summary.json cost_cdf.dat cost_cdf.gp cost_per_outcome.dat cost_per_outcome.gp; do
    [ -s "$tmp/nognuplot/$p" ] || why="${why}no $p
"
done
left=$(leftovers "$tmp/nognuplot")
[ -z "$left" ] || why="${why}temporary files left: $left
"
check "no gnuplot on PATH: exit 0, a warning, summary.json and the .gp/.dat files kept" "$why" "$tmp/e"

cm 60 run "$X" -o "$tmp/quiet" --trials 500 --no-plots --quiet >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
[ -f "$tmp/quiet/summary.json" ] || why="${why}no summary.json
"
check "run --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

cm 60 validate -q "$X" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "validate -q prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

# ---------------------------------------------------------------------------
# 7. The seed figures (from the --trials 2000 runs of section 3)
# ---------------------------------------------------------------------------

# figure DESCRIPTION FILE PATH VALUE
figure() {
    if [ "$HAVE_PY" -ne 1 ]; then
        skip "$1 (python3 is not installed)"
        return
    fi
    if [ ! -f "$2" ]; then
        not_ok "$1" "no $2"
        return
    fi
    py_near "$2" "$3" "$4" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="$(cat "$tmp/e")"
    check "$1" "$why"
}
P=$out/pod-run-rate/summary.json
A=$out/ai-team-run-rate/summary.json
figure "pod-run-rate: 'pod' cost_total min is 264000" "$P" alternatives/name=pod/metrics/cost_total/min 264000
figure "pod-run-rate: 'pod' cost_total max is 264000" "$P" alternatives/name=pod/metrics/cost_total/max 264000
figure "pod-run-rate: 'at-2-a-month' spreadsheet cost_per_outcome is 44000" "$P" alternatives/name=at-2-a-month/spreadsheet/cost_per_outcome 44000
figure "pod-run-rate: 'at-4-a-month' spreadsheet cost_per_outcome is 22000" "$P" alternatives/name=at-4-a-month/spreadsheet/cost_per_outcome 22000
figure "ai-team-run-rate: 'with-agents' spreadsheet incremental_cost_per_outcome is 15500" "$A" alternatives/name=with-agents/spreadsheet/incremental_cost_per_outcome 15500
figure "ai-team-run-rate: 'with-agents' vs_baseline cost_total mean_diff is 31000" "$A" alternatives/name=with-agents/vs_baseline/cost_total/mean_diff 31000

# ---------------------------------------------------------------------------
# 8. Fixed bids: capmix bid (model section 8, resolutions 11-13)
# ---------------------------------------------------------------------------

FB=scenarios/fixed-bid-offer.yaml
bd=$tmp/bid
mkdir "$bd"

# py_bid FILE CHECK [ARG...]: checks of the "bid" section of summary.json.
#   pairs            a pair per fixed bid x capacity mix x {cost_total,
#                    blended_cost}, each with its figures; "market", "verdict"
#   identities       risk_premium = E[bid] - E[mix], break_even_price_neutral
#                    = price_mean + E[mix] - E[bid], p_mix_cheaper in [0, 1],
#                    P50 <= P90 <= P95 <= CVaR95, CE >= mean (Jensen)
#   neutral          risk_adjusted = mean, break-even = break-even at neutrality
#   cvar             risk_adjusted = cvar95 (risk_measure cvar at 0.95)
#   market MARGIN    partner_margin and implied_partner_cost = price / (1 + M)
#   crossed BID MIX METRIC   CE(bid) = CE(mix) on that pair (after the price
#                    was set to the break-even price)
#   break_even BID MIX METRIC   prints that pair's break_even_price
#   verdict STDOUT METRIC   the verdict lines of STDOUT are "verdict: " + the
#                    "verdict" strings + "."; the amounts they quote are the
#                    JSON's, in the sentence's $k/$M format; the mix named is
#                    the best one on METRIC (lowest risk-adjusted cost)
py_bid() {
    python3 -c '
import json, math, re, sys
f, what, args = sys.argv[1], sys.argv[2], sys.argv[3:]
d = json.load(open(f))
def num(x):
    if isinstance(x, str) and x in ("Infinity", "-Infinity"):
        return float(x)
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        raise SystemExit("not a number: %r" % (x,))
    return float(x)
def close(a, b, rel):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))
if "bid" not in d or not isinstance(d["bid"], dict):
    sys.exit("summary.json has no \"bid\" object")
b = d["bid"]
pairs = b.get("pairs")
if not isinstance(pairs, list) or not pairs:
    sys.exit("bid.pairs is missing or empty")
sides = ("bid_figures", "mix_figures")
figs = ("mean", "p50", "p90", "p95", "cvar95", "risk_adjusted")
def pname(p):
    return "%s vs %s on %s" % (p.get("bid"), p.get("mix"), p.get("metric"))
def price_of(bid):
    for m in b.get("market", []):
        if m.get("bid") == bid:
            return num(m["price_mean"])
    raise SystemExit("bid.market has no entry for %r" % bid)
def find(bid, mix, metric):
    hits = [p for p in pairs if (p.get("bid"), p.get("mix"), p.get("metric")) == (bid, mix, metric)]
    if len(hits) != 1:
        raise SystemExit("%d pairs %s vs %s on %s, want 1" % (len(hits), bid, mix, metric))
    return hits[0]
verdicts = b.get("verdict")
if isinstance(verdicts, str):
    verdicts = [verdicts]
bad = []
if what == "pairs":
    alts = d["alternatives"]
    bids = [a["name"] for a in alts if a.get("kind") == "fixed_bid"]
    mixes = [a["name"] for a in alts if a.get("kind") != "fixed_bid"]
    if not bids or not mixes:
        sys.exit("bids %r, mixes %r" % (bids, mixes))
    want = 2 * len(bids) * len(mixes)
    if len(pairs) != want:
        bad.append("%d pairs, want %d (bids x mixes x 2 metrics)" % (len(pairs), want))
    for bi in bids:
        price_of(bi)
        for mi in mixes:
            for metric in ("cost_total", "blended_cost"):
                try:
                    p = find(bi, mi, metric)
                except SystemExit as e:
                    bad.append(str(e))
                    continue
                for s in sides:
                    for k in figs:
                        try:
                            num(p[s][k])
                        except (KeyError, TypeError, SystemExit):
                            bad.append("%s: no number %s.%s" % (pname(p), s, k))
                for k in ("p_mix_cheaper", "risk_premium", "break_even_price", "break_even_price_neutral"):
                    try:
                        num(p[k])
                    except (KeyError, SystemExit):
                        bad.append("%s: no number %s" % (pname(p), k))
    if not isinstance(b.get("market"), list) or len(b["market"]) != len(bids):
        bad.append("bid.market is not a list with an entry per fixed bid")
    if not verdicts or not all(isinstance(v, str) and v for v in verdicts):
        bad.append("bid.verdict is missing or empty")
elif what == "identities":
    for p in pairs:
        bf, mf = p["bid_figures"], p["mix_figures"]
        price = price_of(p["bid"])
        rp, ben = num(p["risk_premium"]), num(p["break_even_price_neutral"])
        if not close(rp, num(bf["mean"]) - num(mf["mean"]), 1e-6):
            bad.append("%s: risk_premium %r != %r - %r" % (pname(p), rp, bf["mean"], mf["mean"]))
        if not close(ben, price + num(mf["mean"]) - num(bf["mean"]), 1e-6):
            bad.append("%s: break_even_price_neutral %r != %r + %r - %r" % (pname(p), ben, price, mf["mean"], bf["mean"]))
        pc = num(p["p_mix_cheaper"])
        if not 0 <= pc <= 1:
            bad.append("%s: p_mix_cheaper %r outside [0, 1]" % (pname(p), pc))
        for s in sides:
            q = [num(p[s][k]) for k in ("p50", "p90", "p95", "cvar95")]
            if q != sorted(q):
                bad.append("%s: %s P50, P90, P95, CVaR95 not in order: %r" % (pname(p), s, q))
            if b.get("risk_measure") == "ce" and num(p[s]["risk_adjusted"]) < num(p[s]["mean"]) * (1 - 1e-12):
                bad.append("%s: %s certainty equivalent %r below the mean %r" % (pname(p), s, p[s]["risk_adjusted"], p[s]["mean"]))
elif what in ("neutral", "cvar"):
    ref = "mean" if what == "neutral" else "cvar95"
    for p in pairs:
        for s in sides:
            if not close(num(p[s]["risk_adjusted"]), num(p[s][ref]), 1e-9):
                bad.append("%s: %s risk_adjusted %r != %s %r" % (pname(p), s, p[s]["risk_adjusted"], ref, p[s][ref]))
        if what == "neutral" and not close(num(p["break_even_price"]), num(p["break_even_price_neutral"]), 1e-9):
            bad.append("%s: break_even_price %r != break_even_price_neutral %r" % (pname(p), p["break_even_price"], p["break_even_price_neutral"]))
elif what == "market":
    m = float(args[0])
    if not close(num(b.get("partner_margin")), m, 1e-12):
        bad.append("partner_margin %r, want %r" % (b.get("partner_margin"), m))
    for e in b["market"]:
        if not close(num(e["implied_partner_cost"]), num(e["price_mean"]) / (1 + m), 1e-9):
            bad.append("%s: implied_partner_cost %r, want %r / %r" % (e["bid"], e["implied_partner_cost"], e["price_mean"], 1 + m))
elif what == "crossed":
    p = find(*args)
    ce_b, ce_m = num(p["bid_figures"]["risk_adjusted"]), num(p["mix_figures"]["risk_adjusted"])
    if not close(ce_b, ce_m, 1e-6):
        bad.append("%s: CE(bid) %r != CE(mix) %r at the break-even price" % (pname(p), ce_b, ce_m))
elif what == "break_even":
    print(repr(num(find(*args)["break_even_price"])))
elif what == "verdict":
    out, metric = args
    cur = d.get("currency", "USD")
    sym = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3"}.get(cur)
    def money(v):
        a = abs(v)
        if math.isinf(v):
            n = "infinity"
        else:
            if a >= 999.5e3:
                n = "%.2fM" % (a / 1e6)
            elif a >= 99.95e3:
                n = "%.0fk" % (a / 1e3)
            elif a >= 999.5:
                n = "%.1fk" % (a / 1e3)
            else:
                n = "%.0f" % a
        return ("-" if v < 0 else "") + (sym if sym else cur + " ") + n
    lines = [l[len("verdict: "):] for l in open(out, encoding="utf-8").read().splitlines() if l.startswith("verdict: ")]
    want = [v + "." for v in verdicts]
    if lines != want:
        sys.exit("stdout verdicts %r\n!= summary.json verdicts + \".\" %r" % (lines, want))
    q = chr(39)
    rx = re.compile("^(?:At a risk tolerance of (\\S+)|At risk neutrality|With CVaR(\\d+) as the risk measure) "
                    "the offer Q(.+)Q \\((\\S+)\\) is (\\S+) (above|below) the break-even price of (\\S+) "
                    "against Q(.+)Q, the best in-house option on (blended cost|total cost): "
                    "(negotiate or build|signing transfers the risk for less than carrying it would cost)"
                    "(?:\\. The verdict (?:flips|is the same) .*)?$".replace("Q", q))
    R = num(b["risk_tolerance"]) if b.get("risk_tolerance") is not None else float("inf")
    for v in verdicts:
        m = rx.match(v)
        if not m:
            bad.append("verdict not in the expected form: %r" % v)
            continue
        tol, lvl, bid, offer, gap, side, be, mix, on, advice = m.groups()
        on_want = {"cost_total": "total cost", "blended_cost": "blended cost"}[metric]
        if on != on_want:
            bad.append("verdict on %r, want %r" % (on, on_want))
            continue
        p = find(bid, mix, metric)
        price, bep = price_of(bid), num(p["break_even_price"])
        if b.get("risk_measure") == "cvar":
            if lvl is None or abs(int(lvl) - 100 * num(b["cvar_level"])) > 1e-9:
                bad.append("verdict does not name CVaR%.0f: %r" % (100 * num(b["cvar_level"]), v))
        elif math.isinf(R):
            if tol is not None or lvl is not None:
                bad.append("verdict does not say risk neutrality: %r" % v)
        elif tol != money(R):
            bad.append("verdict quotes the risk tolerance as %s, want %s (%r)" % (tol, money(R), R))
        if offer != money(price):
            bad.append("verdict quotes the offer as %s, want %s (price_mean %r)" % (offer, money(price), price))
        if be != money(bep):
            bad.append("verdict quotes the break-even price as %s, want %s (%r)" % (be, money(bep), bep))
        if gap != money(abs(price - bep)):
            bad.append("verdict quotes the gap as %s, want %s (%r)" % (gap, money(abs(price - bep)), price - bep))
        if (side == "above") != (price > bep):
            bad.append("verdict says %r, but price %r vs break-even %r" % (side, price, bep))
        if (advice == "negotiate or build") != (side == "above"):
            bad.append("advice %r does not follow from %r" % (advice, side))
        best = min((x for x in pairs if x["bid"] == bid and x["metric"] == metric),
                   key=lambda x: num(x["mix_figures"]["risk_adjusted"]))
        if best["mix"] != mix:
            bad.append("verdict names %r, but %r has the lowest risk-adjusted %s" % (mix, best["mix"], metric))
else:
    sys.exit("py_bid: unknown check " + what)
if bad:
    sys.exit("\n".join(bad[:10]))
' "$@"
}

# bid_py DESCRIPTION FILE CHECK [ARG...]: a py_bid check as a test line.
bid_py() {
    bp_desc=$1
    shift
    if [ "$HAVE_PY" -ne 1 ]; then
        skip "$bp_desc (python3 is not installed)"
        return
    fi
    if [ ! -f "$1" ]; then
        not_ok "$bp_desc" "no $1"
        return
    fi
    py_bid "$@" >"$tmp/e" 2>&1
    bp_rc=$?
    bp_why=""
    [ "$bp_rc" -eq 0 ] || bp_why="$(cat "$tmp/e")"
    check "$bp_desc" "$bp_why"
}

# A scenario without a fixed bid: exit 2 before simulating, no output folder.
cm 20 bid "$S" -o "$bd/none" --trials 200 >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -F -q -e "capmix: $S: " "$tmp/e" && grep -F -q -e "no 'fixed_bid' alternative" "$tmp/e" ||
    why="${why}stderr lacks 'capmix: $S: ... no 'fixed_bid' alternative'
"
[ -e "$bd/none" ] && why="${why}the output folder was created
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "bid on a scenario without a fixed bid ($S): exit 2, a message, no output folder" "$why" "$tmp/e" "$tmp/o"

# A bad fixed bid through `bid`: exit 2 with the corpus case's message at
# its position, no output folder.
BB=tests/bad/fixed-bid-without-price.yaml
exp=$(head -n 1 "$BB" | sed -n 's/^# expect: //p')
cm 20 bid "$BB" -o "$bd/bad" --trials 200 >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -F -e "capmix: $BB:${exp%%: *}: " "$tmp/e" | grep -F -q -e "${exp#*: }" ||
    why="${why}stderr lacks 'capmix: $BB:$exp'
"
[ -e "$bd/bad" ] && why="${why}the output folder was created
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "bid on a bad scenario: exit 2, the message at its position, no output folder" "$why" "$tmp/e" "$tmp/o"

# The shipped offer.
cm 60 bid "$FB" -o "$bd/main" --trials 3000 >"$bd/main.out" 2>"$bd/main.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for want in summary.json run.log bid_cdf.dat bid_cdf.gp bid_ce.dat bid_ce.gp; do
    [ -s "$bd/main/$want" ] || why="${why}no $want
"
done
left=$(leftovers "$bd/main")
[ -z "$left" ] || why="${why}temporary files left: $left
"
grep -q '^verdict: ' "$bd/main.out" || why="${why}no 'verdict: ' line on stdout
"
grep -q '^verdict: ' "$bd/main/run.log" || why="${why}no 'verdict: ' line in run.log
"
check "bid $FB -o DIR --trials 3000: exit 0, summary.json, run.log, bid_cdf and bid_ce .dat/.gp, a verdict" "$why" "$bd/main.err" "$bd/main.out"
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    for p in bid_cdf.png bid_ce.png cost_cdf.png; do
        [ -s "$bd/main/$p" ] || why="${why}no $p
"
    done
    check "bid, gnuplot installed: bid_cdf.png and bid_ce.png are drawn" "$why" "$bd/main.err"
else
    skip "bid: bid_cdf.png and bid_ce.png are drawn (gnuplot is not installed)"
fi
M=$bd/main/summary.json
if [ "$HAVE_PY" -eq 1 ] && [ -f "$M" ]; then
    py_json_ok "$M" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="summary.json is not valid JSON"
    check "bid: summary.json is valid JSON" "$why" "$tmp/e"
fi
bid_py "bid: summary.json has a pair per bid x mix x {cost_total, blended_cost} with its figures, market, verdict" "$M" pairs
bid_py "bid: risk_premium = E[bid] - E[mix], break-even at neutrality = price + E[mix] - E[bid], P(mix cheaper) in [0,1]" "$M" identities
bid_py "bid: the verdict on stdout is summary.json's, and quotes its offer, gap and break-even price" "$M" verdict "$bd/main.out" blended_cost
bid_py "bid: the market's answer is the price over 1 + partner_margin (0.15)" "$M" market 0.15

# Resolution 13: at the break-even price the certainty equivalents are
# equal (exact for a constant price: the price shifts every trial alike).
if [ "$HAVE_PY" -eq 1 ] && [ -f "$M" ]; then
    be=$(py_bid "$M" break_even partner-fixed-bid offshore blended_cost 2>"$tmp/e")
    if [ -n "$be" ] && grep -q '^      price: 780000$' "$FB"; then
        sed "s/^      price: 780000\$/      price: $be/" "$FB" >"$bd/at-break-even.yaml"
        cm 60 bid "$bd/at-break-even.yaml" -o "$bd/be" --trials 3000 --no-plots -q 2>"$bd/be.err"
        bid_py "bid: with the price set to the break-even price (${be}), CE(bid) = CE(offshore) on blended cost" \
            "$bd/be/summary.json" crossed partner-fixed-bid offshore blended_cost
    else
        not_ok "bid: set the price of a copy of $FB to its break-even price" "break-even '$be'; $(cat "$tmp/e")"
    fi
else
    skip "bid: CE(bid) = CE(mix) at the break-even price (python3 is not installed)"
fi

# Risk neutrality from the command line, and a partner margin override.
cm 60 bid "$FB" -o "$bd/inf" --trials 3000 --no-plots --risk-tolerance infinity --partner-margin 0.25 >"$bd/inf.out" 2>"$bd/inf.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0"
check "bid --risk-tolerance infinity --partner-margin 0.25: exit 0" "$why" "$bd/inf.err"
bid_py "bid --risk-tolerance infinity: risk_adjusted = mean, break-even price = break-even at neutrality" "$bd/inf/summary.json" neutral
bid_py "bid --risk-tolerance infinity: the verdict says risk neutrality and agrees with summary.json" "$bd/inf/summary.json" verdict "$bd/inf.out" blended_cost
bid_py "bid --partner-margin 0.25: the market's answer uses 0.25" "$bd/inf/summary.json" market 0.25

# CVaR as the risk measure (resolution 12).
awk '/^decision:/ { print "decision:"; print "  risk_measure: cvar"; print "  cvar_level: 0.95"; skip = 1; next }
     skip && /^  / { next }
     { skip = 0; print }' "$FB" >"$bd/cvar.yaml"
cm 60 bid "$bd/cvar.yaml" -o "$bd/cvar" --trials 3000 --no-plots >"$bd/cvar.out" 2>"$bd/cvar.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
grep -q '^verdict: With CVaR95 as the risk measure ' "$bd/cvar.out" || why="${why}the verdict does not start 'With CVaR95 as the risk measure'
"
check "bid with decision: {risk_measure: cvar}: exit 0, the verdict names CVaR95" "$why" "$bd/cvar.err" "$bd/cvar.out"
bid_py "bid with risk_measure cvar: risk_adjusted = cvar95" "$bd/cvar/summary.json" cvar
bid_py "bid with risk_measure cvar: the verdict agrees with summary.json" "$bd/cvar/summary.json" verdict "$bd/cvar.out" blended_cost

# Without a cost of delay the verdict is on total cost.
grep -v '^  cost_of_delay:' "$FB" >"$bd/no-delay.yaml"
if grep -q 'cost_of_delay' "$bd/no-delay.yaml"; then
    not_ok "remove cost_of_delay from a copy of $FB" "the copy still has cost_of_delay"
else
    cm 60 bid "$bd/no-delay.yaml" -o "$bd/no-delay" --trials 2000 --no-plots >"$bd/no-delay.out" 2>"$bd/no-delay.err"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0"
    check "bid without a cost of delay: exit 0" "$why" "$bd/no-delay.err"
    bid_py "bid without a cost of delay: the verdict is on total cost and agrees with summary.json" "$bd/no-delay/summary.json" verdict "$bd/no-delay.out" cost_total
fi

# Amounts just under a million round up to "$1.00M", not "$1000k".
sed 's/^      price: 780000$/      price: 999700/' "$FB" >"$bd/p999.yaml"
cm 60 bid "$bd/p999.yaml" -o "$bd/p999" --trials 1000 --no-plots >"$bd/p999.out" 2>"$bd/p999.err"
why=""
grep -q "^verdict: .*'partner-fixed-bid' (\$1\.00M)" "$bd/p999.out" || why="the verdict does not quote the offer of 999,700 as \$1.00M: $(grep '^verdict' "$bd/p999.out")"
check "bid: an offer of 999,700 is quoted as \$1.00M" "$why" "$bd/p999.err"

# Reproducibility: the thread count does not change the figures.
cm 60 bid "$FB" -o "$bd/t1" --trials 3000 --no-plots -q --threads 1 2>"$bd/t1.err"
cm 60 bid "$FB" -o "$bd/t2" --trials 3000 --no-plots -q --threads 2 2>"$bd/t2.err"
if [ -f "$bd/t1/summary.json" ] && [ -f "$bd/t2/summary.json" ] &&
    normalise "$bd/t1/summary.json" >"$bd/t1.norm" && normalise "$bd/t2/summary.json" >"$bd/t2.norm" &&
    cmp -s "$bd/t1.norm" "$bd/t2.norm"; then
    ok "bid --threads 1 and --threads 2: identical summary.json (but threads, elapsed_seconds)"
else
    not_ok "bid --threads 1 and --threads 2: identical summary.json (but threads, elapsed_seconds)" \
        "$(diff "$bd/t1.norm" "$bd/t2.norm" 2>&1 | head -n 10)"
fi

# bid --quiet prints nothing.
cm 60 bid "$FB" --trials 500 -q >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "bid --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

# `run` on a scenario with a fixed bid writes the bid section too; the bid
# has no passes, rework, superseded, cycle time or flow efficiency
# (resolution 11): null in every trial.
cm 60 run "$FB" -o "$bd/run" --trials 2000 --no-plots -q 2>"$bd/run.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0"
check "run $FB -o DIR --trials 2000: exit 0" "$why" "$bd/run.err"
bid_py "run with a fixed bid: summary.json has the bid section" "$bd/run/summary.json" pairs
if [ "$HAVE_PY" -eq 1 ] && [ -f "$bd/run/summary.json" ]; then
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
bids = [a for a in d["alternatives"] if a["name"] == "partner-fixed-bid"]
if len(bids) != 1:
    sys.exit("no alternative partner-fixed-bid")
a = bids[0]
bad = []
if a.get("kind") != "fixed_bid":
    bad.append("kind is %r, want \"fixed_bid\"" % a.get("kind"))
for m in ("passes", "rework_passes", "superseded", "cycle_days", "flow_efficiency"):
    n = a["metrics"].get(m, {}).get("n_null")
    if n != d["trials"]:
        bad.append("%s: n_null %r, want the trial count %r" % (m, n, d["trials"]))
if bad:
    sys.exit("\n".join(bad))' "$bd/run/summary.json" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="$(cat "$tmp/e")"
    check "run with a fixed bid: its kind is fixed_bid; passes, rework, superseded, cycle_days, flow_efficiency are null in all 2000 trials" "$why"
else
    skip "run with a fixed bid: kind fixed_bid and null flow metrics (python3 is not installed)"
fi

# A fixed bid with no capacity mix beside it: `validate` and `run` agree
# (both accept it, or both refuse it); `bid` has nothing to weigh it
# against: exit 2 and no output folder.
cat >"$bd/only-bid.yaml" <<'EOF'
capmix: 1
work: {outcomes: 24, horizon_days: 730}
alternatives:
  - name: partner
    fixed_bid: {price: 780000, delivery_days: 180}
EOF
cm 20 validate "$bd/only-bid.yaml" >"$tmp/o" 2>"$tmp/e"
rc_v=$?
cm 60 run "$bd/only-bid.yaml" -o "$bd/only-run" --trials 200 --no-plots -q >"$tmp/o" 2>"$tmp/e2"
rc_r=$?
why=""
[ "$rc_v" -eq "$rc_r" ] || why="validate exits $rc_v, run exits $rc_r
"
[ "$rc_r" -eq 0 ] || [ ! -e "$bd/only-run" ] || why="${why}run failed but created its output folder
"
check "a fixed bid without a capacity mix: validate and run agree" "$why" "$tmp/e" "$tmp/e2"
cm 60 bid "$bd/only-bid.yaml" -o "$bd/only-bid" --trials 200 --no-plots >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -q '^capmix: ' "$tmp/e" || why="${why}no message on stderr
"
[ -e "$bd/only-bid" ] && why="${why}the output folder was created
"
check "bid on a fixed bid without a capacity mix: exit 2, a message, no output folder" "$why" "$tmp/e"

# Heavy tails (resolution 12): a lognormal cost input with a finite risk
# tolerance draws a warning; with risk_measure cvar, or at risk
# neutrality, it does not.
CO_GAMMA='cost: {dist: gamma, mean: 35000, sd: 30000}'
CO_LOGN='cost: {dist: lognormal, median: 25000, p90: 80000}'
sed "s/$CO_GAMMA/$CO_LOGN/" "$FB" >"$bd/lognormal-co.yaml"
awk '/^decision:/ { print "decision: {risk_measure: cvar}"; skip = 1; next }
     skip && /^  / { next }
     { skip = 0; print }' "$bd/lognormal-co.yaml" >"$bd/lognormal-co-cvar.yaml"
grep -v '^  risk_tolerance:' "$bd/lognormal-co.yaml" >"$bd/lognormal-co-neutral.yaml"
if ! grep -q "change_orders: .*$CO_LOGN" "$bd/lognormal-co.yaml" ||
    ! grep -q '^  risk_tolerance: 2000000' "$bd/lognormal-co.yaml" ||
    ! grep -q '^decision: {risk_measure: cvar}$' "$bd/lognormal-co-cvar.yaml" ||
    grep -q 'risk_tolerance' "$bd/lognormal-co-cvar.yaml" "$bd/lognormal-co-neutral.yaml"; then
    not_ok "make lognormal-change-order copies of $FB" "the copies are not as expected"
else
    cm 20 validate "$bd/lognormal-co.yaml" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    cat "$tmp/o" "$tmp/e" | grep -q 'heavy-tailed' || why="${why}no line with 'heavy-tailed'
"
    check "validate: a lognormal change-order cost with a finite risk_tolerance: exit 0, a heavy-tailed warning" "$why" "$tmp/e"

    cm 20 validate "$bd/lognormal-co-cvar.yaml" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    cat "$tmp/o" "$tmp/e" | grep -q 'heavy-tailed' && why="${why}a heavy-tailed warning: $(cat "$tmp/o" "$tmp/e" | grep 'heavy-tailed')
"
    check "validate: the same with decision: {risk_measure: cvar}: exit 0, no heavy-tailed warning" "$why" "$tmp/e"

    # The tolerance in force is the command line's when one is given.
    cm 60 bid "$bd/lognormal-co-neutral.yaml" --trials 500 --no-plots --risk-tolerance 2000000 >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    cat "$tmp/o" "$tmp/e" | grep -q 'heavy-tailed' || why="${why}no line with 'heavy-tailed'
"
    check "bid --risk-tolerance 2000000 on a lognormal cost input (no risk_tolerance in the file): a heavy-tailed warning" "$why" "$tmp/e"

    cm 60 bid "$bd/lognormal-co.yaml" --trials 500 --no-plots --risk-tolerance infinity >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    cat "$tmp/o" "$tmp/e" | grep -q 'heavy-tailed' && why="${why}a heavy-tailed warning at risk neutrality: $(cat "$tmp/o" "$tmp/e" | grep 'heavy-tailed')
"
    check "bid --risk-tolerance infinity on a lognormal cost input: no heavy-tailed warning" "$why" "$tmp/e"
fi

# ---------------------------------------------------------------------------
# 9. Envelopes and stop-loss: capmix envelope (model section 9, resolutions
#    19-23)
# ---------------------------------------------------------------------------

E=scenarios/envelope.yaml
ed=$tmp/env
mkdir "$ed"

help_ok "capmix envelope --help" "usage: capmix envelope SCENARIO.yaml" envelope --help
help_ok "capmix envelope --help names --actuals" "--actuals spent=S,accepted=A" envelope --help
help_ok "capmix help envelope (help on a command)" "usage: capmix envelope SCENARIO.yaml" help envelope
help_ok "capmix --help lists the envelope command" "  envelope " --help

usage_error "envelope without a file" "envelope: give exactly one scenario file" envelope
usage_error "envelope with two files" "envelope: give exactly one scenario file" envelope "$E" "$S"
usage_error "envelope: unknown option" "envelope: unknown option '--bogus'" envelope "$E" --bogus
usage_error "envelope --confidence without its value" "envelope: option '--confidence' needs a value" envelope "$E" --confidence
usage_error "envelope --confidence 1" "--confidence needs a number between 0 and 1 (e.g. 0.9), not '1'" envelope "$E" --confidence 1
usage_error "envelope --confidence abc" "--confidence needs a number between 0 and 1 (e.g. 0.9), not 'abc'" envelope "$E" --confidence abc
usage_error "envelope --confidence nan" "--confidence needs a number between 0 and 1 (e.g. 0.9), not 'nan'" envelope "$E" --confidence nan
usage_error "envelope --month 0" "--month needs a whole number from 1 to 1200, not '0'" envelope "$E" --month 0 --actuals spent=1,accepted=1
usage_error "envelope --month 3 without --actuals" "--month and --actuals go together" envelope "$E" --month 3
usage_error "envelope --actuals without --month" "--month and --actuals go together" envelope "$E" --actuals spent=1,accepted=1
usage_error "envelope --actuals spent=1 (no accepted)" "--actuals needs both spent= and accepted=" envelope "$E" --month 3 --actuals spent=1
usage_error "envelope --actuals spent=x,accepted=1" "--actuals: 'x' is not a non-negative number" envelope "$E" --month 3 --actuals spent=x,accepted=1
usage_error "envelope --actuals spent=-1,accepted=1" "--actuals: '-1' is not a non-negative number" envelope "$E" --month 3 --actuals spent=-1,accepted=1
usage_error "envelope --actuals foo=1,accepted=2" "--actuals: unknown field 'foo'" envelope "$E" --month 3 --actuals foo=1,accepted=2
usage_error "envelope --tolerance 2" "--tolerance needs a number from 0 to 1, not '2'" envelope "$E" --tolerance 2
usage_error "envelope --accepted-tolerance -1" "--accepted-tolerance needs a number" envelope "$E" --accepted-tolerance -1
usage_error "envelope --trials 0 (an option of run)" "--trials needs a whole number from 2 to 100000000, not '0'" envelope "$E" --trials 0
# The envelope options belong to envelope; the message names the option.
usage_error "run --confidence belongs to envelope" "run: option '--confidence' belongs to 'capmix envelope'" run "$E" --confidence 0.9
usage_error "run --actuals belongs to envelope" "run: option '--actuals' belongs to 'capmix envelope'" run "$E" --actuals spent=1,accepted=1
usage_error "bid --month belongs to envelope" "bid: option '--month' belongs to 'capmix envelope'" bid "$FB" --month 3
usage_error "envelope --risk-tolerance belongs to bid" "option '--risk-tolerance' belongs to 'capmix bid'" envelope "$E" --risk-tolerance 2000000
# The horizon is only known once the scenario is loaded: still exit 2, and
# no output folder.
cm 60 envelope "$E" -o "$ed/past" --trials 200 --no-plots --month 999 --actuals spent=1,accepted=1 >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -F -q -e "--month 999 is past the horizon" "$tmp/e" || why="${why}stderr lacks '--month 999 is past the horizon'
"
[ -e "$ed/past" ] && why="${why}the output folder was created
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "usage: envelope --month 999 (past the horizon of 24 months): exit 2, a message, no output folder" "$why" "$tmp/e" "$tmp/o"
# Month-end snapshots of 10^6 trials x 5 alternatives x 24 months need
# 2,747 MiB, over the envelope's 2 GiB: refused before simulating.
cm 20 envelope "$E" -o "$ed/huge" --trials 1000000 --no-plots >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -F -q -e "use fewer --trials" "$tmp/e" || why="${why}stderr lacks 'use fewer --trials'
"
[ -e "$ed/huge" ] && why="${why}the output folder was created
"
check "usage: envelope --trials 1000000 (snapshots over 2 GiB): exit 2 before simulating, no output folder" "$why" "$tmp/e" "$tmp/o"

# py_env FILE CHECK [ARG...]: checks of the "envelope" section of
# summary.json.
#   shape CONF RULES   "confidence" CONF; per alternative (in the order of
#                      "alternatives"): cost_total and blended_cost at p 0.8,
#                      0.9, 0.95, each with value inside ci90 [lo, hi];
#                      "envelope" at p CONF, equal to the cost_total entry
#                      at CONF (and to metrics.cost_total.p90/p95 at 0.9/
#                      0.95) to 1e-9 relative; its stop_loss rules are
#                      RULES ("alt=r1,r2;alt2=r3", others none), each with
#                      p_stop in [0,1] = n_stopped / trials, false_stops <=
#                      n_stopped, spend_with <= spend_without = mean total
#                      cost, median_month and loss_avoided_per_stop null
#                      exactly when nothing stops
#   sentences STDOUT   "summary": a sentence for the baseline and for every
#                      alternative with rules, in order, each on a line of
#                      STDOUT followed by "."
#   review STDOUT MONTH SPENT ACCEPTED   "actuals" as given; per alternative
#                      a "review" with matching_trials (integer >= 0) and
#                      an "advice" printed on STDOUT; under 30 matching
#                      trials the advice starts "too few trials match",
#                      otherwise it follows P(within) against the
#                      confidence (resolution 22)
#   rule ALT RULE KEY=VALUE...   exact figures of one rule ("null" for null)
#   matching ALT N     the review of ALT matched N trials
#   no_envelope        summary.json has no "envelope" key
#   with_bid           summary.json has a "bid" object and an envelope for
#                      every alternative, the fixed bid with no rules
py_env() {
    python3 -c '
import json, math, sys
f, what, args = sys.argv[1], sys.argv[2], sys.argv[3:]
d = json.load(open(f))
def num(x):
    if isinstance(x, str) and x in ("Infinity", "-Infinity"):
        return float(x)
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        raise SystemExit("not a number: %r" % (x,))
    return float(x)
def close(a, b, rel):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))
if what == "no_envelope":
    if "envelope" in d:
        sys.exit("summary.json has an \"envelope\" key")
    sys.exit(0)
e = d.get("envelope")
if not isinstance(e, dict):
    sys.exit("summary.json has no \"envelope\" object")
alts = e.get("alternatives")
if not isinstance(alts, list):
    sys.exit("envelope.alternatives is not a list")
byname = {a.get("name"): a for a in alts}
names = [a["name"] for a in d["alternatives"]]
metrics = {a["name"]: a["metrics"] for a in d["alternatives"]}
def get(alt):
    if alt not in byname:
        raise SystemExit("envelope.alternatives has no %r" % alt)
    return byname[alt]
def rule(alt, name):
    hits = [r for r in get(alt).get("stop_loss", []) if r.get("name") == name]
    if len(hits) != 1:
        raise SystemExit("%s: %d stop_loss rules named %r, want 1" % (alt, len(hits), name))
    return hits[0]
def stdout_lines(p):
    return open(p, encoding="utf-8").read().splitlines()
bad = []
if what == "shape":
    conf, spec = float(args[0]), args[1]
    want_rules = {}
    for part in spec.split(";"):
        if part:
            k, v = part.split("=")
            want_rules[k] = v.split(",")
    if e.get("confidence") != conf:
        bad.append("confidence %r, want %r" % (e.get("confidence"), conf))
    if [a.get("name") for a in alts] != names:
        bad.append("envelope.alternatives %r, want %r" % ([a.get("name") for a in alts], names))
    for a in alts:
        n = a.get("name")
        for key in ("cost_total", "blended_cost"):
            qs = a.get(key)
            if not isinstance(qs, list) or len(qs) != 3:
                bad.append("%s: %s is not a list of 3 quantiles" % (n, key))
                continue
            if [q.get("p") for q in qs] != [0.8, 0.9, 0.95]:
                bad.append("%s: %s at p %r, want [0.8, 0.9, 0.95]" % (n, key, [q.get("p") for q in qs]))
            for q in qs:
                v, ci = num(q["value"]), q.get("ci90")
                if not isinstance(ci, list) or len(ci) != 2:
                    bad.append("%s: %s p %r: ci90 is not [lo, hi]" % (n, key, q.get("p")))
                elif not num(ci[0]) <= v <= num(ci[1]):
                    bad.append("%s: %s p %r: value %r outside ci90 %r" % (n, key, q.get("p"), v, ci))
            vals = [num(q["value"]) for q in qs]
            if vals != sorted(vals):
                bad.append("%s: %s P80, P90, P95 not in order: %r" % (n, key, vals))
        env = a.get("envelope")
        if not isinstance(env, dict) or env.get("p") != conf:
            bad.append("%s: envelope is not at p %r: %r" % (n, conf, env))
            continue
        at = [q for q in a["cost_total"] if q.get("p") == conf]
        if at and (not close(num(env["value"]), num(at[0]["value"]), 1e-9) or env.get("ci90") != at[0].get("ci90")):
            bad.append("%s: envelope %r != the cost_total entry at p %r: %r" % (n, env, conf, at[0]))
        key = {0.9: "p90", 0.95: "p95"}.get(conf)
        if key and not close(num(env["value"]), num(metrics[n]["cost_total"][key]), 1e-9):
            bad.append("%s: envelope %r != metrics.cost_total.%s %r" % (n, env["value"], key, metrics[n]["cost_total"][key]))
        rules = a.get("stop_loss")
        if not isinstance(rules, list):
            bad.append("%s: stop_loss is not a list" % n)
            continue
        if [r.get("name") for r in rules] != want_rules.get(n, []):
            bad.append("%s: stop_loss rules %r, want %r" % (n, [r.get("name") for r in rules], want_rules.get(n, [])))
        br = a.get("best_rule", "missing")
        if br is not None and br not in [r.get("name") for r in rules]:
            bad.append("%s: best_rule %r is not one of its rules" % (n, br))
        trials = d["trials"]
        for r in rules:
            rn = "%s/%s" % (n, r.get("name"))
            p, ns, fs = num(r["p_stop"]), r.get("n_stopped"), r.get("false_stops")
            if not 0 <= p <= 1:
                bad.append("%s: p_stop %r outside [0, 1]" % (rn, p))
            if not isinstance(ns, int) or not isinstance(fs, int) or isinstance(ns, bool):
                bad.append("%s: n_stopped %r, false_stops %r are not integers" % (rn, ns, fs))
                continue
            if abs(ns / trials - p) > 1e-12:
                bad.append("%s: n_stopped/trials = %r/%r != p_stop %r" % (rn, ns, trials, p))
            if not 0 <= fs <= ns:
                bad.append("%s: false_stops %r not in [0, n_stopped %r]" % (rn, fs, ns))
            sw, swo = num(r["spend_with"]), num(r["spend_without"])
            if r.get("then") == "abandon" and sw > swo:
                bad.append("%s: spend_with %r > spend_without %r although it abandons the rest" % (rn, sw, swo))
            if r.get("then") != "abandon" and num(r["accepted_with"]) < num(r["accepted_without"]) - 1e-9 and r.get("criterion") != "blended_per_accepted":
                bad.append("%s: delivers less with its fallback but is not judged per accepted outcome" % rn)
            if not close(swo, num(metrics[n]["cost_total"]["mean"]), 1e-9):
                bad.append("%s: spend_without %r != mean cost_total %r" % (rn, swo, metrics[n]["cost_total"]["mean"]))
            num(r["blended_with"]), num(r["blended_without"])
            if not 0 <= num(r["delivered_with"]) <= 1:
                bad.append("%s: delivered_with %r outside [0, 1]" % (rn, r["delivered_with"]))
            for k in ("median_month", "loss_avoided_per_stop"):
                if (r.get(k) is None) != (ns == 0):
                    bad.append("%s: %s is %r with %d stops" % (rn, k, r.get(k), ns))
            if ns and not 1 <= num(r["median_month"]):
                bad.append("%s: median_month %r below 1" % (rn, r["median_month"]))
elif what == "sentences":
    out = stdout_lines(args[0])
    s = e.get("summary")
    if not isinstance(s, list) or not all(isinstance(x, str) and x for x in s):
        sys.exit("envelope.summary is not a list of sentences: %r" % (s,))
    base = [a["name"] for a in d["alternatives"] if a.get("baseline")]
    want = [a["name"] for a in alts if a.get("stop_loss") or a["name"] in base]
    q = chr(39)
    got = [x.split(q)[1] if x.count(q) >= 2 else None for x in s]
    if got != want:
        bad.append("summary sentences are about %r, want the baseline and every alternative with rules: %r" % (got, want))
    for x in s:
        if not x.startswith("Recommended envelope for " + q):
            bad.append("sentence does not start \"Recommended envelope for \": %r" % x)
    printed = [l for l in out if l.startswith("Recommended envelope for ")]
    if printed != [x + "." for x in s]:
        bad.append("stdout sentences %r\n!= summary + \".\" %r" % (printed, [x + "." for x in s]))
elif what == "review":
    out, month, spent, acc = args[0], int(args[1]), float(args[2]), float(args[3])
    lines = stdout_lines(out)
    ac = e.get("actuals")
    if not isinstance(ac, dict) or ac.get("month") != month or ac.get("spent") != spent or ac.get("accepted") != acc:
        bad.append("actuals %r, want month %r, spent %r, accepted %r" % (ac, month, spent, acc))
    c = num(e["confidence"])
    for a in alts:
        n, rv = a["name"], a.get("review")
        if not isinstance(rv, dict):
            bad.append("%s: no review object" % n)
            continue
        k, adv = rv.get("matching_trials"), rv.get("advice")
        if not isinstance(k, int) or isinstance(k, bool) or k < 0:
            bad.append("%s: matching_trials %r is not an integer >= 0" % (n, k))
            continue
        if not isinstance(adv, str) or not adv:
            bad.append("%s: no advice" % n)
            continue
        if not any(l.strip() == adv for l in lines):
            bad.append("%s: the advice is not on stdout: %r" % (n, adv))
        if k < 30:
            if not adv.startswith("too few trials match"):
                bad.append("%s: %d matching trials, but the advice is %r" % (n, k, adv))
            continue
        p = num(rv["p_within_envelope"])
        want = "continue" if p >= c else "increase the envelope" if p >= 0.5 else "cut or transfer the risk"
        if want not in adv or adv.startswith("too few"):
            bad.append("%s: P(within) %r at confidence %r wants %r, advice %r" % (n, p, c, want, adv))
elif what == "rule":
    r = rule(args[0], args[1])
    for kv in args[2:]:
        k, v = kv.split("=", 1)
        got = r.get(k, "missing")
        if v == "null":
            if got is not None:
                bad.append("%s = %r, want null" % (k, got))
        elif got is None or got == "missing" or num(got) != float(v):
            bad.append("%s = %r, want %s" % (k, got, v))
elif what == "matching":
    rv = get(args[0]).get("review") or {}
    if rv.get("matching_trials") != int(args[1]):
        bad.append("%s: matching_trials %r, want %s (advice %r)" % (args[0], rv.get("matching_trials"), args[1], rv.get("advice")))
elif what == "with_bid":
    if not isinstance(d.get("bid"), dict):
        bad.append("no \"bid\" object")
    if [a.get("name") for a in alts] != names:
        bad.append("envelope.alternatives %r, want %r" % ([a.get("name") for a in alts], names))
    for a in d["alternatives"]:
        if a.get("kind") == "fixed_bid" and get(a["name"]).get("stop_loss") != []:
            bad.append("%s: a fixed bid with stop_loss %r" % (a["name"], get(a["name"]).get("stop_loss")))
else:
    sys.exit("py_env: unknown check " + what)
if bad:
    sys.exit("\n".join(bad[:10]))
' "$@"
}

# env_py DESCRIPTION FILE CHECK [ARG...]: a py_env check as a test line.
env_py() {
    ep_desc=$1
    shift
    if [ "$HAVE_PY" -ne 1 ]; then
        skip "$ep_desc (python3 is not installed)"
        return
    fi
    if [ ! -f "$1" ]; then
        not_ok "$ep_desc" "no $1"
        return
    fi
    py_env "$@" >"$tmp/e" 2>&1
    ep_rc=$?
    ep_why=""
    [ "$ep_rc" -eq 0 ] || ep_why="$(cat "$tmp/e")"
    check "$ep_desc" "$ep_why"
}

# The shipped scenario.
ealts=$(sed -n 's/^  - name: *//p' "$E")
cm 60 envelope "$E" -o "$ed/main" --trials 3000 >"$ed/main.out" 2>"$ed/main.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for want in summary.json run.log envelope_cdf.gp cost_cdf.dat; do
    [ -s "$ed/main/$want" ] || why="${why}no $want
"
done
for a in $ealts; do
    for want in "fan_$a.dat" "fan_$a.gp"; do
        [ -s "$ed/main/$want" ] || why="${why}no $want
"
    done
    # a header, then months 0 to 24 (730 days of 365/12)
    if [ -f "$ed/main/fan_$a.dat" ]; then
        n=$(grep -c . "$ed/main/fan_$a.dat")
        [ "$n" -eq 26 ] || why="${why}fan_$a.dat has $n lines, want a header and months 0-24
"
    fi
done
left=$(leftovers "$ed/main")
[ -z "$left" ] || why="${why}temporary files left: $left
"
grep -q '^Recommended envelope for ' "$ed/main.out" || why="${why}no 'Recommended envelope for' line on stdout
"
grep -q '^Recommended envelope for ' "$ed/main/run.log" || why="${why}no 'Recommended envelope for' line in run.log
"
check "envelope $E -o DIR --trials 3000: exit 0, summary.json, run.log, envelope_cdf.gp, fan_ALT.dat/.gp per alternative" "$why" "$ed/main.err" "$ed/main.out"
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    for p in envelope_cdf.png cost_cdf.png; do
        [ -s "$ed/main/$p" ] || why="${why}no $p
"
    done
    for a in $ealts; do
        [ -s "$ed/main/fan_$a.png" ] || why="${why}no fan_$a.png
"
    done
    check "envelope, gnuplot installed: envelope_cdf.png and fan_ALT.png are drawn" "$why" "$ed/main.err"
else
    skip "envelope: envelope_cdf.png and fan_ALT.png are drawn (gnuplot is not installed)"
fi
M=$ed/main/summary.json
if [ "$HAVE_PY" -eq 1 ] && [ -f "$M" ]; then
    py_json_ok "$M" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="summary.json is not valid JSON"
    check "envelope: summary.json is valid JSON" "$why" "$tmp/e"
fi
RULES="offshore=burn-without-output,forecast-overrun,overrun-hand-over;staff-aug=burn-without-output,forecast-overrun"
env_py "envelope: P80/P90/P95 of cost_total and blended_cost inside their ci90; the P90 envelope is metrics' p90; the rules' figures are consistent" \
    "$M" shape 0.9 "$RULES"
env_py "envelope: the summary sentences (baseline and alternatives with rules) are printed on stdout, each followed by '.'" \
    "$M" sentences "$ed/main.out"

# --confidence C: the envelope is the P(C) entry; decision.confidence in
# the file does the same, and the command line wins over it.
cm 60 envelope "$E" -o "$ed/c80" --trials 3000 --no-plots --confidence 0.8 >"$ed/c80.out" 2>"$ed/c80.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0"
check "envelope --confidence 0.8: exit 0" "$why" "$ed/c80.err"
env_py "envelope --confidence 0.8: the envelope is the P80 entry" "$ed/c80/summary.json" shape 0.8 "$RULES"
sed 's/^  confidence: 0\.9$/  confidence: 0.95/' "$E" >"$ed/c95.yaml"
if grep -q '^  confidence: 0\.95$' "$ed/c95.yaml"; then
    cm 60 envelope "$ed/c95.yaml" -o "$ed/c95" --trials 3000 --no-plots -q 2>"$ed/c95.err"
    env_py "envelope with decision.confidence 0.95: the envelope is the P95 entry (metrics' p95)" "$ed/c95/summary.json" shape 0.95 "$RULES"
    cm 60 envelope "$ed/c95.yaml" -o "$ed/c95-80" --trials 3000 --no-plots -q --confidence 0.8 2>"$ed/c95-80.err"
    env_py "envelope --confidence 0.8 on decision.confidence 0.95: the command line wins" "$ed/c95-80/summary.json" shape 0.8 "$RULES"
else
    not_ok "set decision.confidence to 0.95 in a copy of $E" "the copy is not as expected"
fi

# Reproducibility, the review included.
for t in 1 2; do
    cm 60 envelope "$E" -o "$ed/t$t" --trials 3000 --no-plots -q --threads "$t" \
        --month 3 --actuals spent=265000,accepted=9 2>"$ed/t$t.err"
done
if [ -f "$ed/t1/summary.json" ] && [ -f "$ed/t2/summary.json" ] &&
    normalise "$ed/t1/summary.json" >"$ed/t1.norm" && normalise "$ed/t2/summary.json" >"$ed/t2.norm" &&
    cmp -s "$ed/t1.norm" "$ed/t2.norm"; then
    ok "envelope --threads 1 and --threads 2: identical summary.json (but threads, elapsed_seconds)"
else
    not_ok "envelope --threads 1 and --threads 2: identical summary.json (but threads, elapsed_seconds)" \
        "$(diff "$ed/t1.norm" "$ed/t2.norm" 2>&1 | head -n 10)"
fi

# The monthly review (resolution 22).
cm 60 envelope "$E" -o "$ed/rv" --trials 5000 --no-plots --month 3 --actuals spent=265000,accepted=9 >"$ed/rv.out" 2>"$ed/rv.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
grep -q '^== review at month 3: ' "$ed/rv.out" || why="${why}no '== review at month 3: ' line on stdout
"
check "envelope --month 3 --actuals spent=265000,accepted=9 --trials 5000: exit 0, a review on stdout" "$why" "$ed/rv.err" "$ed/rv.out"
env_py "review: actuals in summary.json; per alternative matching_trials and the advice (printed), 'too few trials match' under 30, else by P(within) vs confidence" \
    "$ed/rv/summary.json" review "$ed/rv.out" 3 265000 9

# envelope --quiet prints nothing.
cm 60 envelope "$E" --trials 500 --no-plots -q >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "envelope --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

# Rules on a source whose spend is known exactly: consultants on a monthly
# fee of 30,000 with 30-day months; 1,000 outcomes, so no trial finishes
# within the horizon.  FEE_SCN NAME WORK SOURCE-EXTRA RULE: write
# $ed/NAME.yaml.
fee_scn() {
    {
        printf 'capmix: 1\ncalendar: {days_per_month: 30}\nwork: %s\n' "$2"
        printf 'alternatives:\n  - name: si\n    sources:\n      - kind: consultants\n'
        printf '        monthly_fee: 30000\n        throughput_per_month: 4\n        outcomes: {accepted: 1}\n'
        [ -n "$3" ] && printf '%s\n' "$3"
        printf '    stop_loss:\n%s\n' "$4"
    } >"$ed/$1.yaml"
}
# fee_env NAME: capmix envelope on $ed/NAME.yaml (400 trials).
fee_env() {
    cm 60 envelope "$ed/$1.yaml" -o "$ed/$1" --trials 400 --no-plots -q >"$tmp/o" 2>"$ed/$1.err"
    fe_rc=$?
    [ "$fe_rc" -eq 0 ] || not_ok "envelope $1.yaml: exit 0" "exit status $fe_rc$(printf '\n'; head -n 5 "$ed/$1.err")"
}
ALWAYS='      - name: always
        stop_if: {accepted_under: 1000000}'
fee_scn always "{outcomes: 24, horizon_days: 365}" "" "$ALWAYS"
fee_env always
env_py "a rule that always fires: p_stop 1, median month 1, spend_with exactly a month of fee (30000), delivered_with 0" \
    "$ed/always/summary.json" rule si always p_stop=1 n_stopped=400 median_month=1 spend_with=30000 delivered_with=0
env_py "a rule that always fires: the figures are consistent" "$ed/always/summary.json" shape 0.9 "si=always"
fee_scn every2 "{outcomes: 1000, horizon_days: 365}" "" '      - name: always
        review_every_months: 2
        stop_if: {accepted_under: 1000000}'
fee_env every2
env_py "review_every_months: 2: the first review is at month 2 (spend_with 60000)" \
    "$ed/every2/summary.json" rule si always p_stop=1 median_month=2 spend_with=60000
# Thresholds are strict: 60,000 spent at month 2 is not over 60,000.
fee_scn strict "{outcomes: 1000, horizon_days: 365}" "" '      - name: burn
        stop_if: {spent_over: 60000}'
fee_env strict
env_py "stop_if spent_over 60000 is strict: it fires at month 3 (90000), not month 2 (60000)" \
    "$ed/strict/summary.json" rule si burn p_stop=1 median_month=3 spend_with=90000
# A rule that never fires changes nothing.
fee_scn never "{outcomes: 24, horizon_days: 365}" "" '      - name: never
        stop_if: {spent_over: 1000000000000}'
fee_env never
if [ "$HAVE_PY" -eq 1 ] && [ -f "$ed/never/summary.json" ]; then
    sw=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["envelope"]["alternatives"][0]["stop_loss"][0]; print(repr(r["spend_without"]))' "$ed/never/summary.json" 2>/dev/null)
    env_py "a rule that never fires: p_stop 0, median_month and loss avoided null, spend_with = spend_without, delivered_with 1" \
        "$ed/never/summary.json" rule si never p_stop=0 n_stopped=0 false_stops=0 median_month=null loss_avoided_per_stop=null \
        "spend_with=${sw:-missing}" delivered_with=1
else
    skip "a rule that never fires changes nothing (python3 is not installed, or no summary.json)"
fi
# Reviews happen strictly before the horizon: with a horizon of 360 days the
# month-12 review (day 360) does not happen; with 361 days it does.
SO330='      - name: burn
        stop_if: {spent_over: 330000}'
fee_scn h360 "{outcomes: 1000, horizon_days: 360}" "" "$SO330"
fee_env h360
env_py "horizon 360 days: no review at day 360, the rule over 330000 never fires" \
    "$ed/h360/summary.json" rule si burn p_stop=0 spend_with=360000
fee_scn h361 "{outcomes: 1000, horizon_days: 361}" "" "$SO330"
fee_env h361
env_py "horizon 361 days: the review at day 360 fires the rule over 330000 (spend_with 360000 of 361000)" \
    "$ed/h361/summary.json" rule si burn p_stop=1 median_month=12 spend_with=360000 spend_without=361000
# A stop books the end-of-contract costs: started on day 45 and stopped at
# the month-2 review (day 60): 15 days of fee topped up to min_months 3
# (90,000), the exit cost 5,000 and 60 days of a 3,000/month overhead.
fee_scn exit "{outcomes: 1000, horizon_days: 365}" '        start_delay_days: 45
        min_months: 3
        exit_cost: 5000
    overheads:
      - name: coach
        monthly_cost: 3000' '      - name: always
        review_every_months: 2
        stop_if: {accepted_under: 1000000}'
fee_env exit
env_py "a stop books min_months, exit_cost and the overhead so far: spend_with 101000 (without 361500)" \
    "$ed/exit/summary.json" rule si always p_stop=1 spend_with=101000 spend_without=361500
# A stopped trial's delay counts to the horizon: 30,000 + 100/day x (365 -
# 100 days).
fee_scn delay "{outcomes: 24, horizon_days: 365, target_day: 100, cost_of_delay: {per_day: 100}}" "" "$ALWAYS"
fee_env delay
env_py "a stopped trial's delay cost runs to the horizon: blended_with 30000 + 100 x 265 = 56500" \
    "$ed/delay/summary.json" rule si always spend_with=30000 blended_with=56500
# The review matches on the spend and accepted count at the month end: in
# run-rate mode every trial has spent exactly 90,000 at month 3.
fee_scn runrate "{horizon_days: 365}" "" "$ALWAYS"
# rr_case NAME SPENT TOLERANCE ACCEPTED-TOLERANCE MATCHING
rr_case() {
    cm 60 envelope "$ed/runrate.yaml" -o "$ed/rr-$1" --trials 400 --no-plots -q --month 3 \
        --actuals "spent=$2,accepted=0" --tolerance "$3" --accepted-tolerance "$4" 2>"$ed/rr-$1.err"
    env_py "review at month 3 of a constant 30000/month: spent=$2 --tolerance $3 --accepted-tolerance $4 matches $5 of 400 trials" \
        "$ed/rr-$1/summary.json" matching si "$5"
}
rr_case a 94000 0.05 1000000 400
rr_case b 90001 0 1000000 0
rr_case c 85000 0.05 1000000 0

# Every alternative with rules gets its sentence, however many there are
# (17: more than a fixed table of 4 or 16 sentences holds).
{
    printf 'capmix: 1\ncalendar: {days_per_month: 30}\nwork: {outcomes: 24, horizon_days: 365}\nalternatives:\n'
    i=1
    while [ "$i" -le 17 ]; do
        printf '  - name: a%s\n    sources:\n      - kind: consultants\n' "$i"
        printf '        monthly_fee: 30000\n        throughput_per_month: 4\n        outcomes: {accepted: 1}\n'
        printf '    stop_loss:\n      - name: burn\n        stop_if: {spent_over: 100000, accepted_under: 5}\n'
        i=$((i + 1))
    done
} >"$ed/many.yaml"
cm 60 envelope "$ed/many.yaml" -o "$ed/many" --trials 400 --no-plots >"$ed/many.out" 2>"$ed/many.err"
env_py "17 alternatives with rules: 17 summary sentences, each on stdout" "$ed/many/summary.json" sentences "$ed/many.out"

# `run` on the envelope scenario (section 3) has no envelope section.
env_py "run $E (section 3): summary.json has no \"envelope\" key" "$out/envelope/summary.json" no_envelope

# envelope on a scenario with a fixed bid: the bid section too.
cm 60 envelope "$FB" -o "$ed/fb" --trials 2000 --no-plots >"$ed/fb.out" 2>"$ed/fb.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for a in $(sed -n 's/^  - name: *//p' "$FB"); do
    [ -s "$ed/fb/fan_$a.dat" ] || why="${why}no fan_$a.dat
"
done
check "envelope $FB --trials 2000: exit 0, a fan per alternative (the fixed bid too)" "$why" "$ed/fb.err" "$ed/fb.out"
env_py "envelope on a fixed bid: summary.json has the bid section and an envelope per alternative, the bid without rules" \
    "$ed/fb/summary.json" with_bid
env_py "envelope on a fixed bid: the figures are consistent" "$ed/fb/summary.json" shape 0.9 ""

# ---------------------------------------------------------------------------
# 10. Sweeps and break-even curves: capmix sweep, capmix breakeven (model,
#     "Sweeps and break-even curves")
# ---------------------------------------------------------------------------

SR=scenarios/offshore-vs-ai.yaml
TB=scenarios/token-breakeven.yaml
sw=$tmp/sweep
mkdir "$sw"

help_ok "capmix sweep --help" "usage: capmix sweep SCENARIO.yaml --set PATH=LO:HI:N --metric METRIC.STAT" sweep --help
help_ok "capmix sweep --help names --between" "--between A B" sweep --help
help_ok "capmix breakeven --help" "usage: capmix breakeven SCENARIO.yaml --x PATH=LO:HI:N --y PATH=LO:HI" breakeven --help
help_ok "capmix breakeven -h" "usage: capmix breakeven SCENARIO.yaml" breakeven -h
help_ok "capmix help sweep (help on a command)" "usage: capmix sweep SCENARIO.yaml" help sweep
help_ok "capmix help breakeven (help on a command)" "usage: capmix breakeven SCENARIO.yaml" help breakeven
help_ok "capmix --help lists the sweep command" "  sweep " --help
help_ok "capmix --help lists the breakeven command" "  breakeven " --help
usage_error "unknown command 'swep' suggests sweep" "unknown command 'swep' (did you mean 'sweep'?)" swep
usage_error "unknown command 'breakevn' suggests breakeven" "unknown command 'breakevn' (did you mean 'breakeven'?)" breakevn
# `help` suggests commands too (as for 'help envelop').
usage_error "help on a misspelt command suggests sweep" "(did you mean 'sweep'?)" help swep
usage_error "help on a misspelt command suggests breakeven" "(did you mean 'breakeven'?)" help breakevn

# sweep_usage DESCRIPTION SUBSTRING COMMAND ARGS...: `capmix COMMAND -o DIR
# --trials 300 --no-plots ARGS...` exits 2 with SUBSTRING on stderr, nothing
# on stdout and no output folder.  (The options go first: the last of ARGS
# stays the last argument.)
sweep_usage() {
    su_desc=$1
    su_sub=$2
    su_cmd=$3
    shift 3
    rm -rf "$sw/never"
    cm 20 "$su_cmd" -o "$sw/never" --trials 300 --no-plots "$@" >"$tmp/u.out" 2>"$tmp/u.err"
    su_rc=$?
    su_why=""
    [ "$su_rc" -eq 2 ] || su_why="exit status $su_rc, want 2
"
    grep -F -q -e "$su_sub" "$tmp/u.err" || su_why="${su_why}stderr lacks '$su_sub'
"
    [ -s "$tmp/u.out" ] && su_why="${su_why}stdout is not empty
"
    [ -e "$sw/never" ] && su_why="${su_why}the output folder was created
"
    check "usage: $su_cmd $su_desc" "$su_why" "$tmp/u.err" "$tmp/u.out"
    rm -rf "$sw/never"
}

HR='offshore/pod.hourly_rate=40:120:3'
BM=blended_cost.mean
sweep_usage "without a file" "sweep: give exactly one scenario file" sweep --set "$HR" --metric "$BM"
sweep_usage "with two files" "sweep: give exactly one scenario file" sweep "$SR" "$TB" --set "$HR" --metric "$BM"
sweep_usage "unknown option" "sweep: unknown option '--bogus'" sweep "$SR" --set "$HR" --metric "$BM" --bogus
sweep_usage "--metric without its value" "option '--metric' needs a value" sweep "$SR" --set "$HR" --metric
sweep_usage "--trials 0 (an option of run)" "--trials needs a whole number from 2 to 100000000, not '0'" sweep "$SR" --set "$HR" --metric "$BM" --trials 0
sweep_usage "without --set and without a sweep: section" "sweep: give --set PATH=LO:HI:N and --metric METRIC.STAT" sweep "$SR" --metric "$BM"
sweep_usage "without --metric and without a sweep: section" "sweep: give --set PATH=LO:HI:N and --metric METRIC.STAT" sweep "$SR" --set "$HR"
sweep_usage "--set a=1:2 (no N)" "--set needs PATH=LO:HI:N with decimal numbers, not 'a=1:2'" sweep "$SR" --set a=1:2 --metric "$BM"
sweep_usage "--set x.y=2:1:3 (high to low)" "--set: the range 2:1 must go from low to high" sweep "$SR" --set x.y=2:1:3 --metric "$BM"
sweep_usage "--set x.y=1:1:3 (an empty range)" "--set: the range 1:1 must go from low to high" sweep "$SR" --set x.y=1:1:3 --metric "$BM"
sweep_usage "--set x.y=0x1:2:3 (hexadecimal)" "--set needs PATH=LO:HI:N with decimal numbers, not 'x.y=0x1:2:3'" sweep "$SR" --set x.y=0x1:2:3 --metric "$BM"
sweep_usage "--set x.y=1:2:1 (one point)" "give 2 to 1000" sweep "$SR" --set x.y=1:2:1 --metric "$BM"
sweep_usage "--set x.y=1:2:1001 (too many points)" "give 2 to 1000" sweep "$SR" --set x.y=1:2:1001 --metric "$BM"
sweep_usage "--set x.y=1:2:2.5 (N not whole)" "--set needs PATH=LO:HI:N" sweep "$SR" --set x.y=1:2:2.5 --metric "$BM"
sweep_usage "--set x.y=nan:2:3" "--set needs PATH=LO:HI:N with decimal numbers" sweep "$SR" --set x.y=nan:2:3 --metric "$BM"
sweep_usage "--set =1:2:3 (no path)" "--set needs PATH=LO:HI:N" sweep "$SR" --set =1:2:3 --metric "$BM"
# An empty field is not a number: LO:HI::N and :LO:HI:N are not LO:HI:N.
sweep_usage "--set with an empty field (40:120::3)" "--set needs PATH=LO:HI:N" sweep "$SR" --set 'offshore/pod.hourly_rate=40:120::3' --metric "$BM"
sweep_usage "--set with an empty first field (:40:120:3)" "--set needs PATH=LO:HI:N" sweep "$SR" --set 'offshore/pod.hourly_rate=:40:120:3' --metric "$BM"
sweep_usage "unknown metric suggests the nearest" "unknown metric 'blended_cst' (did you mean 'blended_cost'?)" sweep "$SR" --set "$HR" --metric blended_cst.mean
sweep_usage "a metric without a statistic" "'blended_cost' needs a statistic: blended_cost.mean" sweep "$SR" --set "$HR" --metric blended_cost
sweep_usage "unknown statistic suggests the nearest" "unknown statistic 'p99' (did you mean 'p90'?)" sweep "$SR" --set "$HR" --metric blended_cost.p99
salts=$(sed -n 's/^  - name: *//p' "$SR" | paste -s -d , - | sed 's/,/, /g')
sweep_usage "a path with an unknown alternative lists the alternatives" \
    "path 'ofshore/pod.hourly_rate': no alternative 'ofshore' (alternatives: $salts)" \
    sweep "$SR" --set 'ofshore/pod.hourly_rate=40:120:3' --metric "$BM"
sweep_usage "a path with an unknown source lists the sources" \
    "path 'offshore/pd.hourly_rate': alternative 'offshore' has no source 'pd' (sources: pod)" \
    sweep "$SR" --set 'offshore/pd.hourly_rate=40:120:3' --metric "$BM"
sweep_usage "a path with an unknown key suggests the nearest" \
    "path 'offshore/pod.hourly_rte': 'offshore/pod' has no 'hourly_rte' (did you mean 'hourly_rate'?)" \
    sweep "$SR" --set 'offshore/pod.hourly_rte=40:120:3' --metric "$BM"
sweep_usage "a path ending at a mapping that is not a distribution" \
    "path 'offshore/pod.outcomes' names a mapping, not a number" \
    sweep "$SR" --set 'offshore/pod.outcomes=0.3:0.9:3' --metric "$BM"
sweep_usage "a path going on past a number" "'offshore/pod.hourly_rate' is a number, it has no 'x'" \
    sweep "$SR" --set 'offshore/pod.hourly_rate.x=40:120:3' --metric "$BM"
sweep_usage "a path without a key after the source" "path 'offshore/pod' needs a key after the source" \
    sweep "$SR" --set 'offshore/pod=40:120:3' --metric "$BM"
sweep_usage "a path into a missing section" "path 'calendar.days_per_month': the scenario has no 'calendar' section" \
    sweep "$SR" --set 'calendar.days_per_month=28:31:2' --metric "$BM"
sweep_usage "--between with one name" "sweep: --between needs two alternatives: --between A B" \
    sweep "$SR" --set "$HR" --metric "$BM" --between offshore
sweep_usage "--between with one name before another option" "sweep: --between needs two alternatives" \
    sweep "$SR" --set "$HR" --between offshore --metric "$BM"
sweep_usage "--between naming a missing alternative" "--between: no alternative 'nope' in the scenario" \
    sweep "$SR" --set "$HR" --metric "$BM" --between offshore nope
sweep_usage "--between naming one alternative twice" "--between needs two different alternatives" \
    sweep "$SR" --set "$HR" --metric "$BM" --between offshore offshore
sweep_usage "--x belongs to breakeven" "sweep: option '--x' belongs to 'capmix breakeven'" \
    sweep "$SR" --x "$HR" --metric "$BM"
sweep_usage "--y belongs to breakeven" "sweep: option '--y' belongs to 'capmix breakeven'" \
    sweep "$SR" --set "$HR" --y 'ai-team/team.headcount=2:6' --metric "$BM"
sweep_usage "-o with an empty folder name" "sweep: -o needs a folder name" sweep "$SR" --set "$HR" --metric "$BM" -o ""
# A swept value the scenario rejects: its position in the file, and the value.
hr_line=$(grep -n '^        hourly_rate: 85$' "$SR" | head -n 1 | cut -d: -f1)
sweep_usage "a swept value the scenario rejects (hourly_rate -10): its position and the value" \
    "capmix: $SR:${hr_line:-?}:22: 'hourly_rate' (-10) must not be negative (with the swept value -10)" \
    sweep "$SR" --set 'offshore/pod.hourly_rate=-10:10:3' --metric "$BM"
sweep_usage "a distribution's mode swept out of [min, max]" "(with the swept value 25)" \
    sweep "$SR" --set 'offshore/pod.review_wait_days.mode=4:25:3' --metric "$BM"

TX='ai-team/team.tokens.monthly=10000:120000:3'
TY='ai-team/team.throughput_per_month=2:12'
sweep_usage "without a file" "breakeven: give exactly one scenario file" breakeven --x "$TX" --y "$TY"
sweep_usage "--set belongs to sweep" "breakeven: option '--set' belongs to 'capmix sweep'" breakeven "$TB" --set "$TX"
sweep_usage "without --between (and no breakeven: section)" "breakeven: give --x, --y, --metric and --between" \
    breakeven "$SR" --x 'ai-team/team.headcount=2:6:3' --y 'ai-team/team.throughput_per_month=3:7' --metric "$BM"
sweep_usage "without --y (and no breakeven: section)" "breakeven: give --x, --y, --metric and --between" \
    breakeven "$SR" --x 'ai-team/team.headcount=2:6:3' --metric "$BM" --between ai-team offshore
sweep_usage "--x and --y the same parameter" "breakeven: --x and --y name the same parameter" \
    breakeven "$TB" --x 'ai-team/team.throughput_per_month=2:12:3' --y "$TY"
sweep_usage "--x and --y the same parameter, spelt differently" "breakeven: --x and --y name the same parameter" \
    breakeven "$TB" --x 'ai-team.sources.team.throughput_per_month=2:12:3' --y "$TY"
sweep_usage "--y with a point count" "--y needs PATH=LO:HI with decimal numbers, not 'ai-team/team.throughput_per_month=2:12:3'" \
    breakeven "$TB" --y 'ai-team/team.throughput_per_month=2:12:3'
sweep_usage "--y with an empty field (2::12)" "--y needs PATH=LO:HI" \
    breakeven "$TB" --x "$TX" --y 'ai-team/team.throughput_per_month=2::12'
sweep_usage "--x without a point count" "--x needs PATH=LO:HI:N with decimal numbers, not 'ai-team/team.tokens.monthly=10000:120000'" \
    breakeven "$TB" --x 'ai-team/team.tokens.monthly=10000:120000'
sweep_usage "--between with one name" "breakeven: --between needs two alternatives" breakeven "$TB" --between ai-team
sweep_usage "--between naming a missing alternative" "--between: no alternative 'nope' in the scenario" \
    breakeven "$TB" --between ai-team nope
sweep_usage "a path with an unknown key in --y" "'ai-team/team' has no 'throughput_per_mnth' (did you mean 'throughput_per_month'?)" \
    breakeven "$TB" --y 'ai-team/team.throughput_per_mnth=2:12'
sweep_usage "swept values the scenario rejects: both values" "(with the swept values 10000, -10)" \
    breakeven "$TB" --x "$TX" --y 'offshore/pod.hourly_rate=-10:10' --metric cost_per_outcome.mean
# A bad scenario: the corpus case's message, no output folder.
SB=tests/bad/sweep-unknown-key-typo.yaml
exp=$(head -n 1 "$SB" | sed -n 's/^# expect: //p')
sweep_usage "on a bad scenario: the corpus case's message" "capmix: $SB:$exp" sweep "$SB" --set "$HR" --metric "$BM"

# py_sweep FILE CHECK [ARG...]: checks of sweep.json / breakeven.json.
#   shape PARAM METRIC STAT N LO HI   the parameter, metric and statistic;
#                      "values" the N-point grid from LO to HI; every
#                      crossing between two names, its value inside its
#                      interval and inside [LO, HI]; at least one crossing
#   crossing A B WANT TOL   exactly one crossing between [A, B], within TOL
#                      of WANT
#   value A B          prints the crossing between [A, B]
#   curve X Y METRIC STAT A B N   breakeven.json: x, y, metric, statistic,
#                      between [A, B], wins_above one of them, evaluations
#                      a positive integer, a curve of N points
#   none N             breakeven.json: N points, none with a y
py_sweep() {
    python3 -c '
import json, sys
f, what, args = sys.argv[1], sys.argv[2], sys.argv[3:]
def bad_const(tok):
    raise ValueError("not JSON: " + tok)
d = json.load(open(f), parse_constant=bad_const)
def num(x):
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        raise SystemExit("not a number: %r" % (x,))
    return float(x)
bad = []
def crossings():
    c = d.get("crossings")
    if not isinstance(c, list):
        raise SystemExit("crossings is not a list: %r" % (c,))
    return c
if what == "shape":
    param, metric, stat, n, lo, hi = args[0], args[1], args[2], int(args[3]), float(args[4]), float(args[5])
    for k, v in (("parameter", param), ("metric", metric), ("statistic", stat)):
        if d.get(k) != v:
            bad.append("%s %r, want %r" % (k, d.get(k), v))
    vals = d.get("values")
    if not isinstance(vals, list) or len(vals) != n:
        bad.append("values %r: want %d points" % (vals, n))
    else:
        for i, v in enumerate(vals):
            w = lo + (hi - lo) * i / (n - 1)
            if abs(num(v) - w) > 1e-9 * max(1, abs(w)):
                bad.append("values[%d] = %r, want %r" % (i, v, w))
    c = crossings()
    if not c:
        bad.append("no crossings")
    for x in c:
        b = x.get("between")
        if not isinstance(b, list) or len(b) != 2 or not all(isinstance(s, str) and s for s in b) or b[0] == b[1]:
            bad.append("crossing between %r: want two names" % (b,))
        v, iv = num(x.get("value")), x.get("interval")
        if not isinstance(iv, list) or len(iv) != 2:
            bad.append("crossing %r: interval is not [lo, hi]" % (x,))
        elif not num(iv[0]) <= v <= num(iv[1]):
            bad.append("crossing %r: value outside its interval" % (x,))
        if not lo <= v <= hi:
            bad.append("crossing %r: value outside the range %r to %r" % (x, lo, hi))
elif what in ("crossing", "value"):
    hits = [x for x in crossings() if x.get("between") == args[:2]]
    if len(hits) != 1:
        sys.exit("%d crossings between %r, want 1 (crossings: %r)" % (len(hits), args[:2], crossings()))
    v = num(hits[0].get("value"))
    if what == "value":
        print(repr(v))
    elif abs(v - float(args[2])) > float(args[3]):
        bad.append("crossing at %r, want %s within %s" % (v, args[2], args[3]))
elif what == "curve":
    xp, yp, metric, stat, a, b, n = args[0], args[1], args[2], args[3], args[4], args[5], int(args[6])
    for k, v in (("x", xp), ("y", yp), ("metric", metric), ("statistic", stat), ("between", [a, b])):
        if d.get(k) != v:
            bad.append("%s %r, want %r" % (k, d.get(k), v))
    if d.get("wins_above") not in (a, b):
        bad.append("wins_above %r, want %r or %r" % (d.get("wins_above"), a, b))
    e = d.get("evaluations")
    if not isinstance(e, int) or isinstance(e, bool) or e < 1:
        bad.append("evaluations %r: want a positive integer" % (e,))
    c = d.get("curve")
    if not isinstance(c, list) or len(c) != n:
        bad.append("curve %r: want %d points" % (c, n))
elif what == "none":
    c = d.get("curve")
    if not isinstance(c, list) or len(c) != int(args[0]):
        bad.append("curve %r: want %s points" % (c, args[0]))
    else:
        for p in c:
            if p.get("y") is not None:
                bad.append("a crossing at x %r: y %r" % (p.get("x"), p.get("y")))
else:
    sys.exit("py_sweep: unknown check " + what)
if bad:
    sys.exit("\n".join(bad[:10]))
' "$@"
}

# sweep_py DESCRIPTION FILE CHECK [ARG...]: a py_sweep check as a test line.
sweep_py() {
    sp_desc=$1
    shift
    if [ "$HAVE_PY" -ne 1 ]; then
        skip "$sp_desc (python3 is not installed)"
        return
    fi
    if [ ! -f "$1" ]; then
        not_ok "$sp_desc" "no $1"
        return
    fi
    py_sweep "$@" >"$tmp/e" 2>&1
    sp_rc=$?
    sp_why=""
    [ "$sp_rc" -eq 0 ] || sp_why="$(cat "$tmp/e")"
    check "$sp_desc" "$sp_why"
}

# crlf_rows FILE ROWS: FILE has a header and ROWS rows, every line ending
# in CRLF, all with the same number of fields; prints the problems.
crlf_rows() {
    if [ ! -f "$1" ]; then
        echo "no $(basename "$1")"
        return
    fi
    cr_lines=$(wc -l <"$1" | tr -d ' ')
    cr_crs=$(tr -cd '\r' <"$1" | wc -c | tr -d ' ')
    [ "$cr_lines" -eq $(($2 + 1)) ] || echo "$(basename "$1"): $cr_lines lines, want a header and $2 rows"
    [ "$cr_crs" -eq "$cr_lines" ] || echo "$(basename "$1"): $cr_crs of $cr_lines lines end in CRLF"
    cr_nf=$(tr -d '\r' <"$1" | awk -F, '{ print NF }' | sort -u | wc -l | tr -d ' ')
    [ "$cr_nf" -eq 1 ] || echo "$(basename "$1"): rows have different numbers of fields"
}

# A sweep that works: the offshore pod's rate from 40 to 120.
cm 60 sweep "$SR" --set 'offshore/pod.hourly_rate=40:120:5' --metric blended_cost.mean --trials 500 \
    -o "$sw/main" >"$sw/main.out" 2>"$sw/main.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for want in sweep.csv sweep.json sweep.gp; do
    [ -s "$sw/main/$want" ] || why="${why}no $want
"
done
left=$(leftovers "$sw/main")
[ -z "$left" ] || why="${why}temporary files left: $left
"
grep -q "^crossing: 'ai-team' and 'offshore' are equal at offshore/pod.hourly_rate = " "$sw/main.out" ||
    why="${why}no 'crossing: 'ai-team' and 'offshore' are equal at offshore/pod.hourly_rate = ' line on stdout
"
check "sweep $SR --set offshore/pod.hourly_rate=40:120:5 --metric blended_cost.mean --trials 500 -o DIR: exit 0, sweep.csv, sweep.json, sweep.gp, crossings on stdout" \
    "$why" "$sw/main.err" "$sw/main.out"
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    [ -s "$sw/main/sweep.png" ] || why="no sweep.png"
    grep -q 'warning' "$sw/main.err" && why="${why}a warning: $(grep 'warning' "$sw/main.err")"
    check "sweep, gnuplot installed: sweep.png is drawn, no warning" "$why" "$sw/main.err"
else
    skip "sweep: sweep.png is drawn (gnuplot is not installed)"
fi
nalt=$(grep -c '^  - name:' "$SR")
why=$(crlf_rows "$sw/main/sweep.csv" 5)
if [ -f "$sw/main/sweep.csv" ]; then
    head -n 1 "$sw/main/sweep.csv" | tr -d '\r' | grep -q '^"offshore/pod.hourly_rate","offshore","offshore.se","offshore.p10","offshore.p90",' ||
        why="${why}
the header does not start with the parameter and offshore's four columns"
    nf=$(head -n 1 "$sw/main/sweep.csv" | awk -F, '{ print NF }')
    [ "$nf" -eq $((1 + 4 * nalt)) ] || why="${why}
the header has $nf fields, want 1 + 4 x $nalt alternatives"
fi
check "sweep.csv: a header (the parameter, then value, se, p10, p90 per alternative) and 5 CRLF rows" "$why"
sweep_py "sweep.json: parameter, metric, statistic, the 5 values from 40 to 120, crossings with the value inside its interval and the range" \
    "$sw/main/sweep.json" shape offshore/pod.hourly_rate blended_cost mean 5 40 120
# Common random numbers: only the offshore pod's rate changes, so only its
# column moves (and pod-plus-coach, with a source of the same name, not).
if [ -f "$sw/main/sweep.csv" ]; then
    why=$(tr -d '\r' <"$sw/main/sweep.csv" | awk -F, '
        NR == 1 { for (i = 2; i <= NF; i++) if ($i == "\"offshore\"") c = i; next }
        NR == 2 { prev = $c; for (i = 2; i <= NF; i++) first[i] = $i; next }
        {
            if (!($c + 0 > prev + 0)) printf "offshore: %s after %s (row %d)\n", $c, prev, NR - 1
            prev = $c
            for (i = 2; i <= NF; i++)
                if ((i < c || i > c + 3) && $i != first[i])
                    printf "column %d changed on row %d: %s, was %s\n", i, NR - 1, $i, first[i]
        }
        END { if (!c) print "no offshore column" }' | head -n 10)
    check "sweep.csv: offshore increases strictly with its rate; every other alternative's columns are identical on all rows" "$why"
fi

# The crossing against an analytic answer.  Consultants on a monthly fee,
# one lane each, items of size 1, 30-day months, all accepted: 24 outcomes
# take 24 / T months, so cost_per_outcome is fee / T exactly, for 'fast'
# 30000 / T and for 'si' 45000 / 6 = 7500: equal at T = 4.
cat >"$sw/fee.yaml" <<'EOF'
capmix: 1
calendar: {days_per_month: 30}
work: {outcomes: 24, horizon_days: 1095}
alternatives:
  - name: fast
    sources:
      - kind: consultants
        monthly_fee: 30000
        throughput_per_month: 6
        item_size: 1
        outcomes: {accepted: 1}
  - name: si
    sources:
      - kind: consultants
        monthly_fee: 45000
        throughput_per_month: 6
        item_size: 1
        outcomes: {accepted: 1}
EOF
FT='fast/consultants.throughput_per_month'
cm 60 sweep "$sw/fee.yaml" --set "$FT=2:8:4" --metric cost_per_outcome.mean --between fast si \
    --trials 300 --no-plots -o "$sw/fee" >"$sw/fee.out" 2>"$sw/fee.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
if [ -f "$sw/fee/sweep.csv" ]; then
    got=$(tr -d '\r' <"$sw/fee/sweep.csv" | awk -F, 'NR > 1 { printf "%s:%s:%s ", $1, $2, $6 }')
    [ "$got" = "2:15000:7500 4:7500:7500 6:5000:7500 8:3750:7500 " ] ||
        why="${why}value:fast:si on the rows are '$got', want 2:15000:7500 4:7500:7500 6:5000:7500 8:3750:7500
"
else
    why="${why}no sweep.csv
"
fi
check "sweep of fee.yaml --set $FT=2:8:4: exit 0, cost_per_outcome.mean is fee / throughput exactly" "$why" "$sw/fee.err"
sweep_py "sweep of fee.yaml (2:8:4) --between fast si: one crossing, within 4e-3 of the analytic 4" \
    "$sw/fee/sweep.json" crossing fast si 4 0.004
cm 60 sweep "$sw/fee.yaml" --set "$FT=2:8:5" --metric cost_per_outcome.mean --between fast si \
    --trials 300 --no-plots -q -o "$sw/fee5" 2>"$sw/fee5.err"
sweep_py "sweep of fee.yaml (2:8:5, 4 between grid points): Brent finds the crossing within 4e-3 of 4" \
    "$sw/fee5/sweep.json" crossing fast si 4 0.004
# A crossing on an end of the range is a crossing whichever way round
# --between names the pair (the difference's sign does not matter).
for g in 2:4:3 4:8:3; do
    for pair in "fast si" "si fast"; do
        # shellcheck disable=SC2086
        cm 60 sweep "$sw/fee.yaml" --set "$FT=$g" --metric cost_per_outcome.mean --between $pair \
            --trials 300 --no-plots -q -o "$sw/end" 2>"$sw/end.err"
        # shellcheck disable=SC2086
        sweep_py "sweep of fee.yaml ($g, the crossing at an end) --between $pair: the crossing at 4 is found" \
            "$sw/end/sweep.json" crossing $pair 4 0.004
        rm -rf "$sw/end"
    done
done

# Sweeping a whole-number parameter (work.outcomes) on a grid of whole
# numbers: the crossing is solved between grid points, at values the
# scenario would refuse.  The sweep must not fail on a value nobody asked
# for: exit 0 with its results, or exit 2 before simulating anything.
sed 's/^        monthly_fee: 30000$/        monthly_fee: 30000\
        onboarding_cost: 60000/' "$sw/fee.yaml" >"$sw/onboard.yaml"
if grep -q '^        onboarding_cost: 60000$' "$sw/onboard.yaml"; then
    cm 60 sweep "$sw/onboard.yaml" --set 'work.outcomes=10:30:3' --metric cost_per_outcome.mean --between fast si \
        --trials 300 --no-plots -o "$sw/int" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    case $rc in
    0) [ -s "$sw/int/sweep.csv" ] || why="exit 0 without sweep.csv
" ;;
    2) [ -s "$tmp/o" ] && why="exit 2 after printing results
"
       [ -e "$sw/int" ] && why="${why}exit 2, but the output folder was created
" ;;
    *) why="exit status $rc, want 0 (or 2 before simulating)
" ;;
    esac
    check "sweep --set work.outcomes=10:30:3 (whole numbers; a crossing between 20 and 30): no failure on a value off the grid" \
        "$why" "$tmp/e" "$tmp/o"
else
    not_ok "add onboarding_cost to a copy of fee.yaml" "the copy is not as expected"
fi

# The same crossing as `capmix bid`: cost_total.mean of a fixed bid is
# linear in its price, so the price where it meets the mix's is the
# break-even price at risk neutrality, on the same trials.
if [ "$HAVE_PY" -eq 1 ]; then
    cm 60 bid "$FB" --trials 1000 --no-plots -q --risk-tolerance infinity -o "$sw/bid" 2>"$sw/bid.err"
    cm 60 sweep "$FB" --set 'partner-fixed-bid.fixed_bid.price=500000:1200000:3' --metric cost_total.mean \
        --between partner-fixed-bid offshore --trials 1000 --no-plots -q -o "$sw/price" 2>"$sw/price.err"
    be=$(py_bid "$sw/bid/summary.json" break_even partner-fixed-bid offshore cost_total 2>"$tmp/e")
    cx=$(py_sweep "$sw/price/sweep.json" value partner-fixed-bid offshore 2>>"$tmp/e")
    why=""
    if [ -z "$be" ] || [ -z "$cx" ]; then
        why="break-even '$be', crossing '$cx'"
    else
        python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-6 * abs(a))' "$be" "$cx" ||
            why="sweep's crossing $cx != bid's break_even_price $be"
    fi
    check "sweep of $FB's price on cost_total.mean: the crossing with offshore is bid's break-even price at risk neutrality" "$why" "$tmp/e" "$sw/price.err"
else
    skip "sweep of a fixed bid's price meets bid's break-even price (python3 is not installed)"
fi

# Reproducibility: the thread count does not change the numbers; the seed does.
for r in t1:1:20261123 t2:2:20261123 s2:1:2; do
    n=${r%%:*}
    th=${r#*:}
    se=${th#*:}
    th=${th%%:*}
    cm 60 sweep "$SR" --set 'offshore/pod.hourly_rate=40:120:3' --metric blended_cost.p90 --trials 1000 \
        --no-plots -q --threads "$th" --seed "$se" -o "$sw/$n" 2>"$sw/$n.err"
done
if [ -f "$sw/t1/sweep.csv" ] && cmp -s "$sw/t1/sweep.csv" "$sw/t2/sweep.csv"; then
    ok "sweep --threads 1 and --threads 2: byte-identical sweep.csv"
else
    not_ok "sweep --threads 1 and --threads 2: byte-identical sweep.csv" \
        "$(diff "$sw/t1/sweep.csv" "$sw/t2/sweep.csv" 2>&1 | head -n 6)"
fi
if [ -f "$sw/t1/sweep.csv" ] && [ -f "$sw/s2/sweep.csv" ] && ! cmp -s "$sw/t1/sweep.csv" "$sw/s2/sweep.csv"; then
    ok "sweep --seed 20261123 and --seed 2: different sweep.csv"
else
    not_ok "sweep --seed 20261123 and --seed 2: different sweep.csv" "the same results (or no results)"
fi

# sweep --quiet prints nothing.
cm 60 sweep "$SR" --set 'offshore/pod.hourly_rate=40:120:3' --metric blended_cost.mean --trials 300 --no-plots -q \
    >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "sweep --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

# The scenario's sweep: section supplies --set, --metric and --between.
sset=$(awk '/^sweep:/ { s = 1; next } /^[^ ]/ { s = 0 } s && /^  set: / { print $2; exit }' "$TB")
smetric=$(awk '/^sweep:/ { s = 1; next } /^[^ ]/ { s = 0 } s && /^  metric: / { print $2; exit }' "$TB")
spath=${sset%%=*}
srange=${sset#*=}
slo=${srange%%:*}
sn=${srange##*:}
shi=${srange#*:}
shi=${shi%%:*}
if [ -z "$sset" ] || [ -z "$smetric" ] || [ -z "$sn" ]; then
    not_ok "read the sweep: section of $TB" "set '$sset', metric '$smetric'"
else
    cm 60 sweep "$TB" --trials 300 --no-plots -o "$sw/file" >"$sw/file.out" 2>"$sw/file.err"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    why="$why$(crlf_rows "$sw/file/sweep.csv" "$sn")"
    check "sweep $TB --trials 300 (no --set, --metric): exit 0, $sn rows from the file's sweep: section" "$why" "$sw/file.err" "$sw/file.out"
    if [ "$HAVE_PY" -eq 1 ] && [ -f "$sw/file/sweep.json" ]; then
        python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = {"parameter": sys.argv[2], "metric": sys.argv[3].split(".")[0], "statistic": sys.argv[3].split(".")[1]}
bad = ["%s %r, want %r" % (k, d.get(k), v) for k, v in want.items() if d.get(k) != v]
n, lo, hi = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
v = d.get("values")
if not isinstance(v, list) or len(v) != n or v[0] != lo or v[-1] != hi:
    bad.append("values %r, want %d from %r to %r" % (v, n, lo, hi))
sys.exit("\n".join(bad))' "$sw/file/sweep.json" "$spath" "$smetric" "$sn" "$slo" "$shi" >"$tmp/e" 2>&1
        rc=$?
        why=""
        [ "$rc" -eq 0 ] || why="$(cat "$tmp/e")"
        check "sweep with the file's sweep: section: sweep.json parameter $spath, $smetric, $sn values from $slo to $shi" "$why"
    else
        skip "sweep with the file's sweep: section: sweep.json (python3 is not installed, or no sweep.json)"
    fi
fi
# The section's between: in a copy naming the pair the other way round,
# stdout names it that way round.
awk '/^sweep:/ { s = 1; print; next } /^[^ ]/ { s = 0 }
     s && /^  between: / { print "  between: [offshore, ai-team]"; next } { print }' "$TB" >"$sw/tb-between.yaml"
if [ "$(grep -c '^  between: \[offshore, ai-team\]$' "$sw/tb-between.yaml")" -eq 1 ]; then
    cm 60 sweep "$sw/tb-between.yaml" --trials 300 --no-plots >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    grep -q "crossing.*'offshore' and 'ai-team'" "$tmp/o" || why="${why}stdout does not name 'offshore' and 'ai-team' in that order
"
    grep -q "'ai-team' and 'offshore'" "$tmp/o" && why="${why}stdout names 'ai-team' and 'offshore'
"
    check "sweep: the sweep: section's between [offshore, ai-team] picks the pair" "$why" "$tmp/o" "$tmp/e"
else
    not_ok "set the sweep: section's between in a copy of $TB" "the copy is not as expected"
fi
# The command line wins over the section.
cm 60 sweep "$TB" --trials 300 --no-plots -q --metric cost_total.mean -o "$sw/file-cli" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
grep -q '"metric": *"cost_total"' "$sw/file-cli/sweep.json" 2>/dev/null || why="${why}sweep.json's metric is not cost_total
"
check "sweep $TB --metric cost_total.mean: the command line wins over the sweep: section" "$why" "$tmp/e"

# Break-even: x from the command line; y, metric and between from the file.
bset=$(awk '/^breakeven:/ { s = 1; next } /^[^ ]/ { s = 0 } s && /^  y: / { print $2; exit }' "$TB")
ypath=${bset%%=*}
yr=${bset#*=}
ylo=${yr%%:*}
yhi=${yr#*:}
bmetric=$(awk '/^breakeven:/ { s = 1; next } /^[^ ]/ { s = 0 } s && /^  metric: / { print $2; exit }' "$TB")
cm 60 breakeven "$TB" --x "$TX" --trials 400 -o "$sw/be" >"$sw/be.out" 2>"$sw/be.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for want in breakeven.csv breakeven.json breakeven.gp; do
    [ -s "$sw/be/$want" ] || why="${why}no $want
"
done
left=$(leftovers "$sw/be")
[ -z "$left" ] || why="${why}temporary files left: $left
"
check "breakeven $TB --x $TX --trials 400 -o DIR: exit 0, breakeven.csv, breakeven.json, breakeven.gp" "$why" "$sw/be.err" "$sw/be.out"
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    [ -s "$sw/be/breakeven.png" ] || why="no breakeven.png"
    check "breakeven, gnuplot installed: breakeven.png is drawn" "$why" "$sw/be.err"
else
    skip "breakeven: breakeven.png is drawn (gnuplot is not installed)"
fi
why=$(crlf_rows "$sw/be/breakeven.csv" 3)
if [ -f "$sw/be/breakeven.csv" ] && [ -n "$ylo" ] && [ -n "$yhi" ]; then
    head -n 1 "$sw/be/breakeven.csv" | tr -d '\r' | grep -q "^\"${TX%%=*}\",\"$ypath\",\"lo\",\"hi\"\$" ||
        why="${why}
the header is not \"${TX%%=*}\",\"$ypath\",\"lo\",\"hi\""
    why="$why$(tr -d '\r' <"$sw/be/breakeven.csv" | awk -F, -v ylo="$ylo" -v yhi="$yhi" '
        NR == 1 { next }
        {
            if (!($2 + 0 >= ylo + 0 && $2 + 0 <= yhi + 0)) printf "\nx %s: y %s outside [%s, %s]", $1, $2, ylo, yhi
            if (!($3 + 0 <= $2 + 0 && $2 + 0 <= $4 + 0)) printf "\nx %s: y %s outside its interval [%s, %s]", $1, $2, $3, $4
            if (NR > 2 && !($1 + 0 > px + 0)) printf "\nx %s after %s", $1, px
            if (NR > 2 && !($2 + 0 > py + 0)) printf "\ny %s at x %s is not above y %s at x %s", $2, $1, py, px
            px = $1; py = $2
        }')"
fi
check "breakeven.csv: a header and 3 CRLF rows, y within [$ylo, $yhi] and its [lo, hi], y increasing with x (more token spend needs more uplift)" "$why"
sweep_py "breakeven.json: x, y, metric and between (from the file), wins_above one of the pair, evaluations, a curve of 3 points" \
    "$sw/be/breakeven.json" curve "${TX%%=*}" "$ypath" "${bmetric%%.*}" "${bmetric#*.}" ai-team offshore 3
why=""
grep -q "^'ai-team' wins above the curve, 'offshore' below it" "$sw/be.out" ||
    why="stdout lacks \"'ai-team' wins above the curve, 'offshore' below it\""
grep -q '"wins_above": *"ai-team"' "$sw/be/breakeven.json" 2>/dev/null || why="${why}
breakeven.json's wins_above is not ai-team"
check "breakeven: stdout and breakeven.json say 'ai-team' wins above the curve (more throughput)" "$why" "$sw/be.out"

# Reproducibility of the curve.
for t in 1 2; do
    cm 60 breakeven "$TB" --x "$TX" --trials 400 --no-plots -q --threads "$t" -o "$sw/be$t" 2>"$sw/be$t.err"
done
if [ -f "$sw/be1/breakeven.csv" ] && cmp -s "$sw/be1/breakeven.csv" "$sw/be2/breakeven.csv"; then
    ok "breakeven --threads 1 and --threads 2: byte-identical breakeven.csv"
else
    not_ok "breakeven --threads 1 and --threads 2: byte-identical breakeven.csv" \
        "$(diff "$sw/be1/breakeven.csv" "$sw/be2/breakeven.csv" 2>&1 | head -n 6)"
fi

# A y range with no crossing: exit 0, "no crossing" for each x.
cm 60 breakeven "$TB" --x "$TX" --y 'ai-team/team.throughput_per_month=20:30' --trials 400 \
    -o "$sw/none" >"$sw/none.out" 2>"$sw/none.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
n=$(grep -c '(no crossing for y in 20 to 30: .* wins there)' "$sw/none.out")
[ "$n" -eq 3 ] || why="${why}$n lines with '(no crossing for y in 20 to 30: X wins there)' on stdout, want 3 (one per x)
"
why="$why$(crlf_rows "$sw/none/breakeven.csv" 0)"
check "breakeven --y ...=20:30 (no crossing): exit 0, 'no crossing' for each of 3 x, breakeven.csv a header only" "$why" "$sw/none.out" "$sw/none.err"
sweep_py "breakeven with no crossing: breakeven.json has 3 points, all with y null" "$sw/none/breakeven.json" none 3
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    [ -s "$sw/none/breakeven.png" ] || why="no breakeven.png
"
    grep -q 'gnuplot failed' "$sw/none.err" && why="${why}$(grep 'gnuplot failed' "$sw/none.err")"
    check "breakeven with no crossing, gnuplot installed: breakeven.png is drawn (gnuplot does not fail on its script)" "$why" "$sw/none.err"
else
    skip "breakeven with no crossing: breakeven.png is drawn (gnuplot is not installed)"
fi

# breakeven --quiet prints nothing.
cm 60 breakeven "$TB" --x "$TX" --trials 300 --no-plots -q >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "breakeven --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

# ---------------------------------------------------------------- 11. init
# A starter scenario per kind, valid as written; errors are usage errors.
for k in in_house ai_team offshore_pod staff_augmentation consultants; do
    cm 20 init --kind "$k" >"$tmp/init_$k.yaml" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="init exit status $rc
"
    cm 20 validate -q "$tmp/init_$k.yaml" 2>>"$tmp/e" || why="${why}the starter does not validate
"
    check "init --kind $k writes a scenario that validates" "$why" "$tmp/e"
done
cm 60 init --kind in_house --kind ai_team --kind offshore_pod --kind staff_augmentation --kind consultants \
    -o "$tmp/init_all.yaml" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc
"
cm 60 run "$tmp/init_all.yaml" --trials 500 -q 2>>"$tmp/e" || why="${why}the five-kind starter does not run
"
check "init with every kind, -o FILE: the file runs" "$why" "$tmp/e"
usage_error "init -o an existing file without --force" "exists; keep it, or overwrite with --force" init -o "$tmp/init_all.yaml"
usage_error "init --kind with a typo suggests the kind" "unknown kind 'ofshore_pod' (did you mean 'offshore_pod'?)" init --kind ofshore_pod
usage_error "init --kind twice" "given twice" init --kind ai_team --kind ai_team
cm 20 init -o "$tmp/init_all.yaml" --force >"$tmp/o" 2>"$tmp/e"
check "init --force overwrites" "$( [ $? -eq 0 ] || echo "exit status not 0")" "$tmp/e"
cm 20 init --help >"$tmp/o" 2>"$tmp/e"
check "init --help" "$(grep -q 'usage: capmix init' "$tmp/o" || echo 'no usage on stdout')" "$tmp/o"

# ------------------------------------------------------- 12. replay, report
# A finished run is reproduced from its summary.json, and its report rebuilt.
cm 60 bid scenarios/fixed-bid-offer.yaml --trials 1500 --risk-tolerance 1500000 -q --no-plots \
    -o "$tmp/rp" >"$tmp/o" 2>"$tmp/e"
cm 60 run --replay "$tmp/rp/summary.json" --threads 1 >"$tmp/o" 2>"$tmp/e"
rc=$?
check "run --replay reproduces a bid run byte for byte" \
    "$( [ $rc -eq 0 ] && grep -q 'reproduced' "$tmp/o" || echo "exit $rc, or no 'reproduced'")" "$tmp/o" "$tmp/e"
sed 's/"p_mix_cheaper": 0\./"p_mix_cheaper": 0.000/' "$tmp/rp/summary.json" >"$tmp/tampered.json"
if cmp -s "$tmp/tampered.json" "$tmp/rp/summary.json"; then
    skip "run --replay on a tampered summary.json (the sed found nothing to change)"
else
    cm 60 run --replay "$tmp/tampered.json" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    check "run --replay on a tampered summary.json: exit 1, 'differs'" \
        "$( [ $rc -eq 1 ] && grep -q 'differs' "$tmp/e" || echo "exit $rc")" "$tmp/e"
fi
cp scenarios/pod-run-rate.yaml "$tmp/pr.yaml"
cm 60 run "$tmp/pr.yaml" --trials 500 -q -o "$tmp/rp2" >"$tmp/o" 2>"$tmp/e"
echo "# edited" >>"$tmp/pr.yaml"
usage_error "run --replay after the scenario changed" "the scenario changed since the run" run --replay "$tmp/rp2/summary.json"
usage_error "run --replay with a scenario too" "--replay takes the run's summary.json" run --replay "$tmp/rp/summary.json" scenarios/pod-run-rate.yaml
usage_error "run --replay on a file that is not a summary" "not valid JSON" run --replay scenarios/pod-run-rate.yaml
rm -f "$tmp/rp/report.html" "$tmp/rp/report.md"
cm 60 report "$tmp/rp" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
[ -s "$tmp/rp/report.html" ] && [ -s "$tmp/rp/report.md" ] || why="${why}no report.html/report.md
"
grep -q 'verdict' "$tmp/rp/report.html" 2>/dev/null || why="${why}the rebuilt report has no verdict
"
check "capmix report DIR rebuilds report.html and report.md" "$why" "$tmp/o" "$tmp/e"
usage_error "capmix report without a folder" "report: give the output folder" report
usage_error "capmix report on a folder without summary.json" "cannot open" report "$tmp"

# ------------------------------------------------------------ 13. precision
# backlog24: delivery_day ~ 5·Σ24 Triangular(0.4, 0.8, 1.8), mean 120, sd
# 7.2111.  At 0.1 % the mean needs (0.0601/0.001)² ≈ 3,600 trials (met at the
# first 4,096), but P90's 90 % interval (density 0.0243 there) needs
# (1.645·0.3/0.0243/129.2/0.001)² ≈ 24,600: the doubling stops at 32,768.
cm 120 run tests/bench/backlog24.yaml --precision 0.1% --precision-metric delivery_day -q \
    -o "$tmp/prec" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
grep -q '"trials": 32768,' "$tmp/prec/summary.json" 2>/dev/null || why="${why}trials is not 32768
"
grep -q '"met": true' "$tmp/prec/summary.json" 2>/dev/null || why="${why}convergence not met
"
check "run --precision 0.1% on backlog24's delivery day stops at the expected 32,768 trials" "$why" "$tmp/e"
cm 120 run --replay "$tmp/prec/summary.json" >"$tmp/o" 2>"$tmp/e"
check "run --replay of a --precision run reproduces it" "$( [ $? -eq 0 ] || echo "exit not 0")" "$tmp/e"
usage_error "--precision with --trials" "give --trials or --precision, not both" run tests/bench/backlog24.yaml --precision 1% --trials 5000
usage_error "--precision 0" "--precision needs a relative error" run tests/bench/backlog24.yaml --precision 0
usage_error "--precision-metric typo" "did you mean 'delivery_day'" run tests/bench/backlog24.yaml --precision 1% --precision-metric delivery_dy

# -------------------------------------------------------------- 14. tornado
cm 120 tornado scenarios/offshore-vs-ai.yaml --alternative offshore --trials 2000 -o "$tmp/tor" \
    >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
head -n 3 "$tmp/o" | tail -n 1 | grep -q 'offshore/pod.throughput' || why="${why}the pod's observed throughput (its posterior) is not the widest swing
"
grep -q 'offshore/pod.outcomes.accepted' "$tmp/o" || why="${why}the pod's observed acceptance is not swung
"
grep -q 'offshore/pod.review_wait_days' "$tmp/o" || why="${why}the review wait is not swung
"
[ -s "$tmp/tor/tornado.csv" ] && [ -s "$tmp/tor/tornado.json" ] || why="${why}no tornado.csv/json
"
check "tornado ranks the pod's observed throughput first on cost per outcome, and swings its acceptance and review wait" "$why" "$tmp/o" "$tmp/e"
usage_error "tornado with an unknown alternative" "no alternative 'ofshore' (did you mean 'offshore'?)" tornado scenarios/offshore-vs-ai.yaml --alternative ofshore
usage_error "tornado with a bad metric" "unknown metric" tornado scenarios/offshore-vs-ai.yaml --metric nope.mean
cm 20 tornado --help >"$tmp/o" 2>"$tmp/e"
check "tornado --help" "$(grep -q 'usage: capmix tornado' "$tmp/o" || echo 'no usage')" "$tmp/o"

finish
