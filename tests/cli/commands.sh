#!/bin/sh
# CLI tests for the command table (sim/cli/main.c) and the option table
# parser (sim/cli/opts.c): every command listed by `capmix help` and
# answering `capmix help COMMAND`, --help pages built from the tables,
# usage messages and exit codes, the arguments a run records for
# --replay.  POSIX sh, from the repository root; last line
# "cli: N passed, M failed" (see tests/run-all.sh).
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-commands.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT


S=scenarios/offshore-vs-ai.yaml
FB=scenarios/fixed-bid-offer.yaml

# --- the command table drives the top-level usage and `capmix help` -------
"$BIN" --help >"$T/usage" 2>&1
usage_cmds=$(awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { f = 0 }' "$T/usage")
"$BIN" help >"$T/help" 2>&1
help_cmds=$(awk '/^commands / { f = 1; next } f && /^  [a-z]/ { print $1 }' "$T/help")
n=$(printf '%s\n' "$usage_cmds" | grep -c .)
# every command the CLI declares (sim/cli/cli.h: int cmd_NAME) is listed
declared=$(sed -n 's/^int cmd_\([a-z]*\)(.*/\1/p' sim/cli/cli.h)
nd=$(printf '%s\n' "$declared" | grep -c .)
missing=""
for c in $declared; do
    printf '%s\n' "$usage_cmds" | grep -qx "$c" || missing="$missing $c"
done
check "capmix --help lists every command sim/cli/cli.h declares ($nd)" \
    "$([ "$n" -eq "$nd" ] && [ -z "$missing" ] || echo "$n listed, $nd declared; missing:$missing")" "$T/usage"
check "capmix help lists the same commands as capmix --help, in order" \
    "$([ "$usage_cmds" = "$help_cmds" ] || echo "help lists: $(echo $help_cmds)")" "$T/help"
for c in $usage_cmds; do
    [ "$c" = help ] && continue
    "$BIN" help "$c" >"$T/out" 2>"$T/err"; rc=$?
    check "capmix help $c: exit 0, its usage first" \
        "$([ "$rc" -eq 0 ] && head -1 "$T/out" | grep -q "^usage: capmix $c" || echo "exit $rc")" "$T/out" "$T/err"
    "$BIN" "$c" --help >"$T/out2" 2>"$T/err"; rc=$?
    check "capmix $c --help: exit 0, the page of capmix help $c" \
        "$([ "$rc" -eq 0 ] && head -1 "$T/out2" | grep -q "^usage: capmix $c" || echo "exit $rc")" "$T/out2" "$T/err"
    # the synopsis `capmix help` shows is the command's own
    syn=$(awk -v c="$c" '/^commands / { f = 1 } f && $1 == c { getline; sub(/^ +/, ""); print; exit }' "$T/help")
    check "capmix help shows a synopsis of $c" "$(echo "$syn" | grep -q "^capmix $c" || echo "'$syn'")" "$T/help"
done
expect_rc "capmix help swep: exit 2" 2 "$BIN" help swep
grep_err_F "... and suggests the command from the table" "(did you mean 'sweep'?)"
expect_rc "capmix help portfolio is the command's page: exit 0" 0 "$BIN" help portfolio

# --- --help pages built from the option tables ----------------------------
for c in run bid envelope sweep breakeven tornado validate report; do
    "$BIN" "$c" --help >"$T/out" 2>&1
    check "$c --help prints no doubled '%%' (a printf format shown raw)" \
        "$(grep -F '%%' "$T/out" | head -2)" "$T/out"
done
"$BIN" run --help >"$T/out"
check "run --help: the precision text says 0.5% and 90%" \
    "$(grep -q '(e.g.$' "$T/out" && grep -q '^ *0.5%) and its P90 a 90% interval' "$T/out" || echo missing)" "$T/out"
check "run --help lists every run option, help texts from column 24" \
    "$(for o in '-o, --out DIR' '--trials N' '--seed N' '--threads N' '--export-trials' '--no-plots' \
        '--precision P' '--replay FILE' '--stream' '--above M=V' '--shard I/N' '-q, --quiet' '-h, --help'; do
        grep -qF -- "$o" "$T/out" || echo "no $o"; done
       awk '/^  -o, --out DIR/ { if (index($0, "write") != 24) print "column " index($0, "write") }' "$T/out")" "$T/out"
check "run --help lists no option of bid or envelope" \
    "$(grep -E -- '--risk-tolerance|--month|--actuals' "$T/out")" "$T/out"
"$BIN" bid --help >"$T/out"
check "bid --help lists its own options, not run's one by one" \
    "$(grep -qF -- '--risk-tolerance R' "$T/out" && grep -qF -- '--partner-margin M' "$T/out" &&
        ! grep -qF -- '--precision P' "$T/out" || echo wrong)" "$T/out"

# --- usage errors: one parser, the same words for every command ----------
expect_rc "run: a value missing is exit 2" 2 "$BIN" run "$S" --trials
grep_err_F "... naming the option and the help" "run: option '--trials' needs a value (see 'capmix run --help')"
expect_rc "sweep: an unknown option is exit 2" 2 "$BIN" sweep "$S" --sett x
grep_err_F "... named as given" "sweep: unknown option '--sett' (see 'capmix sweep --help')"
expect_rc "validate: a flag given a value is exit 2" 2 "$BIN" validate --quiet=1 "$S"
grep_err_F "... an unknown option" "validate: unknown option '--quiet=1'"
expect_rc "run --trials x: exit 2" 2 "$BIN" run "$S" --trials x
grep_err_F "... the one number parser's message" "--trials needs a whole number from"
expect_rc "run --threads 0: exit 2" 2 "$BIN" run "$S" --threads 0
grep_err_F "... with the range" "--threads needs a whole number from 1 to 1024, not '0'"
expect_rc "envelope --tolerance 2: exit 2" 2 "$BIN" envelope "$S" --tolerance 2
grep_err_F "... a double out of its range" "--tolerance needs a number from 0 to 1, not '2'"
expect_rc "envelope --risk-tolerance: exit 2" 2 "$BIN" envelope "$S" --risk-tolerance 1000
grep_err_F "... the option belongs to bid, said by envelope" "envelope: option '--risk-tolerance' belongs to 'capmix bid'"
expect_rc "bid --replay: exit 2" 2 "$BIN" bid "$FB" --replay x.json
grep_err_F "... --replay belongs to run" "bid: option '--replay' belongs to 'capmix run'"
expect_rc "tornado --between: exit 2" 2 "$BIN" tornado "$S" --between a b
grep_err_F "... belongs to sweep" "tornado: option '--between' belongs to 'capmix sweep'"
expect_rc "sweep --between with one name: exit 2" 2 "$BIN" sweep "$S" --between a
grep_err_F "... needs two" "sweep: --between needs two alternatives: --between A B"
expect_rc "run -o '': exit 2" 2 "$BIN" run "$S" -o ''
grep_err_F "... a folder name" "run: -o needs a folder name, not an empty string"
expect_rc "report with no folder: exit 2" 2 "$BIN" report
grep_err_F "... says what it needs" "report: give the output folder of a run"
expect_rc "report --zz: exit 2" 2 "$BIN" report --zz
expect_rc "a usage error writes nothing" 2 "$BIN" run "$S" --trials 200 -o "$T/none" --seed x
check "... no output folder" "$([ -e "$T/none" ] && echo exists)"

# --- exit codes come from the diag: runtime failures are 1 ----------------
expect_rc "run -o under a file: exit 1 (a runtime failure)" 1 "$BIN" run "$S" --trials 200 -q -o /dev/null/x
grep_err_F "... with the system's reason" "Not a directory"
expect_rc "tornado -o under a file: exit 1" 1 "$BIN" tornado "$S" --trials 200 -q --no-plots -o /dev/null/x

# --- the arguments a run records (OPT_RECORDED rows) ----------------------
expect_rc "run with recorded and unrecorded options: exit 0" 0 "$BIN" run "$S" --trials 2000 -o "$T/r" \
    --threads 2 -q --seed 5 --no-plots --above cost_total=1 --export-trials
args=$(awk '/"arguments": \[/ { f = 1; next } f && /\]/ { f = 0 } f { gsub(/[ ",]/, ""); printf "%s ", $0 }' \
    "$T/r/summary.json")
check "manifest.arguments: the number-changing options in order, then the scenario" \
    "$([ "$args" = "--trials 2000 --seed 5 --above cost_total=1 --export-trials $S " ] || echo "'$args'")" \
    "$T/r/summary.json"
expect_rc "... and it replays" 0 "$BIN" run --replay "$T/r/summary.json" -q
expect_rc "bid records its own options: exit 0" 0 "$BIN" bid "$FB" --trials 2000 -q --no-plots \
    --risk-tolerance=2000000 -o"$T/b" --partner-margin 0.1
args=$(awk '/"arguments": \[/ { f = 1; next } f && /\]/ { f = 0 } f { gsub(/[ ",]/, ""); printf "%s ", $0 }' \
    "$T/b/summary.json")
check "bid manifest.arguments: --opt=value and -oDIR spellings handled" \
    "$([ "$args" = "--trials 2000 --risk-tolerance=2000000 --partner-margin 0.1 $FB " ] || echo "'$args'")" \
    "$T/b/summary.json"
expect_rc "... and it replays" 0 "$BIN" run --replay "$T/b/summary.json" -q

finish
