#!/bin/sh
# CLI tests of the text rules (sim/base/textesc.h, docs/model.md "Text"):
# hostile names, descriptions, file names and encodings are refused with
# file:line:col and exit 2, or, where they are allowed, every output stays
# valid (summary.json parses, report.md keeps its table, no raw control
# byte in report.html, run.log or on the terminal).  POSIX sh, from the
# repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-text.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac

# raw_controls FILE...: the files that hold a byte < 0x20 other than TAB and
# LF, or DEL, or a C1 control in its UTF-8 form (C2 80..C2 9F)
raw_controls() {
    for f in "$@"; do
        if LC_ALL=C tr -d '\t\n\040-\176\200-\377' <"$f" | grep -q . ||
            LC_ALL=C grep -q "$(printf '\177')" "$f" ||
            od -An -tx1 -v "$f" | tr -s ' \n' '  ' | grep -q 'c2 [89]'; then
            printf '%s\n' "$f"
        fi
    done
}

HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1
S=scenarios/pod-run-rate.yaml
ESC=$(printf '\033')

# with_head NAME TEXT: $S with its 'name:' line replaced by TEXT (may be several lines)
with_head() {
    W_TEXT=$2 awk '/^name:/ { print ENVIRON["W_TEXT"]; next } { print }' "$S" >"$T/$1.yaml"
}

# --- refused at load: file:line:col naming the key, exit 2, no output ----
with_head esc 'name: "evil\e[2J\e]0;title\a"'
expect_rc "name with ESC[2J and a title sequence: validate exits 2" 2 "$BIN" validate "$T/esc.yaml"
grep_err_F "... names the key and the character" "esc.yaml:15:7: 'name' contains the control character U+001B at character 5"
expect_rc "... run exits 2" 2 "$BIN" run "$T/esc.yaml" -q -o "$T/o-esc"
if [ -e "$T/o-esc" ]; then not_ok "... and writes no output folder"; else ok "... and writes no output folder"; fi
check "... and no raw ESC reaches the terminal" "$(raw_controls "$T/out" "$T/err")" "$T/err"

with_head osc 'name: pod
description: "copy \e]52;c;cm0gLXJmIH4=\a done"'
expect_rc "description with an OSC 52 clipboard write: exit 2" 2 "$BIN" validate "$T/osc.yaml"
grep_err_F "... names 'description'" "osc.yaml:16:14: 'description' contains the control character U+001B at character 6"
check "... nothing raw on the terminal" "$(raw_controls "$T/out" "$T/err")" "$T/err"

with_head bel 'name: "ring\a\b\b"'
expect_rc "name with BEL and BS: exit 2" 2 "$BIN" validate "$T/bel.yaml"
grep_err_F "... U+0007" "'name' contains the control character U+0007 at character 5"

with_head nl 'name: "two\n| forged | 1 | 2 |"'
expect_rc "name with a newline: exit 2 (it would restructure report.md and run.log)" 2 "$BIN" validate "$T/nl.yaml"
grep_err_F "... says a line break is not allowed" "(a line break or tab is not allowed here)"

with_head long "name: $(awk 'BEGIN { for (i = 0; i < 128; i++) printf "\303\251"; }')"
expect_rc "a 256-byte name (128 x e-acute) is refused, not cut" 2 "$BIN" validate "$T/long.yaml"
grep_err_F "... with its length and the limit" "'name' is 256 bytes long; the limit is 255 bytes"

with_head big "name: pod
description: $(awk 'BEGIN { for (i = 0; i < 12000; i++) printf "word "; printf "end" }')"
expect_rc "a 60 KB description is refused, not cut" 2 "$BIN" run "$T/big.yaml" -q -o "$T/o-big"
grep_err_F "... with its length and the limit" "'description' is 60003 bytes long; the limit is 1023 bytes"
if [ -e "$T/o-big" ]; then not_ok "... no output folder"; else ok "... no output folder"; fi

# invalid UTF-8 in a name (a Latin-1 byte): libyaml refuses it; the echo shows it as \xHH
awk '/^name:/ { print "name: caf\351"; next } { print }' "$S" >"$T/latin1.yaml"
expect_rc "a Latin-1 byte in the name: exit 2" 2 "$BIN" validate "$T/latin1.yaml"
grep_err_F "... at its position" "latin1.yaml:15:10:"
grep_err_F "... the echo shows the byte escaped" '    name: caf\xe9'
check "... no raw ill-formed byte on the terminal" \
    "$(LC_ALL=C grep -l "$(printf '\351')" "$T/err")" "$T/err"

if [ "$HAVE_PY" = 1 ]; then
    python3 tests/lib/utf16.py "$S" "$T/u16.yaml" "$T/u16nobom.yaml"
    expect_rc "a UTF-16 scenario (with its byte-order mark): exit 2" 2 "$BIN" run "$T/u16.yaml" -q -o "$T/o-u16"
    grep_err_F "... says to save it as UTF-8" "u16.yaml:1:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark): save the file as UTF-8"
    if [ -e "$T/o-u16" ]; then not_ok "... no output folder"; else ok "... no output folder"; fi
    expect_rc "UTF-16 without a byte-order mark: exit 2" 2 "$BIN" validate "$T/u16nobom.yaml"
    grep_err_F "... at the first NUL" "u16nobom.yaml:1:2: the file holds a NUL byte (is it UTF-16, or not text?): save the file as UTF-8"
else
    skip "no python3: UTF-16 files"
fi

# --- allowed, and every output stays valid ------------------------------
with_head md 'name: "# Heads | up `x` *y* <b>&amp;</b> caf\u00e9"
description: "line one\n\tline two <script>"'
expect_rc "markup characters and Unicode in the name: run exits 0" 0 "$BIN" run "$T/md.yaml" --trials 200 -q --no-plots -o "$T/o-md"
if [ "$HAVE_PY" = 1 ]; then
    expect_rc "... summary.json parses" 0 python3 -m json.tool "$T/o-md/summary.json"
    expect_rc "... summary.json keeps the name" 0 python3 tests/lib/json_get.py --test "$T/o-md/summary.json" \
        'j["scenario"] == "# Heads | up `x` *y* <b>&amp;</b> caf\u00e9"'
fi
rows=$(grep -c '^| ' "$T/o-md/report.md")
check "... report.md's table keeps its header and one row per alternative (4 lines)" \
    "$([ "$rows" = 4 ] || echo "$rows table lines")" "$T/o-md/report.md"
check "... report.md's first line is the whole heading, escaped" \
    "$([ "$(sed -n 1p "$T/o-md/report.md")" = '# \# Heads \| up \`x\` \*y\* \<b\>\&amp;\</b\> café' ] &&
        [ -z "$(sed -n 2p "$T/o-md/report.md")" ] || echo 'heading')" "$T/o-md/report.md"
check "... report.html escapes the name" \
    "$(grep -q -F '<h1># Heads | up `x` *y* &lt;b&gt;&amp;amp;&lt;/b&gt; caf' "$T/o-md/report.html" || echo 'h1')" "$T/o-md/report.html"
check "... report.html keeps the description's lines, escaped" \
    "$(grep -q -F '	line two &lt;script&gt;</p>' "$T/o-md/report.html" || echo 'description')" "$T/o-md/report.html"
check "... no raw control byte in report.html, report.md, run.log" \
    "$(raw_controls "$T/o-md/report.html" "$T/o-md/report.md" "$T/o-md/run.log")"

# a scenario whose comments hold a code fence and HTML cannot close either block
awk '{ print } /^name:/ { print "# ```\n# ````\n# </pre><script>alert(1)</script>" }' "$S" >"$T/fence.yaml"
expect_rc "fences and </pre> in comments: run exits 0" 0 "$BIN" run "$T/fence.yaml" --trials 200 -q --no-plots -o "$T/o-fence"
check "... report.md fences the scenario with 5 backticks" \
    "$([ "$(grep -c '^`````' "$T/o-fence/report.md")" = 2 ] || echo 'fence')" "$T/o-fence/report.md"
check "... report.html has no script element" \
    "$(grep -q '<script' "$T/o-fence/report.html" && echo '<script> in report.html')"

# CRLF scenario: no CR in the reports
tr -d '\r' <"$S" | sed 's/$/\r/' >"$T/crlf.yaml"
expect_rc "a CRLF scenario: run exits 0" 0 "$BIN" run "$T/crlf.yaml" --trials 200 -q --no-plots -o "$T/o-crlf"
check "... no CR in report.html or report.md" \
    "$(raw_controls "$T/o-crlf/report.html" "$T/o-crlf/report.md")"

# --- file names with escape sequences: never raw on the terminal --------
EV="$T/e$(printf '\033]52;c;aGk=\007')x$(printf '\033[2J')y"
grep -v '^name:' "$S" >"$EV.yaml"
expect_rc "a scenario file name with OSC 52 and ESC[2J: validate exits 0" 0 "$BIN" validate "$EV.yaml"
check "... stdout shows it escaped" "$(grep -q -F 'e\x1b]52;c;aGk=\x07x\x1b[2Jy.yaml: ok' "$T/out" || echo 'no escaped name')" "$T/out"
check "... no raw control on stdout or stderr" "$(raw_controls "$T/out" "$T/err")" "$T/out"
expect_rc "... run -o into a folder named likewise exits 0" 0 "$BIN" run "$EV.yaml" --trials 200 --no-plots -o "${EV}-out"
check "... no raw control on the terminal" "$(raw_controls "$T/out" "$T/err")" "$T/out" "$T/err"
check "... nor in run.log, report.md, report.html" \
    "$(raw_controls "${EV}-out/run.log" "${EV}-out/report.md" "${EV}-out/report.html")"
if [ "$HAVE_PY" = 1 ]; then
    expect_rc "... summary.json parses" 0 python3 -m json.tool "${EV}-out/summary.json"
fi
expect_rc "a missing file with ESC in its name: exit 2" 2 "$BIN" validate "$EV-missing.yaml"
check "... the message shows it escaped" "$(raw_controls "$T/err")" "$T/err"
grep_err_F "... as \\x1b" 'e\x1b]52;c;aGk=\x07x\x1b[2Jy-missing.yaml'
expect_rc "an unknown command with ESC: exit 2" 2 "$BIN" "$(printf 'r\033[2Jun')"
grep_err_F "... echoed escaped" "unknown command 'r\\x1b[2Jun'"

finish
