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
