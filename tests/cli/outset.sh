#!/bin/sh
# CLI tests for output sets that are all-or-nothing (issue 14, class 5):
# `-o DIR` is built in a sibling folder and swapped in whole (sim/base/atomic.h,
# atomic_dir), so no file of an earlier run stays beside new results, two
# writers of one folder never mix, a signal while charts are drawn leaves
# the previous folder and no temporary, a damaged image is never committed,
# and stale siblings of a dead capmix are swept (nothing else is).
# POSIX sh, from the repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-outset.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
S=scenarios/pod-run-rate.yaml
S2=scenarios/ai-team-run-rate.yaml

# siblings DIR: what else is in DIR's parent, starting with '.DIR.'
siblings() {
    (cd "$(dirname "$1")" && ls -A | grep "^\.$(basename "$1")\." | tr '\n' ' ')
}
# the scenario a folder's summary.json, report.html and run.log are about,
# "name name name" when they agree
names_in() {
    a=$(sed -n 's/^  "scenario": "\(.*\)",$/\1/p' "$1/summary.json" 2>/dev/null)
    b=$(sed -n 's/.*<title>capmix: \(.*\)<\/title>.*/\1/p' "$1/report.html" 2>/dev/null | head -n 1)
    c=$(sed -n '1s/^capmix [^ ]*  \([^ ]*\)  .*/\1/p' "$1/run.log" 2>/dev/null)
    echo "$a $b $c"
}

# --- the folder is replaced whole ------------------------------------------
"$BIN" run "$S" --trials 300 -q --export-trials -o "$T/a" >/dev/null 2>&1
"$BIN" run "$S2" --trials 300 -q --no-plots -o "$T/a" >"$T/o" 2>"$T/e"
rc=$?
why=""
[ $rc -eq 0 ] || why="exit $rc
"
for f in trials.csv cost_cdf.png cost_per_outcome.png; do
    [ -e "$T/a/$f" ] && why="${why}$f of the earlier run is still there
"
done
set -- $(names_in "$T/a")
[ "${1:-}" = "${2:-x}" ] && [ "${2:-}" = "${3:-y}" ] || why="${why}files of two scenarios: $*
"
[ -z "$(siblings "$T/a")" ] || why="${why}left beside it: $(siblings "$T/a")
"
[ -z "$(ls -A "$T/a" | grep '^\.')" ] || why="${why}hidden files inside: $(ls -A "$T/a" | grep '^\.')
"
check "a second run into a folder replaces it whole (no trials.csv or PNG of the first)" "$why" "$T/e"

# --- what is never replaced -------------------------------------------------
mkdir "$T/mine" && echo keep >"$T/mine/notes.txt"
"$BIN" run "$S" --trials 300 -q --no-plots -o "$T/mine" >"$T/o" 2>"$T/e"
rc=$?
why=""
[ $rc -eq 1 ] || why="exit $rc, want 1
"
grep -q "holds no capmix results" "$T/e" || why="${why}no message saying why
"
[ "$(ls -A "$T/mine")" = notes.txt ] || why="${why}the folder changed: $(ls -A "$T/mine")
"
check "a folder holding no capmix results is refused (exit 1), not replaced" "$why" "$T/e"
(cd "$T/a" && "$BIN" run "$OLDPWD/$S" --trials 300 -q --no-plots -o . >/dev/null 2>"$T/e")
rc=$?
[ $rc -eq 1 ] && [ -s "$T/a/summary.json" ] && ok "-o . is refused (exit 1)" ||
    not_ok "-o . is refused (exit 1)" "exit $rc" "$(cat "$T/e")"
ln -s "$T/a" "$T/link"
"$BIN" run "$S" --trials 300 -q --no-plots -o "$T/link" >/dev/null 2>"$T/e"
rc=$?
[ $rc -eq 1 ] && [ -L "$T/link" ] && ok "-o a symbolic link is refused (exit 1), the link kept" ||
    not_ok "-o a symbolic link is refused (exit 1), the link kept" "exit $rc" "$(cat "$T/e")"

# an interrupted older capmix left only hidden temporaries (one was 386 MB):
# the next run replaces the folder, and they go
mkdir "$T/half"
head -c 1000000 /dev/zero >"$T/half/.summary.json.tmp.AbC123"
: >"$T/half/.cost_cdf.png.tmp"
"$BIN" run "$S" --trials 300 -q --no-plots -o "$T/half" >/dev/null 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && [ -s "$T/half/summary.json" ] && [ -z "$(ls -A "$T/half" | grep '^\.')" ] &&
    ok "a folder holding only an interrupted run's temporaries is replaced, the temporaries gone" ||
    not_ok "a folder holding only an interrupted run's temporaries is replaced, the temporaries gone" \
        "exit $rc; $(ls -A "$T/half" | tr '\n' ' ')" "$T/e"

# --- stale siblings: a dead capmix's are swept, nothing else ---------------
"$BIN" run "$S" --trials 300 -q --no-plots -o "$T/st" >/dev/null 2>&1
mkdir "$T/.st.tmp-dir.99999999.abcdef" "$T/.st.tmp-old.99999999.ghijkl" "$T/.st.tmp-dir.$$.mnopqr" \
    "$T/.st.keep"
head -c 100000 /dev/zero >"$T/.st.tmp-dir.99999999.abcdef/.summary.json.tmp.XYZ123"
"$BIN" run "$S" --trials 300 -q --no-plots -o "$T/st" >/dev/null 2>"$T/e"
why=""
[ -e "$T/.st.tmp-dir.99999999.abcdef" ] && why="a dead process's folder stayed
"
[ -e "$T/.st.tmp-old.99999999.ghijkl" ] && why="${why}a dead process's old folder stayed
"
[ -d "$T/.st.tmp-dir.$$.mnopqr" ] || why="${why}a live process's folder was removed
"
[ -d "$T/.st.keep" ] || why="${why}an unrelated folder was removed
"
check "stale siblings of a dead capmix are swept, a live one's and others kept" "$why" "$T/e"
rm -rf "$T/.st.tmp-dir.$$.mnopqr" "$T/.st.keep"

# --- concurrent writers -----------------------------------------------------
# The old code mixed one scenario's data with the other's report in 8-9
# of 20 tries (both exit 0).  A writer now waits for the other's swap.
mixed=0 bad=""
i=0
while [ $i -lt 10 ]; do
    "$BIN" run "$S" --trials 400 -q -o "$T/c" >/dev/null 2>"$T/e1" &
    p1=$!
    "$BIN" run "$S2" --trials 400 -q -o "$T/c" >/dev/null 2>"$T/e2" &
    p2=$!
    wait $p1
    r1=$?
    wait $p2
    r2=$?
    [ $r1 -eq 0 ] && [ $r2 -eq 0 ] || bad="${bad}try $i: exit $r1 and $r2; "
    set -- $(names_in "$T/c")
    { [ "${1:-}" = "${2:-x}" ] && [ "${2:-}" = "${3:-y}" ]; } || mixed=$((mixed + 1))
    [ -z "$(siblings "$T/c")" ] || bad="${bad}try $i left $(siblings "$T/c"); "
    i=$((i + 1))
done
check "two concurrent runs into one folder, 10 tries: both exit 0, the folder is one run's every time" \
    "$bad$( [ $mixed -eq 0 ] || echo "$mixed of 10 folders mix two scenarios")" "$T/e1" "$T/e2"

# --- signals while charts are drawn ------------------------------------------
# A gnuplot that records its PID and waits: the run is stopped while it
# draws.  SIGINT must be deliverable to a background job (env
# --default-signal; a shell ignores it there).
mkdir "$T/slow"
cat >"$T/slow/gnuplot" <<EOF
#!/bin/sh
echo \$\$ >>"$T/gp.pids"
exec sleep 60
EOF
chmod +x "$T/slow/gnuplot"
"$BIN" run "$S" --trials 300 -q --no-plots -o "$T/sig" >/dev/null 2>&1
cp -R "$T/sig" "$T/sig.prev"
for sig in INT TERM HUP; do
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    rm -f "$T/gp.pids"
    # (signals a background shell or nohup ignores are restored for capmix)
    PATH="$T/slow:$PATH" env --default-signal=INT,TERM,HUP "$BIN" run "$S" --trials 300 -q -o "$T/sig" \
        >/dev/null 2>"$T/e" &
    pid=$!
    n=0
    while [ ! -s "$T/gp.pids" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
    kill -s $sig $pid
    wait $pid
    rc=$?
    why=""
    [ -s "$T/gp.pids" ] || why="gnuplot never started
"
    [ $rc -eq $want ] || why="${why}exit $rc, want $want
"
    diff -r "$T/sig.prev" "$T/sig" >/dev/null 2>&1 || why="${why}the previous folder changed
"
    [ -z "$(siblings "$T/sig")" ] || why="${why}left beside it: $(siblings "$T/sig")
"
    for gp in $(cat "$T/gp.pids" 2>/dev/null); do
        kill -0 "$gp" 2>/dev/null && { why="${why}gnuplot $gp still runs
"; kill "$gp"; }
    done
    check "SIG$sig while charts are drawn: exit $want, the previous folder intact, no temporary, gnuplot stopped" \
        "$why" "$T/e"
done
# the same with no previous folder: none afterwards
rm -f "$T/gp.pids"
PATH="$T/slow:$PATH" "$BIN" run "$S" --trials 300 -q -o "$T/signew" >/dev/null 2>"$T/e" &
pid=$!
n=0
while [ ! -s "$T/gp.pids" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
kill -s TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] && [ ! -e "$T/signew" ] && [ -z "$(siblings "$T/signew")" ] &&
    ok "SIGTERM while drawing into a new folder: exit 143, no folder, no temporary" ||
    not_ok "SIGTERM while drawing into a new folder: exit 143, no folder, no temporary" \
        "exit $rc; $(ls -A "$T" | grep signew | tr '\n' ' ')"

# --- gnuplot on a full disk: exit 0 and a truncated image -------------------
mkdir "$T/full"
cat >"$T/full/gnuplot" <<'EOF'
#!/bin/sh
# each -e argument: cd 'DIR'; [svg = 1; ]outfile = 'NAME', or for the
# second image of a pair: reset; svg = 1; outfile = 'NAME'
dir=$(printf '%s' "$2" | sed -n "s/^cd '\(.*\)'; .*/\1/p")
for e in "$2" "${4:-}"; do
    out=$(printf '%s' "$e" | sed -n "s/.*outfile = '\(.*\)'$/\1/p")
    case $out in
    '') ;;
    *svg*) printf '<?xml version="1.0"?>\n<svg width="10"' >"$dir/$out" ;;
    *) printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$dir/$out" ;;
    esac
done
exit 0
EOF
chmod +x "$T/full/gnuplot"
PATH="$T/full:$PATH" "$BIN" run "$S" --trials 300 -o "$T/fd" >/dev/null 2>"$T/e"
rc=$?
why=""
[ $rc -eq 0 ] || why="exit $rc
"
ls "$T/fd"/*.png >/dev/null 2>&1 && why="${why}a damaged PNG was committed: $(ls "$T/fd" | grep png)
"
grep -q "damaged" "$T/e" || why="${why}no warning that the image is damaged
"
grep -q "<svg" "$T/fd/report.html" 2>/dev/null && why="${why}a damaged SVG was embedded
"
[ -s "$T/fd/summary.json" ] || why="${why}no summary.json
"
check "gnuplot exits 0 with truncated images: none committed or embedded, a warning, the data kept" "$why" "$T/e"

# --- sweep, breakeven, tornado and report go through the same swap ---------
"$BIN" sweep "$S" --set pod/pod.hourly_rate=40:60:2 --metric cost_total.mean --trials 200 -q -o "$T/sw" \
    >/dev/null 2>&1
"$BIN" sweep "$S" --set pod/pod.hourly_rate=40:60:2 --metric cost_total.mean --trials 200 -q --no-plots \
    -o "$T/sw" >/dev/null 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && [ -s "$T/sw/sweep.json" ] && [ ! -e "$T/sw/sweep.png" ] && [ -z "$(siblings "$T/sw")" ] &&
    ok "sweep -o replaces its folder whole (no PNG of the earlier sweep)" ||
    not_ok "sweep -o replaces its folder whole (no PNG of the earlier sweep)" "exit $rc; $(ls -A "$T/sw")" "$T/e"
"$BIN" run "$S" --trials 300 -q --export-trials -o "$T/rep" >/dev/null 2>&1
touch "$T/rep/stray.txt"
"$BIN" report "$T/rep" >/dev/null 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && [ -s "$T/rep/report.html" ] && [ -s "$T/rep/trials.csv" ] && [ ! -e "$T/rep/stray.txt" ] &&
    ok "report DIR rebuilds the folder whole" ||
    not_ok "report DIR rebuilds the folder whole" "exit $rc; $(ls -A "$T/rep")" "$T/e"
finish
