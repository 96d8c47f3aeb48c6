#!/bin/sh
# CLI tests for `capmix sweep` (model, "Sweeps and break-even curves"):
# usage and parameter paths, sweep.csv and sweep.json (tests/lib/sweep_check.py),
# crossings against analytic answers and against `capmix bid`,
# reproducibility, the scenario's sweep: section.
#
# POSIX sh (runs under dash), from the repository root; prints "ok - ..." or
# "not ok - ..." per check and, last, "cli: N passed, M failed" (see
# tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup sweep

. tests/lib/sweep.sh

FB=scenarios/fixed-bid-offer.yaml
SR=scenarios/offshore-vs-ai.yaml
TB=scenarios/token-breakeven.yaml
sw=$tmp/sweep
mkdir "$sw"

help_ok "capmix sweep --help" "usage: capmix sweep SCENARIO.yaml --set PATH=LO:HI:N --metric METRIC.STAT" sweep --help
help_ok "capmix sweep --help names --between" "--between A B" sweep --help
help_ok "capmix help sweep (help on a command)" "usage: capmix sweep SCENARIO.yaml" help sweep
help_ok "capmix --help lists the sweep command" "  sweep " --help
usage_error "unknown command 'swep' suggests sweep" "unknown command 'swep' (did you mean 'sweep'?)" swep
# `help` suggests commands too (as for 'help envelop').
usage_error "help on a misspelt command suggests sweep" "(did you mean 'sweep'?)" help swep

HR='offshore/pod.hourly_rate=40:120:3'
BM=blended_cost.mean
sweep_usage "without a file" "sweep: give exactly one scenario file" sweep --set "$HR" --metric "$BM"
sweep_usage "with two files" "sweep: give exactly one scenario file" sweep "$SR" "$TB" --set "$HR" --metric "$BM"
sweep_usage "unknown option" "sweep: unknown option '--bogus'" sweep "$SR" --set "$HR" --metric "$BM" --bogus
sweep_usage "--metric without its value" "option '--metric' needs a value" sweep "$SR" --set "$HR" --metric
sweep_usage "--trials 0 (an option of run)" "--trials needs a whole number from 2 to 100000000, not '0'" sweep "$SR" --set "$HR" --metric "$BM" --trials 0
sweep_usage "without --set and without a sweep: section" "sweep: give --set PATH=LO:HI:N and --metric METRIC.STAT" sweep "$SR" --metric "$BM"
sweep_usage "without --metric and without a sweep: section" "sweep: give --set PATH=LO:HI:N and --metric METRIC.STAT" sweep "$SR" --set "$HR"
sweep_usage "--set a=1:2 (no N)" "--set needs PATH=LO:HI:N with decimal numbers, not 'a=1:2'" sweep "$SR" --set a=1:2 --metric "$BM"
sweep_usage "--set x.y=2:1:3 (high to low)" "--set: the range 2:1 must go from low to high" sweep "$SR" --set x.y=2:1:3 --metric "$BM"
sweep_usage "--set x.y=1:1:3 (an empty range)" "--set: the range 1:1 must go from low to high" sweep "$SR" --set x.y=1:1:3 --metric "$BM"
sweep_usage "--set x.y=0x1:2:3 (hexadecimal)" "--set needs PATH=LO:HI:N with decimal numbers, not 'x.y=0x1:2:3'" sweep "$SR" --set x.y=0x1:2:3 --metric "$BM"
sweep_usage "--set x.y=1:2:1 (one point)" "give 2 to 1000" sweep "$SR" --set x.y=1:2:1 --metric "$BM"
sweep_usage "--set x.y=1:2:1001 (too many points)" "give 2 to 1000" sweep "$SR" --set x.y=1:2:1001 --metric "$BM"
sweep_usage "--set x.y=1:2:2.5 (N not whole)" "--set needs PATH=LO:HI:N" sweep "$SR" --set x.y=1:2:2.5 --metric "$BM"
sweep_usage "--set x.y=nan:2:3" "--set needs PATH=LO:HI:N with decimal numbers" sweep "$SR" --set x.y=nan:2:3 --metric "$BM"
sweep_usage "--set =1:2:3 (no path)" "--set needs PATH=LO:HI:N" sweep "$SR" --set =1:2:3 --metric "$BM"
# An empty field is not a number: LO:HI::N and :LO:HI:N are not LO:HI:N.
sweep_usage "--set with an empty field (40:120::3)" "--set needs PATH=LO:HI:N" sweep "$SR" --set 'offshore/pod.hourly_rate=40:120::3' --metric "$BM"
sweep_usage "--set with an empty first field (:40:120:3)" "--set needs PATH=LO:HI:N" sweep "$SR" --set 'offshore/pod.hourly_rate=:40:120:3' --metric "$BM"
sweep_usage "unknown metric suggests the nearest" "unknown metric 'blended_cst' (did you mean 'blended_cost'?)" sweep "$SR" --set "$HR" --metric blended_cst.mean
sweep_usage "a metric without a statistic" "'blended_cost' needs a statistic: blended_cost.mean" sweep "$SR" --set "$HR" --metric blended_cost
sweep_usage "unknown statistic suggests the nearest" "unknown statistic 'p99' (did you mean 'p90'?)" sweep "$SR" --set "$HR" --metric blended_cost.p99
salts=$(sed -n 's/^  - name: *//p' "$SR" | paste -s -d , - | sed 's/,/, /g')
sweep_usage "a path with an unknown alternative lists the alternatives" \
    "path 'ofshore/pod.hourly_rate': no alternative 'ofshore' (alternatives: $salts)" \
    sweep "$SR" --set 'ofshore/pod.hourly_rate=40:120:3' --metric "$BM"
sweep_usage "a path with an unknown source lists the sources" \
    "path 'offshore/pd.hourly_rate': alternative 'offshore' has no source 'pd' (sources: pod)" \
    sweep "$SR" --set 'offshore/pd.hourly_rate=40:120:3' --metric "$BM"
sweep_usage "a path with an unknown key suggests the nearest" \
    "path 'offshore/pod.hourly_rte': 'offshore/pod' has no 'hourly_rte' (did you mean 'hourly_rate'?)" \
    sweep "$SR" --set 'offshore/pod.hourly_rte=40:120:3' --metric "$BM"
sweep_usage "a path ending at a mapping that is not a distribution" \
    "path 'offshore/pod.outcomes' names a mapping, not a number" \
    sweep "$SR" --set 'offshore/pod.outcomes=0.3:0.9:3' --metric "$BM"
sweep_usage "a path going on past a number" "'offshore/pod.hourly_rate' is a number, it has no 'x'" \
    sweep "$SR" --set 'offshore/pod.hourly_rate.x=40:120:3' --metric "$BM"
sweep_usage "a path without a key after the source" "path 'offshore/pod' needs a key after the source" \
    sweep "$SR" --set 'offshore/pod=40:120:3' --metric "$BM"
sweep_usage "a path into a missing section" "path 'calendar.days_per_month': the scenario has no 'calendar' section" \
    sweep "$SR" --set 'calendar.days_per_month=28:31:2' --metric "$BM"
sweep_usage "--between with one name" "sweep: --between needs two alternatives: --between A B" \
    sweep "$SR" --set "$HR" --metric "$BM" --between offshore
sweep_usage "--between with one name before another option" "sweep: --between needs two alternatives" \
    sweep "$SR" --set "$HR" --between offshore --metric "$BM"
sweep_usage "--between naming a missing alternative" "--between: no alternative 'nope' in the scenario" \
    sweep "$SR" --set "$HR" --metric "$BM" --between offshore nope
sweep_usage "--between naming one alternative twice" "--between needs two different alternatives" \
    sweep "$SR" --set "$HR" --metric "$BM" --between offshore offshore
sweep_usage "--x belongs to breakeven" "sweep: option '--x' belongs to 'capmix breakeven'" \
    sweep "$SR" --x "$HR" --metric "$BM"
sweep_usage "--y belongs to breakeven" "sweep: option '--y' belongs to 'capmix breakeven'" \
    sweep "$SR" --set "$HR" --y 'ai-team/team.headcount=2:6' --metric "$BM"
sweep_usage "-o with an empty folder name" "sweep: -o needs a folder name" sweep "$SR" --set "$HR" --metric "$BM" -o ""
# A swept value the scenario rejects: its position in the file, and the value.
hr_line=$(grep -n '^        hourly_rate: 85$' "$SR" | head -n 1 | cut -d: -f1)
sweep_usage "a swept value the scenario rejects (hourly_rate -10): its position and the value" \
    "capmix: $SR:${hr_line:-?}:22: 'hourly_rate' (-10) must not be negative (with the swept value -10)" \
    sweep "$SR" --set 'offshore/pod.hourly_rate=-10:10:3' --metric "$BM"
sweep_usage "a distribution's mode swept out of [min, max]" "(with the swept value 25)" \
    sweep "$SR" --set 'offshore/pod.review_wait_days.mode=4:25:3' --metric "$BM"

# A bad scenario: the corpus case's message, no output folder.
SB=tests/bad/sweep-unknown-key-typo.yaml
exp=$(head -n 1 "$SB" | sed -n 's/^# expect: //p')
sweep_usage "on a bad scenario: the corpus case's message" "capmix: $SB:$exp" sweep "$SB" --set "$HR" --metric "$BM"

# A sweep that works: the offshore pod's rate from 40 to 120.
cm 60 sweep "$SR" --set 'offshore/pod.hourly_rate=40:120:5' --metric blended_cost.mean --trials 500 \
    -o "$sw/main" >"$sw/main.out" 2>"$sw/main.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for want in sweep.csv sweep.json sweep.gp; do
    [ -s "$sw/main/$want" ] || why="${why}no $want
"
done
left=$(leftovers "$sw/main")
[ -z "$left" ] || why="${why}temporary files left: $left
"
grep -q "^crossing: 'ai-team' and 'offshore' are equal at offshore/pod.hourly_rate = " "$sw/main.out" ||
    why="${why}no 'crossing: 'ai-team' and 'offshore' are equal at offshore/pod.hourly_rate = ' line on stdout
"
check "sweep $SR --set offshore/pod.hourly_rate=40:120:5 --metric blended_cost.mean --trials 500 -o DIR: exit 0, sweep.csv, sweep.json, sweep.gp, crossings on stdout" \
    "$why" "$sw/main.err" "$sw/main.out"
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    [ -s "$sw/main/sweep.png" ] || why="no sweep.png"
    grep -q 'warning' "$sw/main.err" && why="${why}a warning: $(grep 'warning' "$sw/main.err")"
    check "sweep, gnuplot installed: sweep.png is drawn, no warning" "$why" "$sw/main.err"
else
    skip "sweep: sweep.png is drawn (gnuplot is not installed)"
fi
nalt=$(grep -c '^  - name:' "$SR")
why=$(crlf_rows "$sw/main/sweep.csv" 5)
if [ -f "$sw/main/sweep.csv" ]; then
    head -n 1 "$sw/main/sweep.csv" | tr -d '\r' | grep -q '^"offshore/pod.hourly_rate","offshore","offshore.se","offshore.p10","offshore.p90",' ||
        why="${why}
the header does not start with the parameter and offshore's four columns"
    nf=$(head -n 1 "$sw/main/sweep.csv" | awk -F, '{ print NF }')
    [ "$nf" -eq $((1 + 4 * nalt)) ] || why="${why}
the header has $nf fields, want 1 + 4 x $nalt alternatives"
fi
check "sweep.csv: a header (the parameter, then value, se, p10, p90 per alternative) and 5 CRLF rows" "$why"
sweep_py "sweep.json: parameter, metric, statistic, the 5 values from 40 to 120, crossings with the value inside its interval and the range" \
    "$sw/main/sweep.json" shape offshore/pod.hourly_rate blended_cost mean 5 40 120
# Common random numbers: only the offshore pod's rate changes, so only its
# column moves (and pod-plus-coach, with a source of the same name, not).
if [ -f "$sw/main/sweep.csv" ]; then
    why=$(tr -d '\r' <"$sw/main/sweep.csv" | awk -F, '
        NR == 1 { for (i = 2; i <= NF; i++) if ($i == "\"offshore\"") c = i; next }
        NR == 2 { prev = $c; for (i = 2; i <= NF; i++) first[i] = $i; next }
        {
            if (!($c + 0 > prev + 0)) printf "offshore: %s after %s (row %d)\n", $c, prev, NR - 1
            prev = $c
            for (i = 2; i <= NF; i++)
                if ((i < c || i > c + 3) && $i != first[i])
                    printf "column %d changed on row %d: %s, was %s\n", i, NR - 1, $i, first[i]
        }
        END { if (!c) print "no offshore column" }' | head -n 10)
    check "sweep.csv: offshore increases strictly with its rate; every other alternative's columns are identical on all rows" "$why"
fi

# The crossing against an analytic answer.  Consultants on a monthly fee,
# one lane each, items of size 1, 30-day months, all accepted: 24 outcomes
# take 24 / T months, so cost_per_outcome is fee / T exactly, for 'fast'
# 30000 / T and for 'si' 45000 / 6 = 7500: equal at T = 4.
cat >"$sw/fee.yaml" <<'EOF'
capmix: 1
calendar: {days_per_month: 30}
work: {outcomes: 24, horizon_days: 1095}
alternatives:
  - name: fast
    sources:
      - kind: consultants
        monthly_fee: 30000
        throughput_per_month: 6
        item_size: 1
        outcomes: {accepted: 1}
  - name: si
    sources:
      - kind: consultants
        monthly_fee: 45000
        throughput_per_month: 6
        item_size: 1
        outcomes: {accepted: 1}
EOF
FT='fast/consultants.throughput_per_month'
cm 60 sweep "$sw/fee.yaml" --set "$FT=2:8:4" --metric cost_per_outcome.mean --between fast si \
    --trials 300 --no-plots -o "$sw/fee" >"$sw/fee.out" 2>"$sw/fee.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
if [ -f "$sw/fee/sweep.csv" ]; then
    got=$(tr -d '\r' <"$sw/fee/sweep.csv" | awk -F, 'NR > 1 { printf "%s:%s:%s ", $1, $2, $6 }')
    [ "$got" = "2:15000:7500 4:7500:7500 6:5000:7500 8:3750:7500 " ] ||
        why="${why}value:fast:si on the rows are '$got', want 2:15000:7500 4:7500:7500 6:5000:7500 8:3750:7500
"
else
    why="${why}no sweep.csv
"
fi
check "sweep of fee.yaml --set $FT=2:8:4: exit 0, cost_per_outcome.mean is fee / throughput exactly" "$why" "$sw/fee.err"
sweep_py "sweep of fee.yaml (2:8:4) --between fast si: one crossing, within 4e-3 of the analytic 4" \
    "$sw/fee/sweep.json" crossing fast si 4 0.004
cm 60 sweep "$sw/fee.yaml" --set "$FT=2:8:5" --metric cost_per_outcome.mean --between fast si \
    --trials 300 --no-plots -q -o "$sw/fee5" 2>"$sw/fee5.err"
sweep_py "sweep of fee.yaml (2:8:5, 4 between grid points): Brent finds the crossing within 4e-3 of 4" \
    "$sw/fee5/sweep.json" crossing fast si 4 0.004
# A crossing on an end of the range is a crossing whichever way round
# --between names the pair (the difference's sign does not matter).
for g in 2:4:3 4:8:3; do
    for pair in "fast si" "si fast"; do
        # shellcheck disable=SC2086
        cm 60 sweep "$sw/fee.yaml" --set "$FT=$g" --metric cost_per_outcome.mean --between $pair \
            --trials 300 --no-plots -q -o "$sw/end" 2>"$sw/end.err"
        # shellcheck disable=SC2086
        sweep_py "sweep of fee.yaml ($g, the crossing at an end) --between $pair: the crossing at 4 is found" \
            "$sw/end/sweep.json" crossing $pair 4 0.004
        rm -rf "$sw/end"
    done
done

# Sweeping a whole-number parameter (work.outcomes) on a grid of whole
# numbers: the crossing is solved between grid points, at values the
# scenario would refuse.  The sweep must not fail on a value nobody asked
# for: exit 0 with its results, or exit 2 before simulating anything.
sed 's/^        monthly_fee: 30000$/        monthly_fee: 30000\
        onboarding_cost: 60000/' "$sw/fee.yaml" >"$sw/onboard.yaml"
if grep -q '^        onboarding_cost: 60000$' "$sw/onboard.yaml"; then
    cm 60 sweep "$sw/onboard.yaml" --set 'work.outcomes=10:30:3' --metric cost_per_outcome.mean --between fast si \
        --trials 300 --no-plots -o "$sw/int" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    case $rc in
    0) [ -s "$sw/int/sweep.csv" ] || why="exit 0 without sweep.csv
" ;;
    2) [ -s "$tmp/o" ] && why="exit 2 after printing results
"
       [ -e "$sw/int" ] && why="${why}exit 2, but the output folder was created
" ;;
    *) why="exit status $rc, want 0 (or 2 before simulating)
" ;;
    esac
    check "sweep --set work.outcomes=10:30:3 (whole numbers; a crossing between 20 and 30): no failure on a value off the grid" \
        "$why" "$tmp/e" "$tmp/o"
else
    not_ok "add onboarding_cost to a copy of fee.yaml" "the copy is not as expected"
fi

# The same crossing as `capmix bid`: cost_total.mean of a fixed bid is
# linear in its price, so the price where it meets the mix's is the
# break-even price at risk neutrality, on the same trials.
if [ "$HAVE_PY" -eq 1 ]; then
    cm 60 bid "$FB" --trials 1000 --no-plots -q --risk-tolerance infinity -o "$sw/bid" 2>"$sw/bid.err"
    cm 60 sweep "$FB" --set 'partner-fixed-bid.fixed_bid.price=500000:1200000:3' --metric cost_total.mean \
        --between partner-fixed-bid offshore --trials 1000 --no-plots -q -o "$sw/price" 2>"$sw/price.err"
    be=$(py_bid "$sw/bid/summary.json" break_even partner-fixed-bid offshore cost_total 2>"$tmp/e")
    cx=$(py_sweep "$sw/price/sweep.json" value partner-fixed-bid offshore 2>>"$tmp/e")
    why=""
    if [ -z "$be" ] || [ -z "$cx" ]; then
        why="break-even '$be', crossing '$cx'"
    else
        python3 tests/lib/rel_close.py "$be" "$cx" 1e-6 ||
            why="sweep's crossing $cx != bid's break_even_price $be"
    fi
    check "sweep of $FB's price on cost_total.mean: the crossing with offshore is bid's break-even price at risk neutrality" "$why" "$tmp/e" "$sw/price.err"
else
    skip "sweep of a fixed bid's price meets bid's break-even price (python3 is not installed)"
fi

# Reproducibility: the thread count does not change the numbers; the seed does.
for r in t1:1:20261123 t2:2:20261123 s2:1:2; do
    n=${r%%:*}
    th=${r#*:}
    se=${th#*:}
    th=${th%%:*}
    cm 60 sweep "$SR" --set 'offshore/pod.hourly_rate=40:120:3' --metric blended_cost.p90 --trials 1000 \
        --no-plots -q --threads "$th" --seed "$se" -o "$sw/$n" 2>"$sw/$n.err"
done
if [ -f "$sw/t1/sweep.csv" ] && cmp -s "$sw/t1/sweep.csv" "$sw/t2/sweep.csv"; then
    ok "sweep --threads 1 and --threads 2: byte-identical sweep.csv"
else
    not_ok "sweep --threads 1 and --threads 2: byte-identical sweep.csv" \
        "$(diff "$sw/t1/sweep.csv" "$sw/t2/sweep.csv" 2>&1 | head -n 6)"
fi
if [ -f "$sw/t1/sweep.csv" ] && [ -f "$sw/s2/sweep.csv" ] && ! cmp -s "$sw/t1/sweep.csv" "$sw/s2/sweep.csv"; then
    ok "sweep --seed 20261123 and --seed 2: different sweep.csv"
else
    not_ok "sweep --seed 20261123 and --seed 2: different sweep.csv" "the same results (or no results)"
fi

# sweep --quiet prints nothing.
cm 60 sweep "$SR" --set 'offshore/pod.hourly_rate=40:120:3' --metric blended_cost.mean --trials 300 --no-plots -q \
    >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "sweep --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

# The scenario's sweep: section supplies --set, --metric and --between.
sset=$(awk '/^sweep:/ { s = 1; next } /^[^ ]/ { s = 0 } s && /^  set: / { print $2; exit }' "$TB")
smetric=$(awk '/^sweep:/ { s = 1; next } /^[^ ]/ { s = 0 } s && /^  metric: / { print $2; exit }' "$TB")
spath=${sset%%=*}
srange=${sset#*=}
slo=${srange%%:*}
sn=${srange##*:}
shi=${srange#*:}
shi=${shi%%:*}
if [ -z "$sset" ] || [ -z "$smetric" ] || [ -z "$sn" ]; then
    not_ok "read the sweep: section of $TB" "set '$sset', metric '$smetric'"
else
    cm 60 sweep "$TB" --trials 300 --no-plots -o "$sw/file" >"$sw/file.out" 2>"$sw/file.err"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    why="$why$(crlf_rows "$sw/file/sweep.csv" "$sn")"
    check "sweep $TB --trials 300 (no --set, --metric): exit 0, $sn rows from the file's sweep: section" "$why" "$sw/file.err" "$sw/file.out"
    if [ "$HAVE_PY" -eq 1 ] && [ -f "$sw/file/sweep.json" ]; then
        python3 tests/lib/sweep_section.py "$sw/file/sweep.json" "$spath" "$smetric" "$sn" "$slo" "$shi" >"$tmp/e" 2>&1
        rc=$?
        why=""
        [ "$rc" -eq 0 ] || why="$(cat "$tmp/e")"
        check "sweep with the file's sweep: section: sweep.json parameter $spath, $smetric, $sn values from $slo to $shi" "$why"
    else
        skip "sweep with the file's sweep: section: sweep.json (python3 is not installed, or no sweep.json)"
    fi
fi
# The section's between: in a copy naming the pair the other way round,
# stdout names it that way round.
awk '/^sweep:/ { s = 1; print; next } /^[^ ]/ { s = 0 }
     s && /^  between: / { print "  between: [offshore, ai-team]"; next } { print }' "$TB" >"$sw/tb-between.yaml"
if [ "$(grep -c '^  between: \[offshore, ai-team\]$' "$sw/tb-between.yaml")" -eq 1 ]; then
    cm 60 sweep "$sw/tb-between.yaml" --trials 300 --no-plots >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    grep -q "crossing.*'offshore' and 'ai-team'" "$tmp/o" || why="${why}stdout does not name 'offshore' and 'ai-team' in that order
"
    grep -q "'ai-team' and 'offshore'" "$tmp/o" && why="${why}stdout names 'ai-team' and 'offshore'
"
    check "sweep: the sweep: section's between [offshore, ai-team] picks the pair" "$why" "$tmp/o" "$tmp/e"
else
    not_ok "set the sweep: section's between in a copy of $TB" "the copy is not as expected"
fi
# The command line wins over the section.
cm 60 sweep "$TB" --trials 300 --no-plots -q --metric cost_total.mean -o "$sw/file-cli" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
grep -q '"metric": *"cost_total"' "$sw/file-cli/sweep.json" 2>/dev/null || why="${why}sweep.json's metric is not cost_total
"
check "sweep $TB --metric cost_total.mean: the command line wins over the sweep: section" "$why" "$tmp/e"

finish
