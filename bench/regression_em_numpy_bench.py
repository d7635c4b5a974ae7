#!/usr/bin/env python3
"""Plain vectorised NumPy EM for a latent class regression (mixture of linear regressions), timed per iteration,
for comparison with bench/RegressionBench.

Model and data as the benchmark's: y = x'beta_c + e, e ~ N(0, sigma_c^2) (per-class variance), x = (1, x1, x2),
x1, x2 ~ N(0, 1), K = 3 classes with the worked example's truth (RegressionTruth.Example), simulated here with
NumPy's generator (the same distributions, not the same draws). EM from a random partition:

    M-step: beta_c = (X' W_c X)^-1 X' W_c y,  sigma_c^2 = sum_i W_ic (y_i - x_i'beta_c)^2 / sum_i W_ic,  pi_c = mean_i W_ic
    E-step: l_ic = log N(y_i; x_i'beta_c, sigma_c^2),  log W_ic = log pi_c + l_ic - logsumexp_c(log pi_c + l_ic)

as a NumPy user writes it: every step whole-array operations (BLAS for X' W_c X and X @ B'). A warm-up run of
--iterations, then --runs timed runs of exactly --iterations iterations (no stopping rule); prints each run and the
median time per iteration.

    python3 bench/regression_em_numpy_bench.py --rows 1000000 --iterations 20 --runs 3
"""

import argparse
import math
import time

import numpy as np

BETA = np.array([[5.0, 2.0, 0.0], [3.0, -1.0, 2.5], [1.5, 0.0, -2.0]])
SIGMA = np.array([1.0, 1.3, 0.8])
PI = np.array([0.45, 0.35, 0.20])
LOG_2PI = math.log(2.0 * math.pi)


def simulate(n, seed):
    rng = np.random.default_rng(seed)
    cls = rng.choice(3, size=n, p=PI)
    X = np.column_stack([np.ones(n), rng.standard_normal(n), rng.standard_normal(n)])
    y = np.einsum("ij,ij->i", X, BETA[cls]) + rng.standard_normal(n) * SIGMA[cls]
    return y, X


def m_step(W, y, X):
    K = W.shape[1]
    B = np.empty((K, X.shape[1]))
    s2 = np.empty(K)
    nk = W.sum(axis=0)
    for k in range(K):
        Xw = X * W[:, k, None]
        B[k] = np.linalg.solve(Xw.T @ X, Xw.T @ y)
        r = y - X @ B[k]
        s2[k] = W[:, k] @ (r * r) / nk[k]
    return B, s2, nk / W.shape[0]


def e_step(B, s2, pi, y, X):
    r = y[:, None] - X @ B.T                                     # n x K
    a = np.log(pi) - 0.5 * (LOG_2PI + np.log(s2)) - r * r / (2.0 * s2)
    m = a.max(axis=1, keepdims=True)
    a -= m
    np.exp(a, out=a)
    z = a.sum(axis=1, keepdims=True)
    a /= z
    return a, float(np.sum(m) + np.sum(np.log(z)))


def em(W, y, X, iterations):
    ll = -np.inf
    for _ in range(iterations):
        B, s2, pi = m_step(W, y, X)
        W, ll = e_step(B, s2, pi, y, X)
    return ll


def main():
    ap = argparse.ArgumentParser(description="Time a plain NumPy EM of a latent class regression per iteration.")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    y, X = simulate(a.rows, a.seed)
    rng = np.random.default_rng(a.seed + 1)
    W0 = np.eye(3)[rng.integers(0, 3, size=a.rows)]
    print(f"NumPy {np.__version__} latent class regression EM: n = {a.rows:,} rows, p = 3, K = 3, {a.iterations} iterations")
    times = []
    for r in range(a.runs + 1):
        t = time.perf_counter()
        ll = em(W0, y, X, a.iterations)
        dt = time.perf_counter() - t
        print(f"{'warm-up' if r == 0 else f'run {r}'}: {dt:.3f} s ({1000 * dt / a.iterations:.2f} ms per iteration), log L {ll:.4f}")
        if r > 0:
            times.append(dt)
    med = sorted(times)[len(times) // 2]
    print(f"median of {a.runs}: {1000 * med / a.iterations:.2f} ms per iteration")


if __name__ == "__main__":
    main()
