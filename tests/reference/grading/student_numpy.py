"""A student-style solution of the sales assignment in plain NumPy/SciPy, independent of Mixtures.

It implements the five spec functions as the assignment describes them and writes the results in the
common student layout {"K": [...], "Theta": [...], "Pi": [...], "Log Likelihood": [...], "BIC": [...]}
(Theta as the flat vector alpha1, beta1, ..., alphaK, betaK). The grading tests use its output as a
correct submission produced outside this code base.

    /usr/bin/python3 student_numpy.py 609948_60x20.csv student_numpy_results.json

609948_60x20.csv is `mixtures simulate sales --student 609948 --stores 60 --weeks 20` (sha256
4a258e0b455ce3881479e8032ab065c41a4bb9c7011c803ffd8cb68414aecea1).
"""
import json
import sys

import numpy as np
from scipy.special import logsumexp
from scipy.stats import norm


def load(path):
    data = np.genfromtxt(path, delimiter=",", skip_header=1)
    price = data[:, 0]
    y = np.log(data[:, 1:])                      # T x N
    X = np.column_stack([np.ones_like(price), np.log(price)])  # T x 2
    return y, X


def log_f(theta, y, X):
    """N x K: sum_t log phi(y_it - alpha_k - beta_k log p_t)."""
    K = len(theta) // 2
    out = np.empty((y.shape[1], K))
    for k in range(K):
        mu = X @ theta[2 * k:2 * k + 2]          # T
        out[:, k] = norm.logpdf(y - mu[:, None]).sum(axis=0)
    return out


def LogL(theta, pi, y, X):
    return float(logsumexp(np.log(pi) + log_f(theta, y, X), axis=1).sum())


def EStep(theta, pi, y, X):
    a = np.log(pi) + log_f(theta, y, X)
    return np.exp(a - logsumexp(a, axis=1, keepdims=True))


def MStep(y, X, W):
    T, N = y.shape
    K = W.shape[1]
    theta = np.empty(2 * K)
    for k in range(K):
        w = W[:, k]
        # weighted least squares: sum_i w_i sum_t (y_it - x_t b)^2  ->  (sum w) X'X b = X' (y w)
        theta[2 * k:2 * k + 2] = np.linalg.solve(w.sum() * X.T @ X, X.T @ (y @ w))
    return theta, W.mean(axis=0)


def EM(K, y, X, tol, maxit, rng):
    N = y.shape[1]
    W = rng.dirichlet(np.ones(K), size=N)
    for _ in range(maxit):
        theta, pi = MStep(y, X, W)
        W_new = EStep(theta, pi, y, X)
        done = np.max(np.abs(W_new - W)) < tol
        W = W_new
        if done:
            break
    theta, pi = MStep(y, X, W)
    return theta, pi, LogL(theta, pi, y, X)


def Estimate(K, y, X, starts, rng, tol=1e-10, maxit=20000):
    best = None
    for _ in range(starts):
        fit = EM(K, y, X, tol, maxit, rng)
        if best is None or fit[2] > best[2]:
            best = fit
    theta, pi, ll = best
    order = np.argsort(theta[0::2])              # segments by ascending alpha
    theta = theta.reshape(-1, 2)[order].ravel()
    return theta, pi[order], ll


def main(data, out):
    y, X = load(data)
    T, N = y.shape
    rng = np.random.default_rng(2024)
    res = {"K": [], "Theta": [], "Pi": [], "Log Likelihood": [], "BIC": []}
    for K in (2, 3, 4):
        theta, pi, ll = Estimate(K, y, X, starts=40, rng=rng)
        res["K"].append(K)
        res["Theta"].append(theta.tolist())
        res["Pi"].append(pi.tolist())
        res["Log Likelihood"].append(ll)
        res["BIC"].append((3 * K - 1) * np.log(N * T) - 2 * ll)
    with open(out, "w") as f:
        json.dump(res, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
