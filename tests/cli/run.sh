#!/bin/sh
# CLI tests for `capmix run`: usage errors, the shipped scenarios,
# reproducibility, output files, plots and --quiet, the seed figures and
# --precision.  The other commands have their own scripts beside this one
# (validate.sh holds the bad-input corpus, bid.sh, envelope.sh, sweep.sh,
# breakeven.sh, tornado.sh, init.sh, help.sh, replay.sh).
#
# POSIX sh (runs under dash); run from the repository root:
#
#     sh tests/cli/run.sh
#
# Prints one line per check, "ok - ..." or "not ok - ..." followed by detail
# lines starting with '#', then as its last line "cli: N passed, M failed",
# and exits non-zero when M > 0.  Checks that cannot run here (no python3,
# no gnuplot, running as root) print a "# skip: ..." line and count neither
# way.  Everything is written below one mktemp -d folder, removed on exit.
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup run

# ---------------------------------------------------------------------------
# 1. Usage
# ---------------------------------------------------------------------------

S=scenarios/pod-run-rate.yaml
usage_error "run without a file" "run: give exactly one scenario file" run
usage_error "run with two files" "run: give exactly one scenario file" run "$S" scenarios/ai-team-run-rate.yaml
usage_error "run: unknown option" "run: unknown option '--bogus'" run "$S" --bogus
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
# Numbers are decimal (model §13), on the command line too.
usage_error "--above with a hexadecimal value" "--above" run "$S" --above cost_total=0x10
usage_error "--above more than 8 times" "--above may be given at most 8 times" run "$S" \
    --above cost_total=1 --above cost_total=2 --above cost_total=3 --above cost_total=4 \
    --above cost_total=5 --above cost_total=6 --above cost_total=7 --above cost_total=8 \
    --above cost_total=9
# An empty output folder name is a usage error, found before simulating.
usage_error "-o with an empty folder name" "-o" run "$S" --trials 10 -q -o ""
# The usage says 'help' gives "help on a command or a capacity-source kind".
help_ok "capmix help run (help on a command)" "usage: capmix run" help run
help_ok "capmix run --help" "usage: capmix run SCENARIO.yaml" run --help

# ---------------------------------------------------------------------------
# 2. The shipped scenarios
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
# 3. Reproducibility
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
    python3 tests/lib/same_metrics.py "$rep/a/summary.json" "$rep/less/summary.json" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="the remaining alternatives changed"
    check "removing an alternative leaves the other alternatives' metrics identical" "$why" "$tmp/e" "$rep/less.err"
else
    skip "removing an alternative leaves the others' metrics identical (python3 is not installed)"
fi

# ---------------------------------------------------------------------------
# 4. Output files
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
# 5. Plots and --quiet
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

# ---------------------------------------------------------------------------
# 6. The seed figures (from the --trials 2000 runs of section 2)
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

# ------------------------------------------------------------  7. precision
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

finish
