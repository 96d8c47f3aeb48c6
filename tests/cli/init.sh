#!/bin/sh
# CLI tests for `capmix init`: a starter scenario per kind, valid as
# written; all kinds in one file that runs; its usage errors.
#
# POSIX sh (runs under dash), from the repository root; prints "ok - ..." or
# "not ok - ..." per check and, last, "cli: N passed, M failed" (see
# tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup init

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

finish
