#!/usr/bin/env python3
"""Plain vectorized NumPy EM for the store-sales segment model, timed, for comparison with `mixtures sales`.

Reuses the independent reference implementation (tests/reference/sales_em_numpy.py): per-store summaries,
log-sum-exp E-step, weighted least-squares M-step, stop at max |W_new - W_old| < tol. Each K gets
`--starts` random starts (no split starts: that is our own scheme), with the same tol and iteration
limit as the mixtures defaults.

    python3 bench/sales_em_numpy_bench.py data/sales.csv --k 2,3,4 --starts 10

Prints the time to read the CSV, the time per K and the total, with each K's best log-likelihood,
how many starts reached it, and how many starts hit the iteration limit.

Per-iteration mode (no file): simulates --stores x --weeks log sales from --segments segments in NumPy and times
--runs runs (after a warm-up) of exactly --iterations plain EM iterations of --k components from a random partition,
each iteration the reference's M-step, E-step and max |W_new - W_old|:

    python3 bench/sales_em_numpy_bench.py --stores 100000 --weeks 104 --segments 4 --k 4 --iterations 20 --runs 3
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
    ap.add_argument("file", nargs="?", help="sales CSV (omit for the per-iteration mode on simulated stores)")
    ap.add_argument("--stores", type=int, default=100_000)
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--segments", type=int, default=4)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--k", default="2,3,4")
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--tol", type=float, default=1e-8)
    ap.add_argument("--max-iter", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    ks = [int(k) for k in a.k.split(",")]
    if a.file is None:
        per_iteration(a, ks[0])
        return

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


def per_iteration(a, K):
    """Milliseconds per plain EM iteration (M-step, E-step, max |dW|) on a simulated panel."""
    rng = np.random.default_rng(a.seed)
    x = np.log(np.round(rng.uniform(1.0, 3.0, size=a.weeks), 2))
    alpha = np.sort(rng.uniform(1.0, 6.0, size=a.segments))
    beta = rng.uniform(-3.0, -0.5, size=a.segments)
    seg = rng.integers(0, a.segments, size=a.stores)
    y = alpha[seg][None, :] + beta[seg][None, :] * x[:, None] + rng.standard_normal((a.weeks, a.stores))
    s = ref.Summaries(y, ref.design(x))
    W0 = np.eye(K)[rng.integers(0, K, size=s.N)]
    print(f"NumPy {np.__version__} sales EM: {s.N:,} stores x {s.T} weeks, K = {K}, {a.iterations} iterations per run")
    times = []
    for r in range(a.runs + 1):
        W = W0
        t = time.perf_counter()
        for _ in range(a.iterations):
            theta, pi = ref.m_step(W, s)
            W_new, ll = ref.e_step(theta, pi, s)
            delta = np.max(np.abs(W_new - W))
            W = W_new
        dt = time.perf_counter() - t
        print(f"{'warm-up' if r == 0 else f'run {r}'}: {dt:.3f} s ({1000 * dt / a.iterations:.2f} ms per iteration), "
              f"log L {ll:.4f}, max |dW| {delta:.2e}")
        if r > 0:
            times.append(dt)
    med = sorted(times)[len(times) // 2]
    print(f"median of {a.runs}: {1000 * med / a.iterations:.2f} ms per iteration")


if __name__ == "__main__":
    main()
