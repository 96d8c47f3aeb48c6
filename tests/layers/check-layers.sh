#!/bin/sh
# tests/layers/check-layers.sh — the include rule of docs/architecture.md:
# a file in a layer folder includes headers of its own folder or of a lower
# layer, never of a higher one, and sim/input and sim/engine never include
# each other.  Headers are named by base name (the Makefile puts every
# layer on the include path), so a base name must be unique across layers.
# Prints one line per violation as FILE:LINE: message; exit 1 when any.
# POSIX sh + awk, from the repository root.
set -u
LC_ALL=C
export LC_ALL

LAYERS="sim/base models sim/input sim/engine sim/analysis sim/output sim/cli"

# rank of a folder: input and engine share a rank, so neither may include
# the other (the rule below allows only the same folder or a lower rank).
rank() {
    case $1 in
        sim/base) echo 0 ;; models) echo 1 ;; sim/input|sim/engine) echo 2 ;;
        sim/analysis) echo 3 ;; sim/output) echo 4 ;; sim/cli) echo 5 ;; *) echo 99 ;;
    esac
}

bad=0
tab=$(mktemp) || exit 1
trap 'rm -f "$tab"' EXIT
# header base name -> folder; a name in two folders is itself an error
for l in $LAYERS; do
    for h in "$l"/*.h; do
        [ -f "$h" ] || continue
        printf '%s %s\n' "$(basename "$h")" "$l" >>"$tab"
    done
done
dups=$(cut -d' ' -f1 "$tab" | sort | uniq -d)
for h in $dups; do
    echo "check-layers: header name $h is in more than one layer: $(grep "^$h " "$tab" | cut -d' ' -f2 | tr '\n' ' ')"
    bad=1
done
# stray sources outside the layers
for f in sim/*.c sim/*.h; do
    [ -f "$f" ] || continue
    echo "$f: not in a layer folder (docs/architecture.md)"
    bad=1
done

for l in $LAYERS; do
    r=$(rank "$l")
    for f in "$l"/*.c "$l"/*.h; do
        [ -f "$f" ] || continue
        out=$(awk -v file="$f" -v layer="$l" -v rank="$r" -v tab="$tab" '
            BEGIN {
                while ((getline line < tab) > 0) { split(line, a, " "); where[a[1]] = a[2] }
                rk["sim/base"] = 0; rk["models"] = 1; rk["sim/input"] = 2; rk["sim/engine"] = 2
                rk["sim/analysis"] = 3; rk["sim/output"] = 4; rk["sim/cli"] = 5
            }
            /^[ \t]*#[ \t]*include[ \t]*"/ {
                h = $0; sub(/^[^"]*"/, "", h); sub(/".*/, "", h)
                n = h; sub(/.*\//, "", n)
                if (!(n in where)) { printf "%s:%d: includes \"%s\", which is in no layer folder\n", file, NR, h; next }
                w = where[n]
                if (w == layer) next
                if (rk[w] < rank) next
                why = (rk[w] == rank) ? "a sibling layer" : "a higher layer"
                printf "%s:%d: includes %s from %s (%s)\n", file, NR, n, w, why
            }' "$f")
        if [ -n "$out" ]; then
            printf '%s\n' "$out"
            bad=1
        fi
    done
done
[ "$bad" = 0 ] && echo "check-layers: every include points down or within its own layer"
exit "$bad"
