#!/bin/sh
# CLI tests for report.xlsx and comparison.csv: the workbook read back
# (zipfile + xml, tests/lib/xlsxcheck.py) against summary.json for run, bid,
# envelope and --stream; user text stays text; CSV fields are guarded
# against formula injection; the workbook lands with the rest or not at
# all.  POSIX sh, from the repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-xlsx.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

if ! command -v python3 >/dev/null 2>&1; then
    skip "python3 is not installed: report.xlsx not read back"
    finish
fi

# xlsx_ok DESC DIR [xlsxcheck options]
xlsx_ok() {
    d=$1 dir=$2; shift 2
    if python3 tests/lib/xlsxcheck.py "$dir" "$@" >"$T/chk" 2>&1; then ok "$d ($(cat "$T/chk"))"; else
        not_ok "$d" "$(head -8 "$T/chk")"; fi
}

# --- run, bid, envelope, --stream: sheets and values against summary.json ---
"$BIN" run scenarios/offshore-vs-ai.yaml --trials 3000 --no-plots -q -o "$T/run" >/dev/null 2>&1
xlsx_ok "run: report.xlsx has the run's sheets and summary.json's figures" "$T/run" \
    --sheets Comparison,Answer,Burn,Provenance
"$BIN" bid scenarios/fixed-bid-offer.yaml --trials 3000 --no-plots -q -o "$T/bid" >/dev/null 2>&1
xlsx_ok "bid: the Bid sheet matches summary.json's bid section" "$T/bid" \
    --sheets Comparison,Answer,Bid,Burn,Provenance
"$BIN" envelope scenarios/envelope.yaml --trials 3000 --no-plots -q -o "$T/env" >/dev/null 2>&1
xlsx_ok "envelope: the Envelope sheet matches summary.json's envelope" "$T/env" \
    --sheets Comparison,Answer,Envelope,Stop-loss,Burn,Provenance
"$BIN" run scenarios/offshore-vs-ai.yaml --stream --trials 5000 -q -o "$T/stream" >/dev/null 2>&1
xlsx_ok "--stream: a workbook without the monthly fan" "$T/stream" --sheets Comparison,Answer,Provenance

# the same run on another thread count gives the same workbook, byte for byte
"$BIN" run scenarios/offshore-vs-ai.yaml --trials 3000 --threads 1 --no-plots -q -o "$T/run1" >/dev/null 2>&1
if cmp -s "$T/run/report.xlsx" "$T/run1/report.xlsx" && cmp -s "$T/run/comparison.csv" "$T/run1/comparison.csv"; then
    ok "report.xlsx and comparison.csv are byte-identical across runs and thread counts"
else not_ok "report.xlsx and comparison.csv are byte-identical across runs and thread counts"; fi

# comparison.csv: one row per alternative, the same figures as summary.json
if python3 tests/lib/comparison_csv.py "$T/run" >"$T/chk" 2>&1
then ok "comparison.csv: one row per alternative, summary.json's figures to the bit"
else not_ok "comparison.csv: one row per alternative, summary.json's figures to the bit" "$(cat "$T/chk")"; fi

# --- user text that looks like a formula ----------------------------------
sed 's/^name: .*/name: =HYPERLINK("x")/' scenarios/offshore-vs-ai.yaml >"$T/formula.yaml"
"$BIN" run "$T/formula.yaml" --trials 1000 --no-plots -q -o "$T/formula" >/dev/null 2>&1
xlsx_ok "a scenario named =HYPERLINK(\"x\") is a text cell, no formula anywhere" "$T/formula" \
    --name '=HYPERLINK("x")'
field=$(sed -n 2p "$T/formula/comparison.csv" | sed 's/,offshore,.*//')
if [ "$field" = "\"'=HYPERLINK(\"\"x\"\")\"" ]; then ok "comparison.csv guards the name: $field"
else not_ok "comparison.csv guards the name" "got: $field"; fi
for lead in + - @; do
    sed "s/^name: .*/name: \"${lead}1+2\"/" scenarios/offshore-vs-ai.yaml >"$T/lead.yaml"
    "$BIN" run "$T/lead.yaml" --trials 500 --no-plots -q -o "$T/lead" >/dev/null 2>&1
    field=$(sed -n 2p "$T/lead/comparison.csv" | cut -d, -f1)
    if [ "$field" = "\"'${lead}1+2\"" ]; then ok "comparison.csv guards a name starting with '$lead'"
    else not_ok "comparison.csv guards a name starting with '$lead'" "got: $field"; fi
done
# an ordinary name is written as it is
field=$(sed -n 2p "$T/run/comparison.csv" | cut -d, -f1)
if [ "$field" = "offshore-vs-ai" ]; then ok "comparison.csv leaves an ordinary name alone"
else not_ok "comparison.csv leaves an ordinary name alone" "got: $field"; fi

# --- all or nothing -------------------------------------------------------
mkdir -p "$T/blocked/report.xlsx"
"$BIN" run scenarios/offshore-vs-ai.yaml --trials 500 --no-plots -q -o "$T/blocked" >"$T/out" 2>"$T/err"
rc=$?
# (the folder is replaced as a whole, so one holding a user's files is refused)
if [ "$rc" = 1 ] && grep -q "cannot replace" "$T/err" && [ ! -e "$T/blocked/summary.json" ] &&
    [ -d "$T/blocked/report.xlsx" ]; then
    ok "a folder holding a user's report.xlsx folder is refused: exit 1, nothing lands, it stays"
else
    not_ok "a folder holding a user's report.xlsx folder is refused: exit 1, nothing lands, it stays" "exit $rc" "$(cat "$T/err")" "$(ls "$T/blocked")"
fi

# --- LibreOffice, where installed, converts the workbook ------------------
LO=$(command -v soffice || command -v libreoffice || true)
if [ -n "$LO" ]; then
    mkdir -p "$T/lo"
    if HOME="$T/lo" timeout 120 "$LO" --headless --convert-to csv --outdir "$T/lo" "$T/run/report.xlsx" >/dev/null 2>&1 \
        && grep -q '^Alternative,' "$T/lo/report.csv" && grep -q '^offshore,' "$T/lo/report.csv"; then
        ok "LibreOffice headless opens report.xlsx and converts its first sheet"
    else
        not_ok "LibreOffice headless opens report.xlsx and converts its first sheet"
    fi
else
    skip "LibreOffice is not installed: no headless conversion"
fi

finish
