"""Load the reference JSON files back and print the best log-likelihood per case.

Run from bench/corpus:  /usr/bin/python3 check_reference.py
Also checks the known optima quoted in the README.
"""
import json
import math
import os
from collections import defaultdict


def load(name):
    path = os.path.join("reference", name)
    if not os.path.exists(path):
        print("missing", path)
        return None
    with open(path) as f:
        return json.load(f)


def best(entry):
    lls = [s["logLik"] for s in entry["solutions"] if s["logLik"] is not None]
    return max(lls) if lls else None


def fmt(v):
    return "%12.4f" % v if v is not None else "%12s" % "-"


def regression(doc):
    print("regression.json: best logLik per (case, K); columns: ols/regmixEM, flexmix")
    table = defaultdict(dict)
    for c in doc["cases"]:
        case = c["dataset"] + ("|" + c["group"] if c["group"] else "")
        tool = "flexmix" if c["tool"].startswith("flexmix") else "mixtools"
        table[(case, c["K"])][tool] = (best(c), c["starts"], c["errors"])
    for (case, K), t in table.items():
        m = t.get("mixtools", (None, 0, 0))
        f = t.get("flexmix", (None, 0, 0))
        print("  %-12s K=%d %s (%3d starts, %2d err) %s (%3d starts, %2d err)"
              % (case, K, fmt(m[0]), m[1], m[2], fmt(f[0]), f[1], f[2]))
    return table


def gaussian(doc, name, init_key):
    print(name + ": best logLik per (dataset, standardized, covariance, K) over all inits")
    table = defaultdict(lambda: None)
    for c in doc["cases"]:
        key = (c["dataset"], c["standardized"], c["covariance"], c["K"])
        b = best(c)
        if b is not None and (table[key] is None or b > table[key]):
            table[key] = b
    rows = defaultdict(dict)
    for (d, s, cov, K), v in table.items():
        rows[(d, s, cov)][K] = v
    for (d, s, cov), ks in rows.items():
        print("  %-9s %-5s %-9s %s" % (d, "std" if s else "raw", cov,
                                      " ".join(fmt(ks.get(K)) for K in range(1, 7))))
    return table


def near(v, target, tol):
    return v is not None and abs(v - target) <= tol


def main():
    checks = []
    doc = load("regression.json")
    if doc:
        t = regression(doc)
        tone2 = [c for c in doc["cases"] if c["dataset"] == "tonedata" and c["K"] == 2
                 and c["tool"].startswith("mixtools")][0]
        sols = [s for s in tone2["solutions"] if abs(s["logLik"] - 145.42) < 0.01]
        checks.append(("tonedata K=2 regmixEM optimum near 145.42 (a sigma ~ 0.0045)",
                       bool(sols) and min(sols[0]["sigma"]) < 0.006))
        tone3 = [s["logLik"] for c in doc["cases"] if c["dataset"] == "tonedata" and c["K"] == 3
                 and c["tool"].startswith("mixtools") for s in c["solutions"]]
        checks.append(("tonedata K=3 regmixEM optimum near 238.80",
                       any(near(v, 238.80, 0.01) for v in tone3)))
        co3 = [s["logLik"] for c in doc["cases"] if c["dataset"] == "CO2data" and c["K"] == 3
               and c["tool"].startswith("mixtools") for s in c["solutions"]]
        checks.append(("CO2data K=3 regmixEM optimum near -57.99",
                       any(near(v, -57.99, 0.01) for v in co3)))
    doc = load("gaussian_sklearn.json")
    if doc:
        t = gaussian(doc, "gaussian_sklearn.json", "init_params")
        checks.append(("faithful raw full K=2 sklearn near -1130.26",
                       near(t[("faithful", False, "full", 2)], -1130.26, 0.01)))
    doc = load("gaussian_mclust.json")
    if doc:
        t = gaussian(doc, "gaussian_mclust.json", "init")
        checks.append(("faithful raw full K=2 mclust near -1130.26",
                       near(t[("faithful", False, "full", 2)], -1130.26, 0.01)))
    for text, ok in checks:
        print("%-4s %s" % ("ok" if ok else "FAIL", text))


if __name__ == "__main__":
    main()
