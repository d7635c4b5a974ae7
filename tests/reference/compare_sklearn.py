#!/usr/bin/env python3
"""Independent scikit-learn reference for the pooled and per-segment models of `mixtures compare`.

On data/ltv.csv (1000 simulated customers, segments Standard/Premium/Enterprise), with the
test rows chosen by `mixtures compare` (their file lines, read from its compare.json so the split
itself is not re-implemented here), fit on the other rows:

  * pooled:      LinearRegression().fit(X_train, y_train)
  * per-segment: one LinearRegression per segment on that segment's training rows

with X = [tenure_months, monthly_spend, orders] and y = ltv (the seed's columns), and score the
test rows with mean_absolute_error, sqrt(mean_squared_error) and r2_score, overall and per segment.
Writes compare_sklearn.json beside this script.

Rerun (from the repository root; needs NumPy and scikit-learn):

    mixtures compare data/ltv.csv --y ltv --x tenure_months,monthly_spend,orders \
        --segment segment --k 1 --out compare.json --quiet
    python3 tests/reference/compare_sklearn.py compare.json
"""

import csv
import json
import math
import os
import sys

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
compare = json.load(open(sys.argv[1]))
test_lines = set(compare["split"]["testLines"])

with open(os.path.join(root, "data", "ltv.csv"), newline="") as f:
    rows = list(csv.DictReader(f))
xcols = ["tenure_months", "monthly_spend", "orders"]
X = np.array([[float(r[c]) for c in xcols] for r in rows])
y = np.array([float(r["ltv"]) for r in rows])
seg = np.array([r["segment"] for r in rows])
line = np.arange(2, len(rows) + 2)  # the header is line 1
is_test = np.isin(line, sorted(test_lines))
tr, te = ~is_test, is_test
segments = sorted(set(seg))


def scores(yt, yhat):
    return {"rows": int(len(yt)), "mae": mean_absolute_error(yt, yhat),
            "rmse": math.sqrt(mean_squared_error(yt, yhat)), "r2": r2_score(yt, yhat)}


def coefs(m):
    return [float(m.intercept_)] + [float(c) for c in m.coef_]


def by_segment(pred):
    return {s: scores(y[te & (seg == s)], pred[(seg[te] == s)]) for s in segments}


pooled = LinearRegression().fit(X[tr], y[tr])
pooled_pred = pooled.predict(X[te])
seg_pred = np.empty(te.sum())
seg_models = {}
for s in segments:
    m = LinearRegression().fit(X[tr & (seg == s)], y[tr & (seg == s)])
    seg_models[s] = {"rows": int((tr & (seg == s)).sum()), "beta": coefs(m)}
    seg_pred[seg[te] == s] = m.predict(X[te & (seg == s)])

out = {
    "source": "scikit-learn LinearRegression and metrics on data/ltv.csv with the split of mixtures compare --seed 42",
    "testLines": sorted(int(v) for v in test_lines),
    "pooled": {"beta": coefs(pooled), "overall": scores(y[te], pooled_pred), "bySegment": by_segment(pooled_pred)},
    "perSegment": {"fits": seg_models, "overall": scores(y[te], seg_pred), "bySegment": by_segment(seg_pred)},
}
with open(os.path.join(here, "compare_sklearn.json"), "w") as f:
    json.dump(out, f, indent=1)
print("pooled MAE %.4f, per-segment MAE %.4f" % (out["pooled"]["overall"]["mae"], out["perSegment"]["overall"]["mae"]))
