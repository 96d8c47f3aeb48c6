#!/usr/bin/env python3
"""baseline_numpy_twoalt — tests/bench/two-alt.yaml vectorised in numpy.

two-alt.yaml is the default scenario (scenarios/offshore-vs-ai.yaml) with
two of its alternatives, the offshore pod and the AI-augmented team.  This
file simulates exactly the model capmix simulates for it (docs/model.md,
the model contract sections 3-6 and resolutions 1-7) -- an event-driven
simulation, not a formula -- as a strong numpy programmer would: every
trial of a chunk advances in lockstep, one event per trial per step, with
per-trial state in arrays and masks/index lists choosing what each event
does.  There is no Python loop over trials, only over events.

What is simulated, per alternative and trial (one source per alternative):
  - trial level: the throughput lambda (offshore Gamma(24.5, rate 90) from
    its observed counts; AI PERT(3.5, 5, 6.5) a month / days_per_month),
    the outcome mix (offshore Dirichlet(15, 7, 5); AI fixed .85/.12/.03),
    the token growth (AI); per trial and shared by both alternatives, the
    senior engineer's rate (the work/people draws of capmix);
  - L lanes (6, 4) pulling from one backlog of 24 items; a pass of effort
    e (1 new, 0.5 rework) takes e * Exp(1) * L / lambda days;
  - after a pass the lane is free at once; the item waits review_wait_days
    (offshore PERT(3, 8, 20), AI Triangular(0.5, 1, 3)) for its verdict:
    accepted, rework (the source's FIFO rework queue, taken before the
    backlog; at most 5 rework cycles, then superseded) or superseded
    (replaced by a new backlog item); idle lanes take rework or the
    replacement at once;
  - the alternative ends when 24 items are accepted (delivery day), or at
    the 730-day horizon (not delivered); passes or verdicts that would end
    after the horizon are work in flight, never counted;
  - costs: time and materials 6 x 85 x 160 a month (offshore), salaries
    4 x 280,000 / 12 a month (AI), oversight (8 senior + 4 PM hours a week
    at loaded_annual / 2,080, x 52/12 weeks a month), tokens 22,000 a month
    compounding at the trial's growth (the integral, model §3), per-pass
    tokens lognormal(median 300, p90 900), escaped defects Poisson(0.3) per
    accepted outcome each lognormal(median 2,500, p90 9,000); delay cost
    320,000/365 a day after day 120.

Two choices a numpy programmer makes, neither of which changes the model:
  - Per-pass token costs and defect costs do not influence the timeline,
    so they are drawn after it, in one batch: a trial's per-pass tokens are
    the sum of `passes` lognormals and its defects a Poisson(0.3 x accepted)
    count of lognormal costs (a sum of independent Poissons is Poisson) --
    the same distribution as drawing them event by event.
  - The next event of each trial is found by a min over its item slots
    (24: at most 24 items are ever alive), with the slot number and the
    event kind kept in the lowest 6 bits of the event time's IEEE-754
    mantissa, so one vectorised integer min over a (slots, trials) array
    gives time, slot and kind at once (a row-wise argmin is ~7x slower).
    That rounds event times down by at most 63 ulps (relative 1.4e-14, a
    few picoseconds of a day): invisible in any statistic.
Nothing of two-alt.yaml had to be dropped.  Random numbers come from
numpy's PCG64, not capmix's xoshiro256**, so results agree with capmix in
distribution (checked by tests/bench/run.sh within 5 combined standard
errors), not digit for digit.

usage: baseline_numpy_twoalt.py [TRIALS [SEED]]   (default 100000 1)
prints
  trials kernel_seconds
  ALTERNATIVE METRIC MEAN SE      (cost_per_outcome, cost_total,
                                   delivery_day, passes, accepted)
"""
import sys
import time

import numpy as np

# ---- the scenario (tests/bench/two-alt.yaml) ---------------------------

OUTCOMES = 24
HORIZON = 730.0
TARGET_DAY = 120.0
COD_PER_DAY = 320_000 / 365
DAYS_PER_MONTH = 365 / 12
WEEKS_PER_MONTH = 52 / 12
HOURS_PER_YEAR = 2080.0
HOURS_PER_MONTH = 160.0
MAX_REWORK = 5          # max_rework_cycles (default)
REWORK_EFFORT = 0.5     # rework_effort (default)
Z90 = 1.2815515655446004  # standard normal 0.9 quantile
PM_RATE = 208_000 / HOURS_PER_YEAR

CHUNK = 16_384          # trials in lockstep (state ~300 bytes a trial: stays in L2)
SLOTS = OUTCOMES        # item slots: live items never exceed the outcomes left
RING = 32               # rework queue ring (power of two >= SLOTS)

# event keys: float64 bits of the time, low 6 bits = kind << 5 | slot
LOW = np.int64(63)
KIND_VERDICT = np.int64(32)
BIG = np.float64(1e300).view(np.int64) & ~LOW          # "no event"
HKEY = np.float64(HORIZON).view(np.int64) | LOW         # last key at or before the horizon


def lognormal_params(median, p90):
    return np.log(median), np.log(p90 / median) / Z90


def pert_ab(lo, mode, hi, lam=4.0):
    w = hi - lo
    return 1 + lam * (mode - lo) / w, 1 + lam * (hi - mode) / w


# ---- the event loop, one source of L lanes -----------------------------

def simulate(rng, n, lanes, scale, c0, c1, wait):
    """Simulate n trials of one alternative with a single source.

    scale[n]: days of a pass of effort 1 per unit of Exp(1), lanes / lambda;
    c0, c1: cumulative outcome thresholds (arrays [n] or scalars);
    wait(k): k review waits.
    Returns t_end, accepted, passes, superseded, delivered (arrays [n])."""
    t_end = np.empty(n)
    acc_out = np.empty(n, np.int64)
    pas_out = np.empty(n, np.int64)
    sup_out = np.empty(n, np.int64)
    dlv_out = np.empty(n, np.bool_)
    scalar_c = np.ndim(c0) == 0
    for lo in range(0, n, CHUNK):
        m = min(CHUNK, n - lo)
        orig = np.arange(lo, lo + m)
        sc = scale[lo:lo + m].copy()
        if scalar_c:
            cc0, cc1 = c0, c1
        else:
            cc0 = c0[lo:lo + m].copy()
            cc1 = c1[lo:lo + m].copy()
        # per slot x trial: event key, pass count of the slot's item
        K = np.full((SLOTS, m), BIG, np.int64)
        Kf = K.reshape(-1)
        pc = np.zeros((SLOTS, m), np.int64)
        pcf = pc.reshape(-1)
        # day 0: lanes 0..L-1 take items in slots 0..L-1; the rest are
        # the backlog, a stack of free slots (fs[0..nfree-1])
        for s in range(lanes):
            d = rng.standard_exponential(m)
            d *= sc
            K[s] = (d.view(np.int64) & ~LOW) | s
            pc[s] = 1
        fs = np.zeros((SLOTS, m), np.int64)
        fs[:SLOTS - lanes] = np.arange(SLOTS - 1, lanes - 1, -1)[:, None]
        fsf = fs.reshape(-1)
        nfree = np.full(m, SLOTS - lanes, np.int64)
        rq = np.zeros((RING, m), np.int64)      # rework queue ring of slots
        rqf = rq.reshape(-1)
        rq_h = np.zeros(m, np.int64)
        rq_n = np.zeros(m, np.int64)
        idle = np.zeros(m, np.int64)
        accepted = np.zeros(m, np.int64)
        passes = np.zeros(m, np.int64)
        superseded = np.zeros(m, np.int64)
        live = m

        while live:
            kmin = K.min(axis=0)
            go = np.nonzero(kmin <= HKEY)[0]
            if len(go) < live:
                # trials whose next event lies past the horizon: not delivered
                over = np.nonzero((kmin > HKEY) & (kmin < BIG))[0]
                if len(over):
                    o = orig[over]
                    t_end[o] = HORIZON
                    acc_out[o] = accepted[over]
                    pas_out[o] = passes[over]
                    sup_out[o] = superseded[over]
                    dlv_out[o] = False
                    K[:, over] = BIG
                    live -= len(over)
            if len(go) < 0.75 * m and live:
                # compact: keep the trials still running
                keep = go
                m = len(keep)
                K = np.take(K, keep, axis=1)  # C order: the flat views below
                Kf = K.reshape(-1)
                pc = np.take(pc, keep, axis=1)
                pcf = pc.reshape(-1)
                fs = np.take(fs, keep, axis=1)
                fsf = fs.reshape(-1)
                rq = np.take(rq, keep, axis=1)
                rqf = rq.reshape(-1)
                nfree = nfree[keep]
                rq_h = rq_h[keep]
                rq_n = rq_n[keep]
                idle = idle[keep]
                accepted = accepted[keep]
                passes = passes[keep]
                superseded = superseded[keep]
                orig = orig[keep]
                sc = sc[keep]
                if not scalar_c:
                    cc0 = cc0[keep]
                    cc1 = cc1[keep]
                kmin = kmin[keep]
                go = np.arange(m)
            if not live:
                break

            if len(go) == m:
                kg = kmin          # every trial has an event: no gathers
                go = None
            else:
                kg = kmin[go]
            t = (kg & ~LOW).view(np.float64)
            slot = kg & 31
            isv = (kg & KIND_VERDICT) != 0

            # ---- pass completions --------------------------------------
            pi = np.nonzero(~isv)[0]
            if len(pi):
                r = pi if go is None else go[pi]
                s = slot[pi]
                tp = t[pi]
                passes[r] += 1
                # the item waits for its verdict; the lane is free at once
                tv = wait(len(r))
                tv += tp
                kv = tv.view(np.int64)
                kv &= ~LOW
                kv |= KIND_VERDICT
                kv |= s
                Kf[s * m + r] = kv
                # the free lane: oldest rework, else a new backlog item, else idle
                hasrq = rq_n[r] > 0
                a = np.nonzero(hasrq)[0]
                if len(a):
                    ra = r[a]
                    h = rq_h[ra]
                    s2 = rqf[h * m + ra]
                    rq_h[ra] = (h + 1) & (RING - 1)
                    rq_n[ra] -= 1
                    f = s2 * m + ra
                    pcf[f] += 1
                    d = rng.standard_exponential(len(ra))
                    d *= REWORK_EFFORT
                    d *= sc[ra]
                    d += tp[a]
                    kd = d.view(np.int64)
                    kd &= ~LOW
                    kd |= s2
                    Kf[f] = kd
                b = np.nonzero(~hasrq)[0]
                if len(b):
                    rb = r[b]
                    nf = nfree[rb]
                    hasbl = nf > 0
                    bb = np.nonzero(hasbl)[0]
                    if len(bb):
                        rbb = rb[bb]
                        nf1 = nf[bb] - 1
                        nfree[rbb] = nf1
                        s2 = fsf[nf1 * m + rbb]
                        f = s2 * m + rbb
                        pcf[f] = 1
                        d = rng.standard_exponential(len(rbb))
                        d *= sc[rbb]
                        d += tp[b[bb]]
                        kd = d.view(np.int64)
                        kd &= ~LOW
                        kd |= s2
                        Kf[f] = kd
                    if len(bb) < len(b):
                        idle[rb[~hasbl]] += 1

            # ---- verdicts ----------------------------------------------
            vi = np.nonzero(isv)[0]
            if len(vi):
                r = vi if go is None else go[vi]
                s = slot[vi]
                tv = t[vi]
                f = s * m + r
                u = rng.random(len(r))
                if scalar_c:
                    acc = u < cc0
                    rew = u < cc1
                else:
                    acc = u < cc0[r]
                    rew = u < cc1[r]
                rew &= ~acc
                rew &= pcf[f] <= MAX_REWORK   # model §2: then superseded
                Kf[f] = BIG
                # accepted
                a = np.nonzero(acc)[0]
                if len(a):
                    ra = r[a]
                    na = accepted[ra] + 1
                    accepted[ra] = na
                    dn = np.nonzero(na >= OUTCOMES)[0]
                    if len(dn):
                        rd = ra[dn]
                        o = orig[rd]
                        t_end[o] = tv[a[dn]]
                        acc_out[o] = OUTCOMES
                        pas_out[o] = passes[rd]
                        sup_out[o] = superseded[rd]
                        dlv_out[o] = True
                        K[:, rd] = BIG
                        live -= len(rd)
                # rework and superseded: an idle lane restarts the slot at once
                # (rework: its next pass, effort 0.5; superseded: the
                # replacement, a new item in the same slot, effort 1)
                q = np.nonzero(~acc)[0]
                if len(q):
                    rq_ = r[q]
                    sq = s[q]
                    fq = f[q]
                    isrew = rew[q]
                    superseded[rq_[~isrew]] += 1
                    hasidle = idle[rq_] > 0
                    w = np.nonzero(hasidle)[0]
                    if len(w):
                        rw = rq_[w]
                        idle[rw] -= 1
                        fw = fq[w]
                        rw_is = isrew[w]
                        pcf[fw] = np.where(rw_is, pcf[fw] + 1, 1)
                        d = rng.standard_exponential(len(rw))
                        d *= np.where(rw_is, REWORK_EFFORT, 1.0)
                        d *= sc[rw]
                        d += tv[q[w]]
                        kd = d.view(np.int64)
                        kd &= ~LOW
                        kd |= sq[w]
                        Kf[fw] = kd
                    if len(w) < len(q):
                        nw = np.nonzero(~hasidle)[0]
                        rn = rq_[nw]
                        sn = sq[nw]
                        isr = isrew[nw]
                        # rework joins the source's FIFO queue
                        x = np.nonzero(isr)[0]
                        if len(x):
                            rx = rn[x]
                            rqf[((rq_h[rx] + rq_n[rx]) & (RING - 1)) * m + rx] = sn[x]
                            rq_n[rx] += 1
                        # a superseded item's replacement joins the backlog
                        y = np.nonzero(~isr)[0]
                        if len(y):
                            ry = rn[y]
                            nf = nfree[ry]
                            fsf[nf * m + ry] = sn[y]
                            nfree[ry] = nf + 1
    return t_end, acc_out, pas_out, sup_out, dlv_out


# ---- sums of random counts of lognormals, in one batch ------------------

def lognormal_sums(rng, counts, mu, sigma):
    total = int(counts.sum())
    x = rng.standard_normal(total)
    x *= sigma
    x += mu
    np.exp(x, out=x)
    return np.bincount(np.repeat(np.arange(len(counts)), counts), weights=x,
                       minlength=len(counts))


def token_cost(monthly, growth, months):
    """Integral of monthly * (1 + g)^tau over [0, months] (model §3)."""
    lg = np.log1p(growth)
    small = np.abs(lg) < 1e-300
    lg_safe = np.where(small, 1.0, lg)
    return np.where(small, monthly * months, monthly * np.expm1(months * lg_safe) / lg_safe)


def metrics(name, t_end, accepted, passes, direct, internal, support):
    total = direct + internal + support
    with np.errstate(divide="ignore", invalid="ignore"):
        cpo = total / accepted
    cpo = cpo[np.isfinite(cpo)]
    out = []
    for key, v in (("cost_per_outcome", cpo), ("cost_total", total),
                   ("delivery_day", t_end), ("passes", passes.astype(np.float64)),
                   ("accepted", accepted.astype(np.float64))):
        k = len(v)
        mean = float(v.mean())
        sd = float(v.std(ddof=1)) if k > 1 else 0.0
        out.append("%s %s %.10g %.10g" % (name, key, mean, sd / np.sqrt(k)))
    return out


def main(argv):
    n = int(argv[1]) if len(argv) > 1 else 100_000
    seed = int(argv[2]) if len(argv) > 2 else 1
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    lines = []

    # people: shared by both alternatives in a trial
    senior_rate = rng.triangular(250_000, 280_000, 360_000, n) / HOURS_PER_YEAR

    # ---- offshore: 6-lane pod, hourly, observed throughput and outcomes
    lanes = 6
    lam = rng.gamma(24 + 0.5, 1 / 90, n)
    p = rng.dirichlet([14 + 1, 6 + 1, 4 + 1], n)
    c0 = p[:, 0].copy()
    c1 = c0 + p[:, 1]
    wa, wb = pert_ab(3, 8, 20)

    def wait_pod(k):
        x = rng.beta(wa, wb, k)
        x *= 20 - 3
        x += 3
        return x

    t_end, acc, pas, _sup, _dlv = simulate(rng, n, lanes, lanes / lam, c0, c1, wait_pod)
    months = t_end / DAYS_PER_MONTH
    direct = (6 * 85 * HOURS_PER_MONTH) * months
    internal = (8 * senior_rate + 4 * PM_RATE) * WEEKS_PER_MONTH * months
    lines += metrics("offshore", t_end, acc, pas, direct, internal, np.zeros(n))

    # ---- ai-team: 4 salaried lanes, PERT throughput, tokens, defects
    lanes = 4
    ta, tb = pert_ab(3.5, 5, 6.5)
    lam = (3.5 + 3.0 * rng.beta(ta, tb, n)) / DAYS_PER_MONTH
    growth = rng.triangular(0.0, 0.05, 0.15, n)

    def wait_ai(k):
        return rng.triangular(0.5, 1.0, 3.0, k)

    t_end, acc, pas, _sup, _dlv = simulate(rng, n, lanes, lanes / lam, 0.85, 0.85 + 0.12,
                                           wait_ai)
    months = t_end / DAYS_PER_MONTH
    direct = (4 * 280_000 / 12) * months + token_cost(22_000, growth, months)
    direct += lognormal_sums(rng, pas, *lognormal_params(300, 900))
    defects = rng.poisson(0.3 * acc)
    support = lognormal_sums(rng, defects, *lognormal_params(2500, 9000))
    lines += metrics("ai-team", t_end, acc, pas, direct, np.zeros(n), support)

    secs = time.perf_counter() - t0
    print("%d %.9f" % (n, secs))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
