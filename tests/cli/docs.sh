#!/bin/sh
# The docs quote capmix: every quoted sentence and figure that README.md and
# docs/*.md mark with <!-- quote: ARGS --> must be what capmix prints today
# (tests/docs/quotes.py).  Last line "cli: N passed, M failed".
set -u
LC_ALL=C.UTF-8
export LC_ALL
CAPMIX=${CAPMIX:-bin/capmix}
export CAPMIX
. tests/lib/cli.sh
out=$(python3 tests/docs/quotes.py README.md docs/*.md 2>&1)
printf '%s\n' "$out"
passed=$(printf '%s\n' "$out" | grep -c '^ok - ')
failed=$(printf '%s\n' "$out" | grep -c '^not ok - ')
[ "$passed" -gt 0 ] || { failed=$((failed + 1)); echo "not ok - the docs mark no quote of capmix"; }
finish
