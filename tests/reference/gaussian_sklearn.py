"""Reference fixture for the Gaussian mixture tests, produced offline with scikit-learn.

Run from this folder with Debian's python3 (numpy, scikit-learn):
    /usr/bin/python3 gaussian_sklearn.py
Writes gaussian_data.csv (the simulated data set, so the tests need no Python and no shared RNG)
and gaussian_sklearn.json (for every covariance type and K = 1..4: scikit-learn's log-likelihood
at its fitted parameters, its free-parameter count, BIC and AIC).
"""
import json
import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture

rng = np.random.default_rng(20240604)
# Three clusters in d = 3 with different shapes and sizes, moderately overlapping.
specs = [
    (250, [0.0, 0.0, 0.0], [[1.0, 0.6, 0.0], [0.6, 1.0, 0.3], [0.0, 0.3, 0.5]]),
    (150, [4.0, 1.0, -2.0], [[0.5, 0.0, 0.0], [0.0, 2.0, -0.8], [0.0, -0.8, 1.0]]),
    (100, [-3.0, 5.0, 2.0], [[1.5, -0.5, 0.2], [-0.5, 0.7, 0.0], [0.2, 0.0, 0.3]]),
]
X = np.vstack([rng.multivariate_normal(m, c, size=n) for n, m, c in specs])
X = X[rng.permutation(len(X))]
np.savetxt("gaussian_data.csv", X, delimiter=",", header="x1,x2,x3", comments="", fmt="%.17g")
X = np.loadtxt("gaussian_data.csv", delimiter=",", skiprows=1)  # fit exactly what the tests read

n = len(X)
results = []
for cov in ["full", "tied", "diag", "spherical"]:
    for k in range(1, 5):
        gm = GaussianMixture(n_components=k, covariance_type=cov, reg_covar=1e-6, tol=1e-10,
                             max_iter=5000, n_init=20, random_state=0).fit(X)
        results.append({
            "covariance": cov,
            "K": k,
            "logLikelihood": float(gm.score(X) * n),
            "freeParameters": int(gm._n_parameters()),
            "bic": float(gm.bic(X)),
            "aic": float(gm.aic(X)),
            "converged": bool(gm.converged_),
        })

with open("gaussian_sklearn.json", "w") as f:
    json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "n": n,
               "settings": "reg_covar=1e-6, tol=1e-10, max_iter=5000, n_init=20, random_state=0",
               "results": results}, f, indent=2)
    f.write("\n")
