#!/bin/sh
# CLI tests for a run's charts drawn while the rest of the folder is
# written (sim/output/outset.c, plot_run_start in sim/output/plot.h): one
# gnuplot draws a figure's PNG and SVG, byte for byte what a lone gnuplot
# draws from the folder's script; a gnuplot that fails on one terminal
# still leaves the other image; a failing gnuplot is a warning as ever; a
# write that fails while gnuplot draws leaves no folder, no temporary and
# no gnuplot running.  POSIX sh, from the repository root; last line
# "cli: N passed, M failed" (see tests/run-all.sh).
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-charts.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

S=scenarios/offshore-vs-ai.yaml
FIGS="cost_cdf cost_per_outcome"

# temporaries left in a folder, or beside it
leftovers() {
    { ls -A "$1" 2>/dev/null | grep '\.tmp'
      (cd "$(dirname "$1")" && ls -A | grep "^\.$(basename "$1")\.") ; } | tr '\n' ' '
}
# in_file NEEDLE HAYSTACK: the whole text of NEEDLE occurs in HAYSTACK
in_file() {
    awk -v nf="$1" 'BEGIN { while ((getline l < nf) > 0) n = n l "\n"; close(nf)
                            i = index(n, "<svg"); n = substr(n, i) }
                    { h = h $0 "\n" }
                    END { exit !(i > 0 && index(h, n) > 0) }' "$2"
}

REAL=$(command -v gnuplot 2>/dev/null || true)

# --- the images are a lone gnuplot's, byte for byte --------------------------
if [ -n "$REAL" ]; then
    "$BIN" run "$S" --trials 2000 -q -o "$T/r" >/dev/null 2>"$T/e"
    rc=$?
    why=""
    [ $rc -eq 0 ] || why="exit $rc
"
    [ -s "$T/e" ] && why="${why}stderr not empty
"
    for f in $FIGS; do
        (cd "$T/r" && gnuplot -e "outfile = '$T/$f.png'" "$f.gp" &&
            gnuplot -e "svg = 1; outfile = '$T/$f.svg'" "$f.gp") >/dev/null 2>&1 ||
            why="${why}a lone gnuplot failed on $f.gp
"
        cmp -s "$T/$f.png" "$T/r/$f.png" || why="${why}$f.png is not what a lone gnuplot draws
"
        in_file "$T/$f.svg" "$T/r/report.html" || why="${why}report.html does not embed the SVG a lone gnuplot draws of $f
"
    done
    [ -z "$(leftovers "$T/r")" ] || why="${why}left: $(leftovers "$T/r")
"
    check "the PNGs and the embedded SVGs are byte for byte a lone gnuplot's" "$why" "$T/e"
else
    skip "the images are a lone gnuplot's (gnuplot is not installed)"
fi

# --- a gnuplot that fails on PNG only: the SVGs are still embedded ---------
if [ -n "$REAL" ]; then
    mkdir "$T/nopng"
    cat >"$T/nopng/gnuplot" <<EOF
#!/bin/sh
case "\$*" in *.png.tmp*) exit 1 ;; esac
exec "$REAL" "\$@"
EOF
    chmod +x "$T/nopng/gnuplot"
    PATH="$T/nopng:$PATH" "$BIN" run "$S" --trials 2000 -o "$T/np" >/dev/null 2>"$T/e"
    rc=$?
    why=""
    [ $rc -eq 0 ] || why="exit $rc
"
    for f in $FIGS; do
        grep -q "warning: gnuplot failed on $f.gp" "$T/e" || why="${why}no warning for $f.gp
"
        [ -e "$T/np/$f.png" ] && why="${why}$f.png exists
"
        [ -s "$T/np/$f.dat" ] && [ -s "$T/np/$f.gp" ] || why="${why}$f's data or script missing
"
    done
    n=$(grep -c '<svg' "$T/np/report.html" 2>/dev/null)
    [ "${n:-0}" -eq 2 ] || why="${why}report.html embeds ${n:-no} SVGs, want 2
"
    [ -z "$(leftovers "$T/np")" ] || why="${why}left: $(leftovers "$T/np")
"
    check "gnuplot failing on PNG only: exit 0, a warning per figure, both SVGs embedded, no temporary" \
        "$why" "$T/e"
else
    skip "a gnuplot failing on PNG only (gnuplot is not installed)"
fi

# --- a gnuplot that always fails: warnings, the data kept ------------------
mkdir "$T/fail"
printf '#!/bin/sh\nexit 1\n' >"$T/fail/gnuplot"
chmod +x "$T/fail/gnuplot"
PATH="$T/fail:$PATH" "$BIN" run "$S" --trials 500 -o "$T/f" >/dev/null 2>"$T/e"
rc=$?
why=""
[ $rc -eq 0 ] || why="exit $rc
"
for f in $FIGS; do
    grep -q "warning: gnuplot failed on $f.gp; the data and script are in $T/f" "$T/e" ||
        why="${why}no warning for $f.gp naming the folder
"
    [ -e "$T/f/$f.png" ] && why="${why}$f.png exists
"
    [ -s "$T/f/$f.dat" ] && [ -s "$T/f/$f.gp" ] || why="${why}$f's data or script missing
"
done
grep -q '<svg' "$T/f/report.html" 2>/dev/null && why="${why}report.html embeds an SVG
"
[ -s "$T/f/summary.json" ] || why="${why}no summary.json
"
[ -z "$(leftovers "$T/f")" ] || why="${why}left: $(leftovers "$T/f")
"
check "gnuplot failing: exit 0, a warning per figure naming the folder, no image, the data kept" "$why" "$T/e"

# --- a write that fails while gnuplot draws -----------------------------------
# The charts' data files fit a 50 KiB file-size limit, summary.json does
# not: its write fails (EFBIG; SIGXFSZ ignored) after gnuplot has started.
mkdir "$T/slow"
cat >"$T/slow/gnuplot" <<EOF
#!/bin/sh
echo \$\$ >>"$T/gp.pids"
exec sleep 30
EOF
chmod +x "$T/slow/gnuplot"
# capmix may stop the fake gnuplot before it runs its first line (the
# write fails that fast): then nothing shows it started, so try again, up
# to 10 times, until one run shows it did.
tries=0
while :; do
    tries=$((tries + 1))
    (trap '' XFSZ; ulimit -f 100; PATH="$T/slow:$PATH" exec "$BIN" run "$S" --trials 500 -q -o "$T/w") \
        >/dev/null 2>"$T/e"
    rc=$?
    [ -s "$T/gp.pids" ] || [ $tries -ge 10 ] || [ $rc -ne 1 ] || [ -e "$T/w" ] && break
done
why=""
[ $rc -eq 1 ] || why="exit $rc, want 1
"
grep -q "capmix: cannot write '.*summary.json'" "$T/e" || why="${why}no message naming summary.json
"
[ -s "$T/gp.pids" ] || why="${why}gnuplot never started in $tries runs (the test no longer fails a write while it draws)
"
for gp in $(cat "$T/gp.pids" 2>/dev/null); do
    kill -0 "$gp" 2>/dev/null && { why="${why}gnuplot $gp still runs
"; kill "$gp"; }
done
[ -e "$T/w" ] && why="${why}the output folder exists
"
[ -z "$(leftovers "$T/w")" ] || why="${why}left: $(leftovers "$T/w")
"
check "a write failing while gnuplot draws: exit 1, the file named, no folder, no temporary, gnuplot stopped" \
    "$why" "$T/e"

finish
