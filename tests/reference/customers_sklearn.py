"""What scikit-learn does with the bundled customer sample (documentation of the degenerate fits).

Run from this folder with Debian's python3:  /usr/bin/python3 customers_sklearn.py
Fits GaussianMixture(K, covariance_type="full", n_init=5, random_state=42) for K = 1..10 on the six
spending columns of data/customers.tsv standardized with StandardScaler (as `mixtures cluster
--standardize`), and writes customers_sklearn.json: per K the log-likelihood, BIC and the smallest
covariance eigenvalue of the fit (1e-6 = reg_covar means a component collapsed onto tied values).
"""
import json
import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

X = np.genfromtxt("../../data/customers.tsv", delimiter="\t", skip_header=1)[:, 5:11]
Z = StandardScaler().fit_transform(X)
rows = []
for k in range(1, 11):
    gm = GaussianMixture(k, covariance_type="full", n_init=5, random_state=42).fit(Z)
    rows.append({"K": k, "logLikelihood": float(gm.score(Z) * len(Z)), "bic": float(gm.bic(Z)),
                 "minEigenvalue": float(min(np.linalg.eigvalsh(c).min() for c in gm.covariances_))})
best = min(rows, key=lambda r: r["bic"])
with open("customers_sklearn.json", "w") as f:
    json.dump({"sklearn": sklearn.__version__, "n": len(Z), "selectedByBic": best["K"], "results": rows}, f, indent=2)
    f.write("\n")
