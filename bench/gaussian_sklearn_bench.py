"""scikit-learn side of bench/gaussian_bench.sh: time EM iterations of GaussianMixture on the same data.

    /usr/bin/python3 bench/gaussian_sklearn_bench.py data.f64 N D K [ITERATIONS] [RUNS] [COVARIANCE]

data.f64 is the raw little-endian float64 matrix written by `gaussian-bench --save` (column-major, n x d).
One EM iteration is exactly the body of GaussianMixture.fit's loop (sklearn/mixture/_base.py, fit_predict):
    log_prob_norm, log_resp = gm._e_step(X); gm._m_step(X, log_resp); gm._compute_lower_bound(log_resp, log_prob_norm)
started from parameters fitted with max_iter=1 from random responsibilities (the initialisation is not
timed). Prints ms per iteration (median of RUNS, wall and process CPU) and the peak resident set size.
"""
import resource
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

path, n, d, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
iterations = int(sys.argv[5]) if len(sys.argv) > 5 else 10
runs = int(sys.argv[6]) if len(sys.argv) > 6 else 3
covariance = sys.argv[7] if len(sys.argv) > 7 else "full"

X = np.ascontiguousarray(np.fromfile(path, dtype="<f8").reshape(d, n).T)
print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}: n = {n:,}, d = {d}, K = {k}, covariance {covariance}, "
      f"{iterations} iterations, data matrix {X.nbytes / 1e6:.0f} MB")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    gm = GaussianMixture(n_components=k, covariance_type=covariance, max_iter=1, n_init=1,
                         init_params="random", reg_covar=1e-6, random_state=1).fit(X)

walls, cpus = [], []
for r in range(runs + 1):
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(iterations):
        log_prob_norm, log_resp = gm._e_step(X)
        gm._m_step(X, log_resp)
        lower_bound = gm._compute_lower_bound(log_resp, log_prob_norm)
    wall = (time.perf_counter() - w0) * 1000 / iterations
    cpu = (time.process_time() - c0) * 1000 / iterations
    print(f"{'warm-up' if r == 0 else f'run {r}'}: {wall:.1f} ms per iteration wall, {cpu:.1f} ms CPU")
    if r > 0:
        walls.append(wall)
        cpus.append(cpu)
walls.sort()
cpus.sort()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(f"median: {walls[len(walls) // 2]:.1f} ms per iteration wall ({cpus[len(cpus) // 2]:.1f} ms CPU)")
print(f"mean log-likelihood per row (lower bound) after the last iteration: {lower_bound!r}")
print(f"peak resident set: {peak / 1e6:.0f} MB = {peak / X.nbytes:.2f} x the data matrix")
