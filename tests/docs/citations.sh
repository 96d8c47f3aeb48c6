#!/bin/sh
# tests/docs/citations.sh — every citation of docs/model.md in the source
# resolves.  A comment cites a section as "model §N" and a numbered item of
# a section (the decisions of "Decisions where the model leaves room") as
# "model §N.M", several as "model §2, §3 and §18.1"; any other use of "§",
# and the old "resolution N" form of the first contract, is reported.  POSIX sh + awk, from the repository
# root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
. tests/lib/cli.sh
DOC=docs/model.md

# the citable places: "N" for "## N. Title", "N.M" for an item "M. **" in it
targets=$(awk '
    /^## [0-9]+\. / { sec = $2; sub(/\.$/, "", sec); print sec; next }
    /^## / { sec = "" }
    sec != "" && /^[0-9]+\. \*\*/ { item = $1; sub(/\.$/, "", item); print sec "." item }
' "$DOC")
if [ -z "$targets" ]; then
    not_ok "docs/model.md has numbered sections" "no '## N. Title' heading in $DOC"
    finish
fi
ok "docs/model.md has $(printf '%s\n' "$targets" | grep -c -v '\.') numbered sections and $(printf '%s\n' "$targets" | grep -c '\.') numbered decisions"

files=$(find sim models tests -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \) \
    ! -path 'tests/docs/citations.sh' | sort)
n=0; bad=""
for f in $files; do
    # shellcheck disable=SC2016
    hits=$(grep -n '§\|[Rr]esolution [0-9]' "$f" 2>/dev/null) || continue
    while IFS= read -r h; do
        line=${h%%:*}
        text=${h#*:}
        rest=$text
        found=0
        cited=0
        while :; do
            case $rest in
                *§*) ;;
                *) break ;;
            esac
            pre=${rest%%§*}
            rest=${rest#*§}
            num=$(printf '%s' "$rest" | sed -n 's/^\([0-9][0-9]*\(\.[0-9][0-9]*\)\{0,1\}\).*/\1/p')
            found=1
            # "model §N", "Model §N", and the rest of a list begun so:
            # "model §2, §3 and §18.1"
            case $pre in
                *"model " | *"Model ") cited=1 ;;
                [0-9]*", " | [0-9]*" and ")
                    if [ "$cited" != 1 ]; then
                        bad="$bad
$f:$line: '§' not written as 'model §N': $(printf '%s' "$text" | sed 's/^[ \t]*//')"
                        continue
                    fi ;;
                *) bad="$bad
$f:$line: '§' not written as 'model §N': $(printf '%s' "$text" | sed 's/^[ \t]*//')"; continue ;;
            esac
            if [ -z "$num" ] || ! printf '%s\n' "$targets" | grep -qx "$num"; then
                bad="$bad
$f:$line: 'model §$num' is not a section or decision of $DOC"
            else
                n=$((n + 1))
            fi
        done
        case $text in
            *[Rr]esolution\ [0-9]*) bad="$bad
$f:$line: old citation form 'resolution N' (cite 'model §18.N')" ;;
        esac
        [ "$found" = 1 ] || true
    done <<EOT
$hits
EOT
done
if [ -z "$bad" ]; then
    ok "all $n citations of docs/model.md in the source resolve"
else
    not_ok "every citation of docs/model.md in the source resolves" "$(printf '%s\n' "$bad" | sed '/^$/d' | head -80)"
fi

# Every source path the docs and the source name (sim/LAYER/x.c, models/x.h,
# tests/..., plots/...) exists: files move, and a stale path misleads.
paths=$(grep -rnoE '\b(sim|models|plots|scenarios)/[A-Za-z0-9_./-]*[A-Za-z0-9_]\.(c|h|gp|yaml|csv|sh)\b' \
        README.md docs/*.md $files 2>/dev/null | sort -u)
missing=""
np=0
while IFS= read -r h; do
    [ -n "$h" ] || continue
    pth=${h##*:}
    case $pth in *"*"* | */x.*) continue ;; esac
    np=$((np + 1))
    [ -e "$pth" ] || missing="$missing
${h%:*}: $pth does not exist"
done <<EOT
$paths
EOT
if [ -z "$missing" ]; then
    ok "all $np source paths named in README.md, docs/ and the source exist"
else
    not_ok "every source path named in README.md, docs/ and the source exists" "$(printf '%s\n' "$missing" | sed '/^$/d' | head -60)"
fi
finish
