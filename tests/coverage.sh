#!/bin/sh
# Line and branch coverage of two groups of files after `make COVERAGE=1
# check` (run by `make coverage`, see docs/testing.md):
#
#     sh tests/coverage.sh BUILD "LOADER FILES" "OUTPUT FILES"
#
# With gcovr (Debian package gcovr): its per-file table and totals for each
# group.  Without it: gcov's own figures per file, summed per group.
# Prints, per group, the lines
#     coverage: GROUP lines P% (A of B), branches Q% (C of D)
set -u
LC_ALL=C
export LC_ALL
build=$1
loader=$2
output=$3

if ! ls "$build"/sim/*/*.gcda >/dev/null 2>&1; then
    echo "coverage: no coverage data in $build (run 'make coverage')"
    exit 1
fi

# group NAME FILES...: the table, then the one-line summary.
group_gcovr() {
    name=$1
    shift
    filters=""
    for f in "$@"; do
        filters="$filters -f $f"
    done
    echo "== $name: lines"
    # shellcheck disable=SC2086
    gcovr -r . --object-directory "$build" --gcov-ignore-parse-errors "$build" $filters 2>/dev/null | sed -n '/^File/,$p'
    echo "== $name: branches"
    # shellcheck disable=SC2086
    gcovr -r . --object-directory "$build" --gcov-ignore-parse-errors "$build" $filters -b -s 2>/dev/null | sed -n '/^File/,$p' >"$tmp/b"
    sed '/^lines:/d; /^branches:/d' "$tmp/b"
    # shellcheck disable=SC2086
    gcovr -r . --object-directory "$build" --gcov-ignore-parse-errors "$build" $filters -b -s 2>/dev/null |
        awk -v g="$name" '
        /^lines:/ { l = $2; lc = $3 " of " $6 }
        /^branches:/ { b = $2; bc = $3 " of " $6 }
        END { gsub(/[()]/, "", lc); gsub(/[()]/, "", bc)
              printf "coverage: %s lines %s (%s), branches %s (%s)\n", g, l, lc, b, bc }'
}

# Without gcovr: gcov -b per file, in a scratch folder (gcov writes its
# .gcov files to the current directory).
group_gcov() {
    name=$1
    shift
    echo "== $name (gcov)"
    for f in "$@"; do
        obj=$build/$(dirname "$f")
        (cd "$tmp" && gcov -b -o "$root/$obj" "$root/$f" 2>/dev/null) |
            awk -v f="$f" '
            $0 ~ "^File .*" f "'"'"'" { on = 1; next }
            on && /^Lines executed:/ { split($2, a, ":"); sub(/%/, "", a[2]); lt = $4; le = a[2] * lt / 100 }
            on && /^Taken at least once:/ { split($4, a, ":"); sub(/%/, "", a[2]); bt = $6; be = a[2] * bt / 100 }
            on && /^$/ { if (lt) exit }
            END { printf "%s %d %d %d %d\n", f, le + 0.5, lt, be + 0.5, bt }'
    done | awk -v g="$name" '
        { printf "  %-28s lines %5.1f%% of %5d  branches %5.1f%% of %5d\n", $1,
                 $3 ? 100 * $2 / $3 : 0, $3, $5 ? 100 * $4 / $5 : 0, $5
          le += $2; lt += $3; be += $4; bt += $5 }
        END { printf "coverage: %s lines %.1f%% (%d of %d), branches %.1f%% (%d of %d)\n", g,
                     lt ? 100 * le / lt : 0, le, lt, bt ? 100 * be / bt : 0, be, bt }'
}

root=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cov.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
if command -v gcovr >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    group_gcovr loader $loader
    # shellcheck disable=SC2086
    group_gcovr output $output
else
    echo "coverage: gcovr not found (apt-get install gcovr); gcov's figures instead"
    # shellcheck disable=SC2086
    group_gcov loader $loader
    # shellcheck disable=SC2086
    group_gcov output $output
fi
