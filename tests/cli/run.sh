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
        # spaces, at most 511 bytes), then a caret under the column.
        b_src=$(sed -n "${b_line}p" "$b_f" | tr -d '\r\n' |
            tr '\001-\037' '                               ' | cut -b 1-511)
        if ! grep -F -x -q -e "$(caret_line "$b_col")" "$tmp/bad.err"; then
            b_why="${b_why}no caret line under column $b_col
"
        elif ! grep -F -x -q -e "    $b_src" "$tmp/bad.err"; then
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
usage_error "--trials 0" "--trials needs a whole number from 1 to 100000000, not '0'" run "$S" --trials 0
usage_error "--trials abc" "--trials needs a whole number from 1 to 100000000, not 'abc'" run "$S" --trials abc
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

finish
