"""Buggy student-style solutions of the sales assignment, for testing the grader.

Each variant below is the correct NumPy solution of ../student_numpy.py with one plausible student
mistake written into the code (no number is edited after the fit). Every variant writes a results file
in the common student layout {"K": [...], "Theta": [...], "Pi": [...], "Log Likelihood": [...], "BIC": [...]}
(Theta as alpha1, beta1, ..., alphaK, betaK). Unless stated otherwise the BIC is the correct
(3K - 1) ln(N T) - 2 logL with the REPORTED logL. Seeds are fixed, so the files are reproducible:

    cd tests/reference/grading/buggy && /usr/bin/python3 buggy_students.py ../609948_60x20.csv .

transposed.json
    Bug: correct EM (40 starts, tol 1e-10, the seed of student_numpy.py, so the parameters are those of
    student_numpy_results.json), but the function that reports logL takes the number of stores from
    y.shape[0], as if y were N x T: it sums the store-level terms over the first T = 20 stores only.
    Grader: "logL matches own parameters" fails for every K (the reported value is the spec LogL over
    the first T = 20 stores, about a third of the true value); BIC formula passes (it uses the reported
    logL); reaches maximum and parameters match pass; the BIC choice is made from wrong numbers.
observation_level.json
    Bug: the student fits the observation-level mixture: every observation y_it gets its own posterior
    over segments (the store's history is not kept together), the M-step is weighted least squares with
    per-observation weights and pi is the mean of the N T posteriors; the reported logL is
    sum_it log sum_c pi_c phi(y_it - alpha_c - beta_c log p_t). Several starts, converged to 1e-10.
    Grader: "logL matches own parameters" fails (another formula); reaches maximum and parameters
    match fail for every K (the store-level LogL at these parameters is well below the reference).
    For K = 4 the observation-level EM ends in its K = 3 fit with two identical segments (2 and 3),
    so the grader also finds "segments 2 and 3 are the same".
unnormalised_mstep.json
    Bug: the M-step solves X'X theta_c = X'(y w_c), forgetting the factor sum_i w_ic on the left, so
    theta_c is the w-weighted SUM of the store OLS fits, not their weighted mean. E-step, pi and LogL
    are correct; the reported logL is the correct LogL at the reported parameters. After one iteration
    every store falls into one segment, whose alpha, beta are N times the pooled OLS fit of all y_it on
    (1, log p_t); the other segments are empty (pi exactly 0, alpha = beta = 0).
    Grader: pi sums to 1, logL consistency and BIC pass; reaches maximum fails by millions (below the
    best (K-1)-segment fit, so it cannot be the K maximum); parameters fail; empty-segment findings.
impossible_logl.json
    Bug: the student minimised a negative log-likelihood and reported the optimiser's value, and reports
    neither theta nor pi. The "Log Likelihood" entries are positive (minus the correct maximum), the BIC
    is computed from them with the correct formula. With sigma = 1 every observation contributes at most
    -log(2 pi) / 2, so log L <= -(N T / 2) log(2 pi) = -1102.7: a positive value is impossible.
    Grader: theta and pi are not reported (pi, consistency and parameter checks fail); the BIC formula
    passes on the reported value; the reported log-likelihood must not be accepted as reaching the
    maximum (it lies above every attainable value, the sign is wrong).
equal_segments.json
    Bug: K = 2 and 3 correct. For K = 4 the student builds the start from a 2-segment start and splits
    its first column into three equal columns 1, 3, 4; EM keeps equal segments equal, so segments 1, 3
    and 4 stay identical (checked to 1e-8 here): a 2-segment fit in disguise. Segments are not reordered.
    Grader: K = 2, 3 pass; K = 4: logL consistency and BIC pass, reaches maximum and parameters fail
    (LogL is the K = 2 maximum, below the best K = 3 fit), finding "segments 1 and 3 (1 and 4, 3 and 4)
    are the same".
early_stopped.json
    Bug: correct EM from one random start per K, stopped after a fixed 3 iterations with no convergence
    check; the reported logL is the correct LogL at those parameters.
    Grader: pi, logL consistency and BIC pass; reaches maximum and parameters fail (EM not converged:
    one more EM step raises LogL).
local_optimum.json
    Bug: correct, tightly converged EM (tol 1e-12 on W) for every K, but for K = 3 the student kept a
    converged start that is a genuine local optimum, more than 0.5 below the best of 200 starts (one
    more EM step changes LogL by less than 1e-8, checked here). K = 2 and 4 are best of 10 starts.
    Grader: K = 3: pi, logL consistency and BIC pass; reaches maximum fails ("stuck at a local optimum")
    and parameters fail; K = 2, 4 pass.
"""
import json
import os
import sys

import numpy as np
from scipy.special import logsumexp
from scipy.stats import norm


# ---- the correct spec functions (as in student_numpy.py) -------------------------------------------
def load(path):
    data = np.genfromtxt(path, delimiter=",", skip_header=1)
    y = np.log(data[:, 1:])                                    # T x N
    X = np.column_stack([np.ones(len(data)), np.log(data[:, 0])])
    return y, X


def log_f(theta, y, X):
    """N x K: sum_t log phi(y_it - alpha_k - beta_k log p_t)."""
    mu = X @ theta.reshape(-1, 2).T                            # T x K
    return norm.logpdf(y[:, :, None] - mu[:, None, :]).sum(axis=0)


def LogL(theta, pi, y, X):
    return float(logsumexp(np.log(pi) + log_f(theta, y, X), axis=1).sum())


def EStep(theta, pi, y, X):
    a = np.log(pi) + log_f(theta, y, X)
    return np.exp(a - logsumexp(a, axis=1, keepdims=True))


def MStep(y, X, W):
    theta = [np.linalg.solve(w.sum() * X.T @ X, X.T @ (y @ w)) for w in W.T]
    return np.ravel(theta), W.mean(axis=0)


def EM(y, X, W, tol, maxit, mstep=MStep):
    for _ in range(maxit):
        theta, pi = mstep(y, X, W)
        W_new = EStep(theta, pi, y, X)
        done = np.max(np.abs(W_new - W)) <= tol
        W = W_new
        if done:
            break
    theta, pi = mstep(y, X, W)
    return theta, pi, LogL(theta, pi, y, X)


def Estimate(K, y, X, starts, rng, tol=1e-10, maxit=20000, mstep=MStep):
    fits = [EM(y, X, rng.dirichlet(np.ones(K), size=y.shape[1]), tol, maxit, mstep) for _ in range(starts)]
    return sort(max(fits, key=lambda f: f[2]))


def sort(fit):
    theta, pi, ll = fit
    order = np.argsort(theta[0::2], kind="stable")             # segments by ascending alpha
    return theta.reshape(-1, 2)[order].ravel(), pi[order], ll


# ---- the variants ------------------------------------------------------------------------------------
def transposed(y, X):
    def LogL_report(theta, pi, y, X):
        n_stores = y.shape[0]                                  # BUG: y is T x N, this is T
        lf = log_f(theta, y, X)
        return float(sum(logsumexp(np.log(pi) + lf[i]) for i in range(n_stores)))
    rng = np.random.default_rng(2024)
    out = []
    for K in (2, 3, 4):
        theta, pi, _ = Estimate(K, y, X, 40, rng)
        out.append((K, theta, pi, LogL_report(theta, pi, y, X)))
    return out


def observation_level(y, X):
    # BUG throughout: posteriors per observation (T x N x K) instead of per store (N x K)
    def log_phi(theta):
        return norm.logpdf(y[:, :, None] - (X @ theta.reshape(-1, 2).T)[:, None, :])

    def m_step(R):
        theta = []
        for c in range(R.shape[2]):
            r = R[:, :, c]                                     # weight of each y_it
            A = X.T @ (r.sum(axis=1)[:, None] * X)
            theta.append(np.linalg.solve(A, X.T @ (r * y).sum(axis=1)))
        return np.ravel(theta), R.mean(axis=(0, 1))

    def fit(R, tol=1e-10, maxit=20000):
        for _ in range(maxit):
            theta, pi = m_step(R)
            a = np.log(pi) + log_phi(theta)
            R_new = np.exp(a - logsumexp(a, axis=2, keepdims=True))
            done = np.max(np.abs(R_new - R)) <= tol
            R = R_new
            if done:
                break
        theta, pi = m_step(R)
        return theta, pi, float(logsumexp(np.log(pi) + log_phi(theta), axis=2).sum())

    rng = np.random.default_rng(11)
    out = []
    for K in (2, 3, 4):
        fits = [fit(rng.dirichlet(np.ones(K), size=y.shape)) for _ in range(10)]
        out.append((K, *sort(max(fits, key=lambda f: f[2]))))
    return out


def unnormalised_mstep(y, X):
    def MStep_bug(y, X, W):
        # BUG: forgot the factor w.sum() on the left-hand side
        theta = [np.linalg.solve(X.T @ X, X.T @ (y @ w)) for w in W.T]
        return np.ravel(theta), W.mean(axis=0)
    rng = np.random.default_rng(3)
    return [(K, *Estimate(K, y, X, 40, rng, tol=0.0, maxit=200, mstep=MStep_bug)) for K in (2, 3, 4)]


def impossible_logl(y, X):
    def neg_loglik(theta, pi):                                 # what an optimiser minimises
        return -LogL(theta, pi, y, X)
    rng = np.random.default_rng(2024)
    out = []
    for K in (2, 3, 4):
        theta, pi, _ = Estimate(K, y, X, 40, rng)
        out.append((K, None, None, neg_loglik(theta, pi)))   # BUG: reports the minimised value, no parameters
    return out


def equal_segments(y, X):
    rng = np.random.default_rng(5)
    N = y.shape[1]
    out = []
    for K in (2, 3):
        fits = [EM(y, X, rng.dirichlet(np.ones(K), size=N), 1e-10, 20000) for _ in range(40)]
        out.append((K, *max(fits, key=lambda f: f[2])))
    W2 = rng.dirichlet(np.ones(2), size=N)
    a = W2[:, 0] / 3                                           # BUG: three identical columns
    W = np.column_stack([a, W2[:, 1], a, a])
    out.append((4, *EM(y, X, W, 1e-12, 100000)))
    seg = out[-1][1].reshape(-1, 2)
    assert np.max(np.abs(seg[[2, 3]] - seg[0])) <= 1e-8, "segments 1, 3, 4 are not equal"
    return out


def early_stopped(y, X):
    rng = np.random.default_rng(6)
    out = []
    for K in (2, 3, 4):
        W = rng.dirichlet(np.ones(K), size=y.shape[1])
        for _ in range(3):                                     # BUG: fixed 3 iterations, no convergence check
            theta, pi = MStep(y, X, W)
            W = EStep(theta, pi, y, X)
        theta, pi = MStep(y, X, W)
        out.append((K, *sort((theta, pi, LogL(theta, pi, y, X)))))
    return out


def local_optimum(y, X, note):
    rng = np.random.default_rng(7)
    N = y.shape[1]
    out = []
    for K in (2, 3, 4):
        starts, maxit = (200, 100000) if K == 3 else (10, 20000)
        fits = [EM(y, X, rng.dirichlet(np.ones(K), size=N), 1e-12, maxit) for _ in range(starts)]
        best = max(fits, key=lambda f: f[2])
        if K == 3:
            local = [f for f in fits if f[2] < best[2] - 0.5]
            assert local, "no local optimum for K = 3 among 200 starts"
            chosen = local[0]                                  # BUG: kept a start that is not the best
            note["best of 200 (K = 3)"] = best[2]
            note["one-step change (K = 3)"] = rise(chosen[0], chosen[1], y, X)
            assert abs(note["one-step change (K = 3)"]) < 1e-8, "the K = 3 fit is not converged"
        else:
            chosen = best
        out.append((K, *sort(chosen)))
    return out


# ---- checks and output -------------------------------------------------------------------------------
def rise(theta, pi, y, X):
    """LogL after one correct EM step minus LogL at (theta, pi); an empty segment keeps its parameters."""
    W = EStep(theta, pi, y, X)
    new = theta.copy()
    for c, w in enumerate(W.T):
        if w.sum() > 0:
            new[2 * c:2 * c + 2] = np.linalg.solve(w.sum() * X.T @ X, X.T @ (y @ w))
    return LogL(new, W.mean(axis=0), y, X) - LogL(theta, pi, y, X)


def write(path, fits, n):
    res = {"K": [], "Theta": [], "Pi": [], "Log Likelihood": [], "BIC": []}
    for K, theta, pi, ll in fits:
        res["K"].append(K)
        if theta is not None:
            res["Theta"].append(theta.tolist())
            res["Pi"].append(pi.tolist())
        res["Log Likelihood"].append(ll)
        res["BIC"].append((3 * K - 1) * np.log(n) - 2 * ll)
    if not res["Theta"]:
        del res["Theta"], res["Pi"]
    with open(path, "w") as f:
        json.dump(res, f, indent=2, allow_nan=False)


def no_constant(c):
    raise ValueError(f"{c} in JSON")


def main(data, folder):
    np.seterr(divide="ignore")                                 # log(0) of an empty segment is -inf
    y, X = load(data)
    T, N = y.shape
    note = {}
    variants = {
        "transposed": transposed, "observation_level": observation_level,
        "unnormalised_mstep": unnormalised_mstep, "impossible_logl": impossible_logl,
        "equal_segments": equal_segments, "early_stopped": early_stopped,
        "local_optimum": lambda y, X: local_optimum(y, X, note),
    }
    print(f"{'variant':20} {'K':>2} {'reported logL':>16} {'LogL(own params)':>18} {'one-step rise':>14}")
    for name, run in variants.items():
        path = os.path.join(folder, name + ".json")
        write(path, run(y, X), N * T)
        with open(path) as f:
            res = json.load(f, parse_constant=no_constant)
        for j, K in enumerate(res["K"]):
            own = step = "-"
            if "Theta" in res:
                theta, pi = np.array(res["Theta"][j]), np.array(res["Pi"][j])
                own, step = f"{LogL(theta, pi, y, X):.6f}", f"{rise(theta, pi, y, X):.3g}"
            print(f"{name:20} {K:>2} {res['Log Likelihood'][j]:>16.6f} {own:>18} {step:>14}")
    for k, v in note.items():
        print(f"{k}: {v:.10g}")
    u = json.load(open(os.path.join(folder, "unnormalised_mstep.json")))
    pooled = np.linalg.lstsq(np.tile(X, (N, 1)), y.T.ravel(), rcond=None)[0]
    print("N x pooled OLS (alpha, beta):", N * pooled, " unnormalised alphas:", [t[0::2] for t in u["Theta"]])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
