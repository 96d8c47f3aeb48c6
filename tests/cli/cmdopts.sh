#!/bin/sh
# CLI tests for the option tables of portfolio, track, backtest, calibrate,
# merge and init (sim/cli/opts.h): every option the --help page lists is one
# the parser takes, with or without a value as the page says, and the usage
# errors keep their words and exit status 2.  POSIX sh, from the repository
# root; last line "cli: N passed, M failed" (see tests/run-all.sh).
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-cmdopts.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT


for cmd in portfolio track backtest calibrate merge init; do
    expect_rc "$cmd --help exits 0" 0 "$BIN" "$cmd" --help
    cp "$T/out" "$T/help"
    if [ ! -s "$T/err" ] && head -1 "$T/help" | grep -q "^usage: capmix $cmd"; then ok "$cmd --help: usage on stdout"
    else not_ok "$cmd --help: usage on stdout" "$(head -2 "$T/help")"; fi
    "$BIN" help "$cmd" >"$T/help2" 2>&1
    if cmp -s "$T/help" "$T/help2"; then ok "capmix help $cmd is $cmd --help"
    else not_ok "capmix help $cmd is $cmd --help"; fi
    # the options block: "  -o, --out DIR   text" or "      --name [METAVAR]   text"
    sed -n 's/^  \(-., \)\{0,1\} *--\([a-z][a-z-]*\)\( [A-Z][A-Za-z=-]*\)\{0,1\}  .*/\2\3/p' "$T/help" >"$T/rows"
    n=$(wc -l <"$T/rows")
    if [ "$n" -ge 2 ]; then ok "$cmd --help lists its options ($n)"
    else not_ok "$cmd --help lists its options" "$(cat "$T/help")"; fi
    while read -r name meta; do
        [ "$name" = help ] && continue
        if [ -n "$meta" ]; then
            # a value option as the last argument: its value is missing
            expect_rc "$cmd --$name without its value: exit 2" 2 "$BIN" "$cmd" "--$name"
            grep_err "$cmd --$name without its value: said so" "$cmd: option '--$name' needs a value"
        else
            # a flag is taken: the parser goes on to the next, unknown, option
            expect_rc "$cmd --$name is taken as a flag" 2 "$BIN" "$cmd" "--$name" --no-such-option
            grep_err "$cmd --$name is taken as a flag: the next option is the unknown one" \
                "$cmd: unknown option '--no-such-option'"
        fi
    done <"$T/rows"
done

# the wording of the usage errors each command has always had
expect_rc "portfolio: an unknown option" 2 "$BIN" portfolio --bogus
if grep -qx "capmix: portfolio: unknown option '--bogus'" "$T/err"; then ok "portfolio: unknown option, no 'see' tail"
else not_ok "portfolio: unknown option, no 'see' tail" "$(cat "$T/err")"; fi
expect_rc "track: an unknown option" 2 "$BIN" track --bogus
grep_err "track: unknown option points at --help" "track: unknown option '--bogus' (see 'capmix track --help')"
expect_rc "merge: -o without its value" 2 "$BIN" merge -o
grep_err "merge: -o without its value points at --help" "merge: option '-o' needs a value (see 'capmix merge --help')"
expect_rc "backtest: -o without its value" 2 "$BIN" backtest -o
grep_err "backtest: the common wording" "backtest: option '-o' needs a value (see 'capmix backtest --help')"
expect_rc "portfolio -o '': exit 2" 2 "$BIN" portfolio -o "" x.yaml
grep_err "portfolio -o '': said so" "portfolio: -o needs a folder name, not an empty string"

# numbers go through the one parser, ranges from the table
expect_rc "portfolio --trials 1: exit 2" 2 "$BIN" portfolio x.yaml --trials 1
grep_err "portfolio --trials 1: the range" "--trials needs a whole number from 2 to 100000000, not '1'"
expect_rc "portfolio --threads 0: exit 2" 2 "$BIN" portfolio x.yaml --threads 0
grep_err "portfolio --threads 0: the range" "--threads needs a whole number from 1 to 1024, not '0'"
expect_rc "track --trials 99: exit 2" 2 "$BIN" track x.yaml --trials 99
grep_err "track --trials 99: the range" "--trials needs a whole number from 100 to 10000000, not '99'"
expect_rc "track --threads 257: exit 2" 2 "$BIN" track x.yaml --threads 257
grep_err "track --threads 257: the range" "--threads needs a whole number from 1 to 256, not '257'"
for v in 0 -3 abc 0x10 inf; do
    expect_rc "track --above $v: exit 2" 2 "$BIN" track x.yaml --alternative a --actuals l.csv --above "$v" --by 3
    grep_err "track --above $v: not a positive amount" "--above: '$v' is not a positive amount"
done
for v in 0 1201 +3 2026-13; do
    expect_rc "track --by $v: exit 2" 2 "$BIN" track x.yaml --alternative a --actuals l.csv --above 5 --by "$v"
    grep_err "track --by $v: neither" "--by: '$v' is neither a month number nor YYYY-MM"
done
expect_rc "calibrate --rework-effort 11: exit 2" 2 "$BIN" calibrate --rework-effort 11
grep_err "calibrate --rework-effort 11: said so" "calibrate: --rework-effort above 10 is not an effort"
for v in -1 x 1e ' 1' nan; do
    expect_rc "calibrate --rework-effort '$v': exit 2" 2 "$BIN" calibrate --rework-effort "$v"
    grep_err "calibrate --rework-effort '$v': said so" "calibrate: --rework-effort needs a number >= 0, not '$v'"
done

# repeatable rows keep every occurrence, in order
H=scenarios/history/tickets.csv
expect_rc "calibrate --kind twice for one source: exit 2" 2 "$BIN" calibrate --tickets "$H" \
    --kind pod=offshore_pod --headcount pod=3 --kind pod=ai_team
grep_err "calibrate --kind twice: said so" "calibrate: --kind given twice for source 'pod'"
"$BIN" init --kind in_house --kind consultants --kind ai_team >"$T/init.yaml" 2>"$T/err"
if [ "$(grep -c '^  - name: ' "$T/init.yaml")" = 3 ] &&
    [ "$(sed -n 's/^  - name: //p' "$T/init.yaml" | tr '\n' ' ')" = "in_house consultants ai_team " ]; then
    ok "init --kind three times: three alternatives, in order"
else not_ok "init --kind three times: three alternatives, in order" "$(grep '^  - name' "$T/init.yaml")"; fi
expect_rc "init: an operand is refused" 2 "$BIN" init stray
grep_err "init: an operand is refused: said so" "init: unexpected argument 'stray' (write to a file with -o FILE)"

finish
