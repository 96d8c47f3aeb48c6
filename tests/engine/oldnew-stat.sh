#!/bin/sh
# tests/engine/oldnew-stat.sh OLD NEW — the old-vs-new gate of a change that
# moves every Monte Carlo figure on purpose (issue 19 item 2: batched random
# streams): where tests/engine/oldnew.sh asks for identical bytes, this asks
# for the same distribution.  Runs every shipped scenario (scenarios/*.yaml,
# history, portfolio members), tests/engine/*.yaml and tests/bench/*.yaml,
# and the envelope and track commands with both binaries, then compares
# every mean that the two summary.json files report with its standard
# error (each object holding "mean" and "se", matched by its path in the
# JSON, and each number X beside an X_se: stop-loss and transfer gains;
# for track, each column of its per-trial draws.csv):
#   |z| = |mean_old − mean_new| / sqrt(se_old² + se_new²) <= OLDNEW_Z
# (default 4).  The new binary runs with another seed (OLDNEW_SEED: --seed
# for run, a copy of the scenario with that seed for envelope and track),
# so the two runs are independent and the combined SE is the difference's
# own: with the same seed they would share their work-level draws, and a
# shift in a quantity that depends on those would hide behind an SE too
# large.  A mean with se 0 in both runs (a constant) must agree to 1e-9
# relative.  Prints the largest |z| of each case and of all.
#
# Not part of make check: it needs the old binary, e.g.
#   git archive ae43f91 | tar -x -C /tmp/old && make -C /tmp/old -j2
#   sh tests/engine/oldnew-stat.sh /tmp/old/bin/capmix bin/capmix
# With no OLD (or OLD missing) it skips.  Needs python3 (skips without it).
# POSIX sh, from the repository root; last line "cli: N passed, M failed".
# Environment: OLDNEW_TRIALS (default 20000), OLDNEW_Z (default 4),
# OLDNEW_SEED (default 7919).
set -u
LC_ALL=C
export LC_ALL
OLD=${1:-}
NEW=${2:-bin/capmix}
TRIALS=${OLDNEW_TRIALS:-20000}
ZMAX=${OLDNEW_Z:-4}
SEED=${OLDNEW_SEED:-7919}
. tests/lib/cli.sh
if [ -z "$OLD" ] || [ ! -x "$OLD" ]; then
    skip "old-vs-new comparison" "no old binary given (usage: oldnew-stat.sh OLD NEW)"
    finish
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    skip "old-vs-new comparison" "python3 not found"
    finish
    exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-oldnew-stat.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
: >"$T/all.z"

# zcmp NAME FILE: compare OLD's and NEW's FILE under $T/{old,new}.NAME
zcmp() {
    python3 - "$T/old.$1/$2" "$T/new.$1/$2" "$ZMAX" "$1" <<'EOF'
import csv, json, math, sys
zmax, name = float(sys.argv[3]), sys.argv[4]

def columns(path):
    # a per-trial CSV: each column's mean and SE (the order of its rows,
    # sorted or not, does not matter)
    rows = list(csv.reader(open(path)))
    out = {}
    for j, col in enumerate(rows[0]):
        v = [float(r[j]) for r in rows[1:] if r[j] not in ("", "null", "nan")]
        n = len(v)
        m = sum(v) / n
        sd = math.sqrt(sum((x - m) ** 2 for x in v) / (n - 1)) if n > 1 else 0.0
        out[col] = {"mean": m, "se": sd / math.sqrt(n)}
    return out

def load(path):
    return columns(path) if path.endswith(".csv") else json.load(open(path))

old, new = load(sys.argv[1]), load(sys.argv[2])

def walk(x, path, out):
    if isinstance(x, dict):
        if isinstance(x.get("mean"), (int, float)) and isinstance(x.get("se"), (int, float)):
            out[path] = (float(x["mean"]), float(x["se"]))
        for k, v in x.items():  # "gain" beside "gain_se" (stop-loss, transfer)
            se = x.get(k + "_se")
            if isinstance(v, (int, float)) and isinstance(se, (int, float)):
                out[path + "/" + k] = (float(v), float(se))
        for k, v in x.items():
            walk(v, path + "/" + str(k), out)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            key = v.get("name", i) if isinstance(v, dict) else i
            walk(v, path + "/" + str(key), out)

a, b = {}, {}
walk(old, "", a)
walk(new, "", b)
common = sorted(set(a) & set(b))
worst, where, bad = 0.0, "", []
for p in common:
    (m1, s1), (m2, s2) = a[p], b[p]
    if not (math.isfinite(m1) and math.isfinite(m2)):
        continue
    se = math.hypot(s1, s2)
    if se == 0:
        z = 0.0 if abs(m1 - m2) <= 1e-9 * max(1.0, abs(m1), abs(m2)) else math.inf
    else:
        z = abs(m1 - m2) / se
    if z > worst:
        worst, where = z, p
    if z > zmax:
        bad.append("%s: old %.6g new %.6g |z| %.2f" % (p, m1, m2, z))
print("%s %d %.3f %s" % (name, len(common), worst, where or "-"))
for line in bad[:5]:
    print("  " + line, file=sys.stderr)
sys.exit(1 if bad or not common else 0)
EOF
}

# case NAME FILE ARGS...: run both binaries with ARGS, compare FILE
case_() {
    c_name=$1 c_file=$2
    shift 2
    for c_b in old new; do
        if [ $c_b = old ]; then
            c_bin=$OLD
        else
            c_bin=$NEW
            # the new run's own seed: --seed, or the scenario copied with it
            case $1 in
            run) set -- "$@" --seed "$SEED" ;;
            *)
                sed "s/^seed: .*/seed: $SEED/" "$2" >"$T/seeded.yaml"
                c_cmd=$1
                shift 2
                set -- "$c_cmd" "$T/seeded.yaml" "$@"
                ;;
            esac
        fi
        if ! "$c_bin" "$@" -q -o "$T/$c_b.$c_name" >"$T/err" 2>&1; then
            not_ok "$c_name runs ($c_b)" "$(head -3 "$T/err")"
            return
        fi
    done
    if zcmp "$c_name" "$c_file" >"$T/z" 2>"$T/zerr"; then
        ok "$c_name: means within $ZMAX SE ($(cut -d' ' -f2 "$T/z") compared, max |z| $(cut -d' ' -f3 "$T/z"))"
    else
        not_ok "$c_name: means within $ZMAX SE" "$(cat "$T/z" "$T/zerr" | head -6)"
    fi
    cat "$T/z" >>"$T/all.z"
}

for s in scenarios/*.yaml scenarios/history/*.yaml scenarios/portfolio/*.yaml tests/engine/*.yaml \
    tests/bench/*.yaml; do
    n=run-$(basename "$s" .yaml)
    case $n in run-portfolio) continue ;; esac
    case_ "$n" summary.json run "$s" --trials "$TRIALS" --no-plots
done
# envelope: the stop-loss take-overs (eng_takeover) through their gains
case_ envelope summary.json envelope scenarios/envelope.yaml --trials "$TRIALS" --no-plots
# track: the resumed runs (eng_resume) through its per-trial draws, and
# the transfers (eng_takeover) through the gains in its summary
case_ track-transfer summary.json track scenarios/offshore-vs-ai.yaml --alternative offshore \
    --actuals scenarios/track/offshore-month4.csv --trials "$TRIALS" --no-plots
case_ track draws.csv track scenarios/offshore-vs-ai.yaml --alternative offshore \
    --actuals scenarios/track/offshore-month4.csv --trials "$TRIALS" --no-plots
# (portfolio: its members' runs are the run-* cases above; its summary
# reports no SE to compare with)
if [ -s "$T/all.z" ]; then
    sort -k3 -g "$T/all.z" | tail -n 1 | awk '{printf "largest |z| over every case: %s (%s, %s)\n", $3, $1, $4}'
    awk '{n += $2} END {printf "means compared: %d\n", n}' "$T/all.z"
fi
finish
