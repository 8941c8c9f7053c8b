#!/usr/bin/env python3
"""Golden exact binomial funnel limits with Spiegelhalter's (2005)
interpolation, from scipy: evaluation/screening/testdata/funnel_limits.json."""
import json
from scipy.stats import binom

def limit(n, p0, p):
    r = 0
    while binom.cdf(r, n, p0) < p:
        r += 1
    cr = binom.cdf(r, n, p0)
    prev = binom.cdf(r - 1, n, p0) if r > 0 else 0.0
    alpha = (cr - p) / (cr - prev) if cr > prev else 0.0
    return min(1.0, max(0.0, (r - alpha) / n))  # a proportion: clamped to [0, 1]

cases = []
for n, p0 in [(50, 0.1), (400, 0.03), (2500, 0.006), (10000, 0.75)]:
    for p in (0.001, 0.025, 0.975, 0.999):
        cases.append({"n": n, "p0": p0, "p": p, "limit": limit(n, p0, p)})
json.dump(cases, open("funnel_limits.json", "w"), indent=1)
