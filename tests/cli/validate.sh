#!/bin/sh
# CLI tests for `capmix validate`: the bad-input corpus (tests/bad/*.yaml,
# through validate and run -o DIR), generated cases (a file of 4 MiB + 1
# byte, a folder, a missing file), validate's usage and --quiet.
#
# Corpus format: each tests/bad/NAME.yaml starts with
#     # expect: LINE:COL: substring of the message
# (or "# expect: -: substring" for a diagnostic without a position); the
# check wants exit status 2 from both `validate` and `run -o DIR`, stderr
# "capmix: FILE:LINE:COL: ..." containing the substring on that line, the
# offending source line echoed with a caret under column COL, no output
# folder and nothing on stdout.
#
# POSIX sh (runs under dash), from the repository root; prints "ok - ..." or
# "not ok - ..." per check and, last, "cli: N passed, M failed" (see
# tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup validate

# ---------------------------------------------------------------------------
# 1. The bad-input corpus
# ---------------------------------------------------------------------------

# bad_case FILE POS SUBSTRING COMMAND: COMMAND is validate or run.
bad_case() {
    b_f=$1
    b_pos=$2
    b_sub=$3
    b_cmd=$4
    b_dir=$tmp/bad-out/never-created
    rm -rf "$tmp/bad-out"
    if [ "$b_cmd" = run ]; then
        cm 10 run "$b_f" -o "$b_dir" >"$tmp/bad.out" 2>"$tmp/bad.err"
    else
        cm 10 validate "$b_f" >"$tmp/bad.out" 2>"$tmp/bad.err"
    fi
    b_rc=$?
    b_why=""
    [ "$b_rc" -eq 2 ] || b_why="${b_why}exit status $b_rc, want 2
"
    if [ "$b_pos" = "-" ]; then
        b_want="capmix: $b_f: "
    else
        b_want="capmix: $b_f:$b_pos: "
    fi
    if ! grep -F -q -e "$b_want" "$tmp/bad.err"; then
        b_why="${b_why}stderr lacks '$b_want'
"
    elif ! grep -F -e "$b_want" "$tmp/bad.err" | grep -F -q -e "$b_sub"; then
        b_why="${b_why}the message lacks '$b_sub'
"
    fi
    if [ "$b_pos" != "-" ]; then
        b_line=${b_pos%%:*}
        b_col=${b_pos#*:}
        # echo_line: the source line (CR dropped, control characters as
        # spaces; whole up to 160 characters, which every corpus line is,
        # longer lines clipped: tests/cli/limits.sh), then a caret under
        # the column.
        b_src=$(sed -n "${b_line}p" "$b_f" | tr -d '\r\n' |
            tr '\001-\037' '                               ' | cut -b 1-511)
        # ill-formed UTF-8 bytes are echoed as \xHH (sim/base/textesc.h)
        if printf '%s' "$b_src" | LC_ALL=C grep -q '[^ -~]' && command -v python3 >/dev/null 2>&1; then
            b_src=$(printf '%s' "$b_src" | python3 tests/lib/utf8_escape.py)
        fi
        if ! grep -F -x -q -e "$(caret_line "$b_col")" "$tmp/bad.err"; then
            b_why="${b_why}no caret line under column $b_col
"
        elif ! grep -F -x -q -e "    $b_src" "$tmp/bad.err" && ! clipped_echo "$b_f" "$b_line" "$tmp/bad.err"; then
            b_why="${b_why}line $b_line is not echoed
"
        fi
    fi
    [ -e "$b_dir" ] && b_why="${b_why}the output folder was created
"
    [ -s "$tmp/bad.out" ] && b_why="${b_why}stdout is not empty
"
    if [ "$b_cmd" = run ]; then b_what="run -o DIR"; else b_what="validate"; fi
    check "$b_f: $b_what: exit 2 at ${b_pos}" "$b_why" "$tmp/bad.err" "$tmp/bad.out"
    rm -rf "$tmp/bad-out"
}

n_bad=0
# A line longer than 160 characters is echoed as a window around the
# column, marked with "…" where it is cut (diag_echo): the window, less its
# marks, must be a piece of the line.
clipped_echo() { # FILE LINE ERR
    c_src=$(sed -n "${2}p" "$1" | tr -d '\r\n')
    [ "${#c_src}" -gt 160 ] || return 1
    c_w=$(sed -n '2p' "$3" | sed 's/^    //; s/^…//; s/…$//')
    [ -n "$c_w" ] || return 1
    case "$c_src" in *"$c_w"*) return 0 ;; esac
    return 1
}
for f in tests/bad/*.yaml; do
    [ -f "$f" ] || continue
    n_bad=$((n_bad + 1))
    # First line, without CR and without a UTF-8 byte order mark.
    exp=$(head -n 1 "$f" | tr -d '\r\357\273\277' | sed -n 's/^# expect: //p')
    pos=${exp%%: *}
    sub=${exp#*: }
    case $pos in
    - | [0-9]*:[0-9]*) ;;
    *) pos="" ;;
    esac
    if [ -z "$exp" ] || [ -z "$pos" ] || [ -z "$sub" ] || [ "$sub" = "$exp" ]; then
        not_ok "$f: first line is '# expect: LINE:COL: substring'" "found: $(head -n 1 "$f")"
        continue
    fi
    bad_case "$f" "$pos" "$sub" validate
    bad_case "$f" "$pos" "$sub" run
done
if [ "$n_bad" -ge 60 ]; then
    ok "the corpus has $n_bad cases (at least 60)"
else
    not_ok "the corpus has at least 60 cases" "found $n_bad in tests/bad"
fi

# Cases generated here rather than committed.
gen=$tmp/gen
mkdir "$gen"
base_scenario() {
    cat <<'EOF'
capmix: 1
work: {horizon_days: 90}
alternatives:
  - name: a
    sources:
      - kind: in_house
        headcount: 2
        loaded_annual: 200000
        throughput_per_month: 3
EOF
}
# pad FILE BYTES: append BYTES bytes of comment lines to FILE.
pad() {
    awk -v p="$2" 'BEGIN {
        l = "#"; for (i = 0; i < 1022; i++) l = l "x"
        q = int(p / 1024); r = p % 1024
        for (i = 0; i < q; i++) print l
        if (r >= 2) { s = "#"; for (i = 0; i < r - 2; i++) s = s "x"; print s }
        else if (r == 1) printf "\n"
    }' >>"$1"
}
max_bytes=4194304
base_scenario >"$gen/exactly-4mib.yaml"
pad "$gen/exactly-4mib.yaml" $((max_bytes - $(wc -c <"$gen/exactly-4mib.yaml")))
base_scenario >"$gen/over-4mib.yaml"
pad "$gen/over-4mib.yaml" $((max_bytes + 1 - $(wc -c <"$gen/over-4mib.yaml")))
size=$(wc -c <"$gen/over-4mib.yaml" | tr -d ' ')
if [ "$size" -eq $((max_bytes + 1)) ]; then
    bad_case "$gen/over-4mib.yaml" - "is larger than 4194304 bytes" validate
    bad_case "$gen/over-4mib.yaml" - "is larger than 4194304 bytes" run
else
    not_ok "generate a file of 4 MiB + 1 byte" "got $size bytes"
fi
cm 20 validate -q "$gen/exactly-4mib.yaml" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0"
check "a valid scenario of exactly 4 MiB validates" "$why" "$tmp/e"
mkdir "$gen/folder.yaml"
bad_case "$gen/folder.yaml" - "cannot read" validate
bad_case "$gen/folder.yaml" - "cannot read" run
bad_case "$gen/no-such-file.yaml" - "cannot open '$gen/no-such-file.yaml'" validate
bad_case "$gen/no-such-file.yaml" - "cannot open '$gen/no-such-file.yaml'" run

# Bad input must not touch an existing output folder either.
prev=$tmp/prev
mkdir "$prev"
echo '{"old": true}' >"$prev/summary.json"
cp "$prev/summary.json" "$tmp/prev.copy"
cm 20 run tests/bad/number-nan.yaml -o "$prev" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
cmp -s "$prev/summary.json" "$tmp/prev.copy" || why="${why}summary.json was changed
"
[ "$(ls -A "$prev")" = "summary.json" ] || why="${why}files were added: $(ls -A "$prev" | tr '\n' ' ')
"
check "bad input leaves an existing output folder untouched" "$why" "$tmp/e"

# --- usage -----------------------------------------------------------------

S=scenarios/pod-run-rate.yaml
usage_error "validate without a file" "validate: give exactly one scenario file" validate
usage_error "validate: unknown option" "validate: unknown option '--bogus'" validate --bogus "$S"
help_ok "capmix validate --help" "usage: capmix validate SCENARIO.yaml" validate --help
help_ok "capmix help validate (help on a command)" "usage: capmix validate" help validate

cm 60 validate -q "$S" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "validate -q prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

finish
