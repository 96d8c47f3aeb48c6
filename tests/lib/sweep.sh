# tests/lib/sweep.sh: helpers shared by tests/cli/sweep.sh and
# tests/cli/breakeven.sh (sourced after tests/lib/cli.sh and cli_setup;
# they write below $sw).

# sweep_usage DESCRIPTION SUBSTRING COMMAND ARGS...: `capmix COMMAND -o DIR
# --trials 300 --no-plots ARGS...` exits 2 with SUBSTRING on stderr, nothing
# on stdout and no output folder.  (The options go first: the last of ARGS
# stays the last argument.)
sweep_usage() {
    su_desc=$1
    su_sub=$2
    su_cmd=$3
    shift 3
    rm -rf "$sw/never"
    cm 20 "$su_cmd" -o "$sw/never" --trials 300 --no-plots "$@" >"$tmp/u.out" 2>"$tmp/u.err"
    su_rc=$?
    su_why=""
    [ "$su_rc" -eq 2 ] || su_why="exit status $su_rc, want 2
"
    grep -F -q -e "$su_sub" "$tmp/u.err" || su_why="${su_why}stderr lacks '$su_sub'
"
    [ -s "$tmp/u.out" ] && su_why="${su_why}stdout is not empty
"
    [ -e "$sw/never" ] && su_why="${su_why}the output folder was created
"
    check "usage: $su_cmd $su_desc" "$su_why" "$tmp/u.err" "$tmp/u.out"
    rm -rf "$sw/never"
}

# py_sweep FILE CHECK [ARG...]: the checks of tests/lib/sweep_check.py (see
# there); defined in tests/lib/cli.sh.

# sweep_py DESCRIPTION FILE CHECK [ARG...]: a py_sweep check as a test line.
sweep_py() {
    sp_desc=$1
    shift
    if [ "$HAVE_PY" -ne 1 ]; then
        skip "$sp_desc (python3 is not installed)"
        return
    fi
    if [ ! -f "$1" ]; then
        not_ok "$sp_desc" "no $1"
        return
    fi
    py_sweep "$@" >"$tmp/e" 2>&1
    sp_rc=$?
    sp_why=""
    [ "$sp_rc" -eq 0 ] || sp_why="$(cat "$tmp/e")"
    check "$sp_desc" "$sp_why"
}

# crlf_rows FILE ROWS: FILE has a header and ROWS rows, every line ending
# in CRLF, all with the same number of fields; prints the problems.
crlf_rows() {
    if [ ! -f "$1" ]; then
        echo "no $(basename "$1")"
        return
    fi
    cr_lines=$(wc -l <"$1" | tr -d ' ')
    cr_crs=$(tr -cd '\r' <"$1" | wc -c | tr -d ' ')
    [ "$cr_lines" -eq $(($2 + 1)) ] || echo "$(basename "$1"): $cr_lines lines, want a header and $2 rows"
    [ "$cr_crs" -eq "$cr_lines" ] || echo "$(basename "$1"): $cr_crs of $cr_lines lines end in CRLF"
    cr_nf=$(tr -d '\r' <"$1" | awk -F, '{ print NF }' | sort -u | wc -l | tr -d ' ')
    [ "$cr_nf" -eq 1 ] || echo "$(basename "$1"): rows have different numbers of fields"
}
