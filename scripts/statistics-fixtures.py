#!/usr/bin/env python3
"""Writes Tests/AnalyticsTests/Fixtures/statistics.json: expected values for the statistics in
Sources/Analytics/Statistics, computed with scipy and numpy rather than with our own code.

- Normal and Student t cdf/quantile: scipy.stats.norm and scipy.stats.t.
- Wilson interval and two-proportion z-test: their textbook formulas with scipy.stats.norm
  (statsmodels is not used). The two conventions of ours are spelled out below: a pooled rate of
  0 or 1 gives z = 0, p = 1, and the lift interval is clipped to [-1, 1].
- Welch's t-test: scipy.stats.ttest_ind(equal_var=False) on deterministic generated samples (their
  count, sum and sum of squares are written out, the sums correctly rounded with math.fsum), and
  scipy.stats.ttest_ind_from_stats for samples of a billion values, whose moments are given directly.

Deterministic: samples come from random.Random with fixed seeds. Run it again, get the same bytes
(for the same scipy). Usage: python3 scripts/statistics-fixtures.py
"""
import json, math, os, random, warnings
from fractions import Fraction

import numpy as np
import scipy
from scipy import stats

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "AnalyticsTests", "Fixtures", "statistics.json")


def f(x):
    """A plain float for JSON (numpy scalars are not serializable; inf/nan are not JSON)."""
    x = float(x)
    assert math.isfinite(x), x
    return x


def critical(confidence):
    return stats.norm.ppf(1 - (1 - confidence) / 2)


# Normal distribution.
normal_cdf = [{"x": x, "p": f(stats.norm.cdf(x))}
              for x in [-37.0, -30.0, -10.0, -5.0, -1.959963984540054, -1.0, 0.0, 0.5, 1.959963984540054, 3.0, 8.3]]
normal_quantile = [{"p": p, "x": f(stats.norm.ppf(p))}
                   for p in [1e-300, 1e-20, 1e-10, 1e-6, 0.001, 0.025, 0.3, 0.4999999, 0.5, 0.975, 0.999999, 1 - 1e-15]]

# Student t distribution.
t_cdf = []
for df in [1.0, 2.5, 10.0, 100.0, 1e4, 1e7]:
    for t in [-50.0, -4.0, -1.96, -0.3, 0.0, 1e-6, 1.0, 2.5, 12.0]:
        t_cdf.append({"t": t, "df": df, "p": f(stats.t.cdf(t, df))})
t_quantile = []
for df in [1.0, 2.5, 10.0, 100.0, 1e4, 1e7]:
    for p in [1e-10, 0.001, 0.025, 0.3, 0.4999, 0.5, 0.975, 0.995]:
        t_quantile.append({"p": p, "df": df, "t": f(stats.t.ppf(p, df))})


# Wilson score interval: the two roots of (n + z^2) p^2 - (2s + z^2) p + s^2/n = 0.
def wilson(successes, trials, confidence):
    z = critical(confidence)
    n, phat = trials, successes / trials
    center = (phat + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n))
    return {"successes": successes, "trials": trials, "confidence": confidence,
            "lower": f(max(0.0, center - half)) if successes > 0 else 0.0,
            "upper": f(min(1.0, center + half)) if successes < trials else 1.0}


wilson_cases = [wilson(s, n, c) for (s, n) in [(0, 10), (10, 10), (1, 1000), (480, 1000)] for c in [0.95, 0.99]]
wilson_cases += [wilson(8, 10, 0.95), wilson(1, 1, 0.95), wilson(3, 7, 0.90), wilson(999_999, 1_000_000, 0.95)]


# Two-proportion z-test (pooled SE for z, two-sided p) and the unpooled (Wald) interval of the lift.
def two_proportion(cs, cn, ts, tn, confidence=0.95):
    pc, pt = cs / cn, ts / tn
    pooled = (cs + ts) / (cn + tn)
    se = math.sqrt(pooled * (1 - pooled) * (1 / cn + 1 / tn))
    if se > 0:
        z = (pt - pc) / se
        p = 2 * stats.norm.sf(abs(z))
    else:  # a pooled rate of 0 or 1: the arms cannot differ, no evidence.
        z, p = 0.0, 1.0
    lift = pt - pc
    se_unpooled = math.sqrt(pc * (1 - pc) / cn + pt * (1 - pt) / tn)
    zc = critical(confidence)
    return {"controlSuccesses": cs, "controlTrials": cn, "treatmentSuccesses": ts, "treatmentTrials": tn,
            "confidence": confidence, "controlRate": f(pc), "treatmentRate": f(pt), "z": f(z), "pValue": f(p),
            "lift": f(lift), "liftLower": f(max(-1.0, lift - zc * se_unpooled)),
            "liftUpper": f(min(1.0, lift + zc * se_unpooled)),
            "relativeLift": f(lift / pc) if cs > 0 else None}


two_proportion_cases = [
    two_proportion(70, 100, 85, 100),          # the report test's clear experiment
    two_proportion(40, 50, 41, 50),            # no difference to speak of
    two_proportion(480, 1000, 480, 1000),      # identical rates: z = 0, p = 1
    two_proportion(780, 1000, 900, 1000),      # clear: p ~ 1e-13
    two_proportion(5000, 10000, 5600, 10000),  # very clear: p < 1e-16
    two_proportion(0, 100, 0, 120),            # pooled rate 0
    two_proportion(100, 100, 50, 50),          # pooled rate 1
    two_proportion(0, 50, 5, 50),              # control rate 0: no relative lift
    two_proportion(1, 1000, 3, 1000, 0.99),
    two_proportion(30, 200, 900, 5000),        # unequal arms
    two_proportion(1, 3, 3, 3),                # lift interval clipped at 1
    two_proportion(480_000_000, 1_000_000_000, 480_050_000, 1_000_000_000),  # huge n
]
assert two_proportion_cases[3]["pValue"] < 1e-6 and two_proportion_cases[4]["pValue"] < 1e-6
assert two_proportion_cases[1]["pValue"] > 0.5


# Welch's t-test on generated samples.
def moments(values):
    return {"count": len(values), "sum": math.fsum(values), "sumOfSquares": math.fsum(v * v for v in values)}


def welch_from_samples(name, control, treatment, confidence=0.95):
    with warnings.catch_warnings():  # scipy warns of "nearly identical" data for a sample without variance
        warnings.simplefilter("ignore", RuntimeWarning)
        result = stats.ttest_ind(np.array(treatment), np.array(control), equal_var=False)
    interval = result.confidence_interval(confidence_level=confidence)
    return {"name": name, "control": moments(control), "treatment": moments(treatment), "confidence": confidence,
            "controlMean": f(np.mean(control)), "treatmentMean": f(np.mean(treatment)),
            "difference": f(np.mean(treatment) - np.mean(control)), "t": f(result.statistic),
            "degreesOfFreedom": f(result.df), "pValue": f(result.pvalue),
            "lower": f(interval.low), "upper": f(interval.high)}


def welch_from_moments(name, control, treatment, confidence=0.95):
    """For samples too large to generate: the exact mean and variance of the given (float) moments."""
    def mean_std(m):
        n, s, ss = m["count"], Fraction(m["sum"]), Fraction(m["sumOfSquares"])
        return float(s / n), math.sqrt(float((ss - s * s / n) / (n - 1))), n
    (mc, sc, nc), (mt, st, nt) = mean_std(control), mean_std(treatment)
    result = stats.ttest_ind_from_stats(mt, st, nt, mc, sc, nc, equal_var=False)
    vc, vt = sc * sc / nc, st * st / nt
    df = (vc + vt) ** 2 / (vc * vc / (nc - 1) + vt * vt / (nt - 1))
    se = math.sqrt(vc + vt)
    q = stats.t.ppf(1 - (1 - confidence) / 2, df)
    return {"name": name, "control": control, "treatment": treatment, "confidence": confidence,
            "controlMean": f(mc), "treatmentMean": f(mt), "difference": f(mt - mc), "t": f(result.statistic),
            "degreesOfFreedom": f(df), "pValue": f(result.pvalue),
            "lower": f(mt - mc - q * se), "upper": f(mt - mc + q * se)}


def billion(mean, variance, n=1_000_000_000):
    return {"count": n, "sum": float(n * mean), "sumOfSquares": float((n - 1) * variance + n * mean * mean)}


rng = random.Random(20261121)
ratings = lambda n, weights: rng.choices([1, 2, 3, 4, 5], weights=weights, k=n)
costs = lambda n, mu, sigma: [round(rng.lognormvariate(mu, sigma), 6) for _ in range(n)]
welch_cases = [
    welch_from_samples("ratings, a clear difference", [float(x) for x in ratings(100, [5, 10, 40, 30, 15])],
                       [float(x) for x in ratings(100, [2, 5, 20, 40, 33])]),
    welch_from_samples("ratings, no difference", [float(x) for x in ratings(50, [5, 10, 40, 30, 15])],
                       [float(x) for x in ratings(60, [5, 10, 40, 30, 15])]),
    welch_from_samples("unequal sizes and spreads", [rng.gauss(10, 1) for _ in range(8)], [rng.gauss(11, 4) for _ in range(40)]),
    welch_from_samples("two and three values", [1.0, 2.0], [2.0, 4.0, 7.0]),
    welch_from_samples("costs", costs(200, math.log(0.012), 0.3), costs(180, math.log(0.011), 0.3)),
    welch_from_samples("control without variance", [4.0] * 20, [float(x) for x in ratings(25, [1, 2, 5, 10, 7])]),
    welch_from_samples("latency: large mean, small spread", [round(rng.gauss(7000, 50), 1) for _ in range(300)],
                       [round(rng.gauss(6990, 40), 1) for _ in range(250)]),
    welch_from_samples("99% confidence", [rng.gauss(0.5, 0.2) for _ in range(30)], [rng.gauss(0.62, 0.25) for _ in range(35)], 0.99),
    welch_from_samples("large samples, small difference", [rng.gauss(3.5, 1.1) for _ in range(100_000)],
                       [rng.gauss(3.51, 1.0) for _ in range(120_000)]),
    welch_from_moments("a billion each, a tiny difference", billion(3.5, 1.2), billion(3.5001, 1.0)),
    welch_from_moments("a billion against a hundred", billion(3.5, 1.2), {"count": 100, "sum": 372.0, "sumOfSquares": 1500.0}),
]

fixtures = {
    "generator": "scripts/statistics-fixtures.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "normal": {"cdf": normal_cdf, "quantile": normal_quantile},
    "studentT": {"cdf": t_cdf, "quantile": t_quantile},
    "wilson": wilson_cases,
    "twoProportion": two_proportion_cases,
    "welch": welch_cases,
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w", encoding="utf-8") as out:
    json.dump(fixtures, out, indent=1)
    out.write("\n")
print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(normal_cdf) + len(normal_quantile)} normal, "
      f"{len(t_cdf) + len(t_quantile)} Student t, {len(wilson_cases)} Wilson, "
      f"{len(two_proportion_cases)} two-proportion, {len(welch_cases)} Welch cases")
