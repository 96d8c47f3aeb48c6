#!/bin/sh
# Run every unit-test binary given as an argument (cmocka), then the CLI
# tests, and print one closing line "check: N passed, M failed".
# VALGRIND=1 runs the unit tests under valgrind (errors fail the test);
# FAULTS=1 (make check FAULTS=1) also runs tests/faults/run.sh.
set -u
passed=0; failed=0; broken=""
for t in "$@"; do
    log=$(mktemp)
    if [ "${VALGRIND:-0}" = 1 ]; then
        valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$t" >"$log" 2>&1
    else
        "$t" >"$log" 2>&1
    fi
    rc=$?
    cat "$log"
    run=$(sed -n 's/^\[==========\] \([0-9]*\) test(s) run\./\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    bad=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    rm -f "$log"
    if [ "$run" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; }; then
        # A crash, a valgrind error or no test at all: count it as a failure.
        bad=$((bad + 1)); broken="$broken $t(rc=$rc)"
    fi
    passed=$((passed + run - bad)); [ $((run - bad)) -lt 0 ] && passed=$((passed - run + bad))
    failed=$((failed + bad))
done
# Replay the fuzz regressions and every scenario we have through the fuzz
# target (ASan/UBSan builds catch what a crash would have been).
if [ -n "${FUZZ_REPLAY:-}" ] && [ -x "$FUZZ_REPLAY" ]; then
    if "$FUZZ_REPLAY" tests/fuzz/regressions/* scenarios/*.yaml tests/bad/*.yaml; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); broken="$broken fuzz-replay"
    fi
fi
# The same for the CSV readers of calibrate: regressions, seeds, examples.
if [ -n "${FUZZ_REPLAY_CSV:-}" ] && [ -x "$FUZZ_REPLAY_CSV" ]; then
    if "$FUZZ_REPLAY_CSV" tests/fuzz/regressions-csv/* tests/fuzz/corpus-csv/* scenarios/history/*.csv; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); broken="$broken fuzz-replay-csv"
    fi
fi
# The layer rule and the size limits (docs/architecture.md): one check
# each, their findings printed when they fail.
for lay in tests/layers/check-layers.sh tests/layers/check-size.sh; do
    if out=$(sh "$lay" 2>&1); then
        passed=$((passed + 1)); printf 'ok - %s\n' "$out"
    else
        failed=$((failed + 1)); broken="$broken $lay"; printf 'not ok - %s\n%s\n' "$lay" "$out"
    fi
done
# Every CLI script (tests/cli/*.sh) ends with "cli: N passed, M failed";
# so does the fault-injection driver, run by `make check FAULTS=1` only.
faults=""
[ "${FAULTS:-}" = 1 ] && faults=tests/faults/run.sh
for cli in tests/cli/*.sh tests/golden/golden.sh tests/docs/citations.sh $faults; do
    [ -f "$cli" ] || continue
    out=$(sh "$cli" 2>&1); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -n1)
    f=$(printf '%s\n' "$out" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -n1)
    if [ -z "$p" ]; then p=0; f=1; broken="$broken $cli(rc=$rc)"; fi
    passed=$((passed + p)); failed=$((failed + f))
done
if [ -f tests/browser/run.sh ]; then
    out=$(sh tests/browser/run.sh 2>&1); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^browser: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -n1)
    f=$(printf '%s\n' "$out" | sed -n 's/^browser: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -n1)
    if [ -z "$p" ]; then p=0; f=1; broken="$broken tests/browser/run.sh(rc=$rc)"; fi
    passed=$((passed + p)); failed=$((failed + f))
fi
[ -n "$broken" ] && echo "broken:$broken"
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
