#!/bin/sh
# tests/layers/check-size.sh — the size limits of docs/architecture.md: no
# source file over 900 lines, no function over 150 (a function runs from
# its "{" in column 0 to its "}" in column 0, the style of every file
# here).  Prints FILE:LINE: message per excess; exit 1 when any.
set -u
LC_ALL=C
export LC_ALL
MAX_FILE=${MAX_FILE:-900}
MAX_FUNC=${MAX_FUNC:-150}
bad=0
for f in sim/*/*.c models/*.c; do
    [ -f "$f" ] || continue
    out=$(awk -v file="$f" -v maxfile="$MAX_FILE" -v maxfunc="$MAX_FUNC" '
        /^[A-Za-z_]/ { hdr = $0; hdrline = NR }
        /^\{/ {
            start = NR; name = "?"
            if (match(hdr, /[A-Za-z_][A-Za-z_0-9]*\(/)) name = substr(hdr, RSTART, RLENGTH - 1)
            at = hdrline
        }
        /^\}/ && start {
            if (NR - start + 1 > maxfunc)
                printf "%s:%d: function %s is %d lines (limit %d)\n", file, at, name, NR - start + 1, maxfunc
            start = 0
        }
        END { if (NR > maxfile) printf "%s: %d lines (limit %d)\n", file, NR, maxfile }' "$f")
    if [ -n "$out" ]; then
        printf '%s\n' "$out"
        bad=1
    fi
done
[ "$bad" = 0 ] && echo "check-size: no file over $MAX_FILE lines, no function over $MAX_FUNC"
exit "$bad"
