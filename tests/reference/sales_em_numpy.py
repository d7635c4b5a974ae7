#!/usr/bin/env python3
"""Independent NumPy reference for the store-sales segment model.

Model (written from the model definition, not from the C# code):

    log S_it = alpha[c] + beta[c] log p_t + e_it,   e_it ~ N(0, 1)  (variance fixed at 1)

store i = 1..N, week t = 1..T, each store in one latent segment c for all its weeks, Pr[c] = pi_c.

    log L = sum_i log sum_c pi_c prod_t phi(y_it - alpha[c] - beta[c] x_t),  y = log S, x = log p.

EM: E-step by log-sum-exp over segments; M-step by weighted least squares (store i's T rows weighted
by W[i, c]) and pi_c = mean_i W[i, c]. Each K = 1..4 is fitted from many random starts with a tight
stopping rule; the best log-likelihood, theta (segments by ascending alpha) and pi are written to
sales_em_numpy.json, together with log L evaluated at a few fixed (theta, pi) values, so that LogL
itself is checked independently of any optimisation.

Rerun (from the repository root; needs only NumPy):

    python3 tests/reference/sales_em_numpy.py              # writes tests/reference/sales_em_numpy.json
    python3 tests/reference/sales_em_numpy.py --starts 400 --tol 1e-13   # more starts, tighter rule

The functions below are also imported by bench/sales_em_numpy_bench.py.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
LOG_2PI = math.log(2.0 * math.pi)


# ---------------------------------------------------------------------------------------------------
# data

def load_sales(path):
    """Read Price,Store1..StoreN (one row per week). Returns y (T x N log sales) and x (T log prices)."""
    a = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    price, sales = a[:, 0], a[:, 1:]
    if np.any(price <= 0) or np.any(sales <= 0):
        raise ValueError("prices and sales must be positive")
    return np.log(sales), np.log(price)


def design(x):
    """X = [1, x_t] (T x 2)."""
    return np.column_stack([np.ones_like(x), x])


# ---------------------------------------------------------------------------------------------------
# log-likelihood, directly from residuals (used for the fixed-parameter checks and the final values)

def log_dens_direct(theta, y, X):
    """l[i, c] = sum_t log phi(y_it - X_t theta_c), from the full T x N x K residual array."""
    mean = X @ theta.T                                   # T x K: alpha_c + beta_c x_t
    r = y[:, :, None] - mean[:, None, :]                 # T x N x K
    return -0.5 * y.shape[0] * LOG_2PI - 0.5 * np.einsum("tik,tik->ik", r, r)


def logsumexp_rows(a):
    m = np.max(a, axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return (m + np.log(np.sum(np.exp(a - m), axis=1, keepdims=True)))[:, 0]


def loglik_direct(theta, pi, y, X):
    """log L = sum_i logsumexp_c (log pi_c + l[i, c])."""
    with np.errstate(divide="ignore"):
        lp = np.log(np.asarray(pi, dtype=float))
    return float(np.sum(logsumexp_rows(lp[None, :] + log_dens_direct(np.asarray(theta, dtype=float), y, X))))


# ---------------------------------------------------------------------------------------------------
# EM on per-store summaries: y_i enters only through its own OLS fit b_i and residual sum of squares,
#   ||y_i - X th||^2 = RSS_i + (b_i - th)' X'X (b_i - th)       (exact: X is common to all stores)
# and the weighted LS M-step reduces to  th_c = (X'X)^-1 X' (sum_i W_ic y_i) / sum_i W_ic
#                                              = sum_i W_ic b_i / sum_i W_ic.
# With u_i = b_i - m and v_c = th_c - m (m = mean of the b_i, to keep the terms small) the quadratic form
# expands to u_i'A u_i - 2 u_i'A v_c + v_c'A v_c (A = X'X): one N x 2 by 2 x K product per E-step.

class Summaries:
    def __init__(self, y, X):
        self.T, self.N = y.shape
        self.XtX = X.T @ X                                  # 2 x 2
        B, *_ = np.linalg.lstsq(X, y, rcond=None)           # 2 x N: per-store OLS (QR/SVD)
        self.b = B.T                                        # N x 2
        res = y - X @ B
        self.rss = np.einsum("ti,ti->i", res, res)          # N
        self.m = self.b.mean(axis=0)
        u = self.b - self.m
        self.uA = u @ self.XtX                              # N x 2
        # store-level part of l[i, c]
        self.const = -0.5 * (self.T * LOG_2PI + self.rss + np.einsum("ip,ip->i", self.uA, u))


def log_dens(theta, s):
    """l[i, c] = -T/2 log 2 pi - (RSS_i + (b_i - th_c)' X'X (b_i - th_c)) / 2   (N x K)."""
    v = theta - s.m                                         # K x 2
    vAv = np.einsum("kp,pq,kq->k", v, s.XtX, v)
    return s.const[:, None] + s.uA @ v.T - 0.5 * vAv[None, :]


def e_step(theta, pi, s):
    """W (N x K) and log L, in log space."""
    with np.errstate(divide="ignore"):
        a = np.log(pi)[None, :] + log_dens(theta, s)
    norm = logsumexp_rows(a)
    return np.exp(a - norm[:, None]), float(np.sum(norm))


def m_step(W, s):
    """theta_c = weighted mean of the stores' OLS fits (= the weighted LS solution), pi_c = mean_i W_ic."""
    n = W.sum(axis=0)
    if np.any(n <= 0):
        return None
    theta = (W.T @ s.b) / n[:, None]
    return theta, n / s.N


def em(W, s, tol, max_iter):
    """M then E until max |W_new - W_old| < tol. Returns theta, pi, log L at the final (theta, pi), iterations, converged."""
    theta = pi = None
    ll = -np.inf
    for it in range(1, max_iter + 1):
        m = m_step(W, s)
        if m is None:
            return None
        theta, pi = m
        W_new, ll = e_step(theta, pi, s)
        delta = np.max(np.abs(W_new - W))
        W = W_new
        if delta < tol:
            return theta, pi, ll, it, True
    return theta, pi, ll, max_iter, False


def random_start(K, s, rng, kind):
    """Starting responsibilities: 'partition' = each store in a uniformly random segment (all non-empty);
    'stores' = theta_c = own OLS fits of K distinct random stores, pi uniform, then one E-step."""
    N = s.N
    if K == 1:
        return np.ones((N, 1))
    if kind == "partition":
        while True:
            z = rng.integers(0, K, size=N)
            if np.all(np.bincount(z, minlength=K) > 0):
                break
        return np.eye(K)[z]
    idx = rng.choice(N, size=K, replace=False)
    W, _ = e_step(s.b[idx].copy(), np.full(K, 1.0 / K), s)
    return W


def canonical(theta, pi):
    o = np.lexsort((theta[:, 1], theta[:, 0]))
    return theta[o], pi[o]


def fit(K, s, starts, seed, tol, max_iter, kinds=("partition", "stores")):
    """Best of `starts` random starts (kinds alternate). Returns dict with the best fit and per-start results."""
    rng = np.random.default_rng([seed, K])
    runs = []
    for j in range(starts if K > 1 else 1):
        r = em(random_start(K, s, rng, kinds[j % len(kinds)]), s, tol, max_iter)
        if r is not None:
            runs.append(r)
    best = max(runs, key=lambda r: r[2])
    theta, pi = canonical(best[0], best[1])
    lls = np.array([r[2] for r in runs])
    return {
        "theta": theta, "pi": pi, "logLikelihood": best[2], "iterations": best[3], "converged": best[4],
        "startsRun": len(runs), "startsAtBest": int(np.sum(lls >= best[2] - 1e-6)),
        "startsConverged": int(sum(r[4] for r in runs)), "allLogLikelihoods": lls,
    }


# ---------------------------------------------------------------------------------------------------
# the reference file

FIXED = [
    # (theta as K x 2 [alpha, beta], pi): plain values, the simulation truth, and one with a segment so far
    # away that its densities underflow exp (checks the log-sum-exp) and one with a zero weight.
    ([[3.0, -1.5]], [1.0]),
    ([[2.5, -1.0], [4.5, -2.5]], [0.4, 0.6]),
    ([[2.2244631438702855, -0.8512450733695123], [3.50718390841391, -1.1871130983072191],
      [5.060831393317288, -2.9562335616271285]],
     [0.25539611562757264, 0.32219252911576857, 0.4224113552566586]),
    ([[1.0, 0.5], [3.5, -1.2], [5.0, -3.0], [40.0, 2.0]], [0.1, 0.3, 0.4, 0.2]),
    ([[2.2, -0.85], [3.5, -1.2], [5.0, -3.0]], [0.5, 0.5, 0.0]),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "sales.csv"))
    ap.add_argument("--out", default=os.path.join(HERE, "sales_em_numpy.json"))
    ap.add_argument("--starts", type=int, default=200, help="random starts per K (K >= 2)")
    ap.add_argument("--tol", type=float, default=1e-12, help="stop when max |W_new - W_old| < tol")
    ap.add_argument("--max-iter", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--kmax", type=int, default=4)
    a = ap.parse_args()

    y, x = load_sales(a.data)
    X = design(x)
    s = Summaries(y, X)
    models = []
    for K in range(1, a.kmax + 1):
        t0 = time.perf_counter()
        f = fit(K, s, a.starts, a.seed, a.tol, a.max_iter)
        # log L at the final estimate, recomputed from the full residuals (independent of the summaries)
        ll_direct = loglik_direct(f["theta"], f["pi"], y, X)
        lls = np.sort(f["allLogLikelihoods"])[::-1]
        print(f"K={K}: logL={f['logLikelihood']:.10f} (direct {ll_direct:.10f}) startsAtBest={f['startsAtBest']}/"
              f"{f['startsRun']} converged={f['startsConverged']} bestIter={f['iterations']} "
              f"next distinct={next((v for v in lls if v < lls[0] - 1e-6), None)} ({time.perf_counter() - t0:.1f}s)",
              file=sys.stderr)
        models.append({
            "K": K,
            "logLikelihood": ll_direct,
            "logLikelihoodSummaries": f["logLikelihood"],
            "theta": f["theta"].tolist(),
            "pi": f["pi"].tolist(),
            "iterations": f["iterations"],
            "converged": f["converged"],
            "starts": f["startsRun"],
            "startsAtBest": f["startsAtBest"],
            "startsConverged": f["startsConverged"],
        })
    fixed = [{"theta": th, "pi": p, "logLikelihood": loglik_direct(th, p, y, X)} for th, p in FIXED]
    out = {
        "source": "tests/reference/sales_em_numpy.py (NumPy " + np.__version__ + ")",
        "data": {"file": "data/sales.csv", "stores": int(y.shape[1]), "weeks": int(y.shape[0])},
        "settings": {"startsPerK": a.starts, "startKinds": ["partition", "stores"], "tol": a.tol,
                     "maxIterations": a.max_iter, "seed": a.seed, "stopRule": "max |W_new - W_old| < tol",
                     "logLikelihood": "recomputed from full residuals at the final (theta, pi)"},
        "models": models,
        "fixed": fixed,
    }
    with open(a.out + ".tmp", "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")
    os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    main()
