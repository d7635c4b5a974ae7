#!/usr/bin/env python3
"""Plain vectorized NumPy EM for the store-sales segment model, timed, for comparison with `mixtures sales`.

Reuses the independent reference implementation (tests/reference/sales_em_numpy.py): per-store summaries,
log-sum-exp E-step, weighted least-squares M-step, stop at max |W_new - W_old| < tol. Each K gets
`--starts` random starts (no split starts: that is our own scheme), with the same tol and iteration
limit as the mixtures defaults.

    python3 bench/sales_em_numpy_bench.py data/sales.csv --k 2,3,4 --starts 10

Prints the time to read the CSV, the time per K and the total, with each K's best log-likelihood,
how many starts reached it, and how many starts hit the iteration limit.
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "reference"))

import numpy as np  # noqa: E402
import sales_em_numpy as ref  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description="Time a plain NumPy EM of the sales model.")
    ap.add_argument("file")
    ap.add_argument("--k", default="2,3,4")
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--tol", type=float, default=1e-8)
    ap.add_argument("--max-iter", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    ks = [int(k) for k in a.k.split(",")]

    t0 = time.perf_counter()
    y, x = ref.load_sales(a.file)
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    s = ref.Summaries(y, ref.design(x))
    t_sum = time.perf_counter() - t1
    print(f"{os.path.basename(a.file)}: {s.N} stores x {s.T} weeks; NumPy {np.__version__}; "
          f"read {t_load:.2f} s, summaries {t_sum:.2f} s")
    t_fit = 0.0
    for K in ks:
        t = time.perf_counter()
        f = ref.fit(K, s, a.starts, a.seed, a.tol, a.max_iter)
        dt = time.perf_counter() - t
        t_fit += dt
        print(f"K = {K}: log L = {f['logLikelihood']:.6f}  starts at best {f['startsAtBest']}/{f['startsRun']}  "
              f"at iteration limit {f['startsRun'] - f['startsConverged']}  best iterations {f['iterations']}  {dt:.2f} s")
    print(f"total: read {t_load:.2f} s + fit {t_sum + t_fit:.2f} s = {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
