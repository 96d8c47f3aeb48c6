#!/bin/sh
# CLI tests for the sim/base utilities behind every command (issue 15):
# the one whole-file reader (each caller's own message kept), JSON read
# through jansson (errors at file:line:col), and gnuplot scripts and
# command lines that hold a path of any length whole.  POSIX sh, from the
# repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-base.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT


S=scenarios/pod-run-rate.yaml

# --- the whole-file reader, each caller's message --------------------------
mkdir "$T/folder.yaml"
expect_rc "run on a folder: exit 2" 2 "$BIN" run "$T/folder.yaml" -q -o "$T/o1"
grep_err_F "run on a folder: the scenario loader's message" "cannot read '$T/folder.yaml' (is it a directory?)"
expect_rc "run on a missing file: exit 2" 2 "$BIN" run "$T/none.yaml" -q -o "$T/o1"
grep_err_F "run on a missing file: names it and why" "cannot open '$T/none.yaml': No such file or directory"
expect_rc "--replay of a folder: exit 2" 2 "$BIN" run --replay "$T/folder.yaml"
grep_err_F "--replay of a folder: the replay's message" "cannot read '$T/folder.yaml' (too large, or not a file)"
if [ -e "$T/o1" ]; then not_ok "a refused input writes no output folder"; else ok "a refused input writes no output folder"; fi

# the echo under an error reads the file again (same reader): line and caret
printf 'capmix: 1\nname: echo\nthruput: 8\n' >"$T/typo.yaml"
expect_rc "a typo: exit 2" 2 "$BIN" validate "$T/typo.yaml"
if grep -q '^    thruput: 8$' "$T/err" && grep -q '^    \^$' "$T/err"; then
    ok "a typo: the line echoed with a caret under it"
else
    not_ok "a typo: the line echoed with a caret under it" "$(cat "$T/err")"
fi

# --- summary.json read through jansson --------------------------------------
printf '{\n  "manifest": {\n    "command": "run",\n    "command": "run"\n  }\n}\n' >"$T/dup.json"
expect_rc "--replay of a summary with a key given twice: exit 2" 2 "$BIN" run --replay "$T/dup.json"
grep_err_F "a duplicate key: file:line:col and jansson's reason" "$T/dup.json:4:13: not valid JSON: duplicate object key"
printf '{\n  "manifest": {\n    "command" "run"\n' >"$T/syntax.json"
expect_rc "--replay of broken JSON: exit 2" 2 "$BIN" run --replay "$T/syntax.json"
grep_err_F "broken JSON: the position of the error" "$T/syntax.json:3:"
if grep -q '^        "command" "run"$' "$T/err"; then ok "broken JSON: the line echoed"; else
    not_ok "broken JSON: the line echoed" "$(cat "$T/err")"; fi

# --- paths of any length reach the gnuplot scripts whole -----------------
# A scenario 2,400+ bytes deep: its path in a script's comment was cut at
# 511 bytes (a fixed buffer), so the comment named another file.  The
# output folder, ~900 bytes deep, is drawn into by gnuplot (a `cd` to the
# quoted folder and the image's path, both sized from the folder now).
long=$T
for i in a b c d e f g h i j k l; do
    long=$long/$(printf "%0200d" 0 | tr 0 "$i")
done
out=$T
for i in m n o p; do
    out=$out/$(printf "%0200d" 0 | tr 0 "$i")
done
if mkdir -p "$long" "$out" 2>/dev/null && cp "$S" "$long/s.yaml"; then
    expect_rc "a run of a scenario 2,400+ bytes deep succeeds" 0 "$BIN" run "$long/s.yaml" --trials 300 -q -o "$out/o"
    if grep -qF "# scenario $long/s.yaml (sha256 " "$out/o/cost_cdf.gp"; then
        ok "a script's comment holds a scenario path of any length whole"
    else
        not_ok "a script's comment holds a scenario path of any length whole" "$(sed -n 2p "$out/o/cost_cdf.gp" | cut -c1-120)"
    fi
    if command -v gnuplot >/dev/null 2>&1; then
        if [ -s "$out/o/cost_cdf.png" ] && [ -s "$out/o/cost_per_outcome.png" ] && ! grep -q warning "$T/err"; then
            ok "gnuplot draws into a folder 800+ bytes deep, without a warning"
        else
            not_ok "gnuplot draws into a folder 800+ bytes deep, without a warning" "$(ls "$out/o")" "$(cut -c1-200 "$T/err")"
        fi
    else
        skip "gnuplot not installed: deep-folder drawing not checked"
    fi
else
    skip "cannot make a folder 2,400 bytes deep here"
fi

finish
