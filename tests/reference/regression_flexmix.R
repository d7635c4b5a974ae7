# Reference fits of the latent class regression worked example (tests/reference/regression_example.csv,
# written by `mixtures simulate regression --out ...`, identical to data/regression.csv) with R:
#   flexmix  : stepFlexmix(y ~ x1 + x2, k = 3, nrep = 20); its Gaussian M-step uses the df-corrected
#              sigma^2 = sum(w r^2 / mean(w)) / (n - rank), not the ML update, so it stops slightly off
#              the maximum of the likelihood
#   mixtools : regmixEM (ML variance update), from flexmix's solution and from 20 random starts
#   refit    : flexmix::refit (optim BFGS on the incomplete-data log-likelihood, Hessian by finite
#              differences of the analytic gradient) for standard errors; once with the default optim
#              control and once with reltol = 1e-15 (so the Hessian is taken at the MLE itself)
# Output: regression_flexmix.json. Classes are sorted by ascending intercept (our canonical order);
# logits are log(pi_c / pi_1) relative to that order (flexmix's, relative to its own component 1,
# are transformed linearly, their covariance as A V A').
#
# Run from this folder:  Rscript regression_flexmix.R
suppressMessages({ library(flexmix); library(mixtools); library(jsonlite) })

d <- read.csv("regression_example.csv")
y <- d$y
X <- cbind(1, d$x1, d$x2)
K <- 3

loglik <- function(beta, sigma, pi) {   # beta: p x K
  dens <- sapply(1:K, function(j) pi[j] * dnorm(y, drop(X %*% beta[, j]), sigma[j], log = FALSE))
  sum(log(rowSums(dens)))
}

# ---- flexmix -------------------------------------------------------------------------------------
set.seed(2024)
fm <- stepFlexmix(y ~ x1 + x2, data = d, k = K, nrep = 20, verbose = FALSE,
                  control = list(tolerance = 1e-10, iter.max = 10000, minprior = 0))
fp <- parameters(fm)                       # rows: coef.(Intercept), coef.x1, coef.x2, sigma
f_order <- order(fp[1, ])
f_beta <- fp[1:3, f_order, drop = FALSE]
f_sigma <- fp[4, f_order]
f_pi <- prior(fm)[f_order]
f_ll <- as.numeric(logLik(fm))

# ---- mixtools: from flexmix's solution and from random starts; keep the best -----------------------
runs <- list()
invisible(capture.output(
  runs[[1]] <- regmixEM(y, X[, -1], lambda = f_pi, beta = f_beta, sigma = f_sigma, k = K,
                        epsilon = 1e-14, maxit = 100000, verb = FALSE)))
for (s in 1:20) {
  set.seed(s)
  invisible(capture.output(
    r <- try(regmixEM(y, X[, -1], k = K, epsilon = 1e-14, maxit = 100000, verb = FALSE), silent = TRUE)))
  if (!inherits(r, "try-error")) runs[[length(runs) + 1]] <- r
}
lls <- sapply(runs, function(r) loglik(r$beta, r$sigma, r$lambda))
m <- runs[[which.max(lls)]]
m_order <- order(m$beta[1, ])
m_beta <- m$beta[, m_order, drop = FALSE]
m_sigma <- m$sigma[m_order]
m_pi <- m$lambda[m_order]
m_ll <- loglik(m_beta, m_sigma, m_pi)

# ---- refit: standard errors ----------------------------------------------------------------------
refit_summary <- function(rf) {
  cf <- rf@coef
  V <- rf@vcov
  se <- sqrt(diag(V))
  comps <- lapply(1:K, function(j) {
    pre <- paste0("model.1_Comp.", j, "_")
    list(beta = unname(cf[paste0(pre, c("coef.(Intercept)", "coef.x1", "coef.x2"))]),
         beta_se = unname(se[paste0(pre, c("coef.(Intercept)", "coef.x1", "coef.x2"))]),
         log_sigma = unname(cf[paste0(pre, "log(sigma)")]),
         log_sigma_se = unname(se[paste0(pre, "log(sigma)")]))
  })
  a_names <- paste0("concomitant_Comp.", 2:K, ".alpha")
  alpha <- c(0, unname(cf[a_names]))                        # log(pi_j / pi_1), flexmix order
  Va <- matrix(0, K, K); Va[2:K, 2:K] <- V[a_names, a_names]
  o <- order(sapply(comps, function(c) c$beta[1]))           # our canonical order
  # our logits: alpha'_c = alpha_{o[c]} - alpha_{o[1]}, c = 2..K
  A <- matrix(0, K - 1, K)
  for (c in 2:K) { A[c - 1, o[c]] <- A[c - 1, o[c]] + 1; A[c - 1, o[1]] <- A[c - 1, o[1]] - 1 }
  pi <- exp(alpha) / sum(exp(alpha))
  beta <- sapply(comps[o], function(c) c$beta)
  sigma <- exp(sapply(comps[o], function(c) c$log_sigma))
  list(beta = unname(t(beta)),
       beta_se = unname(t(sapply(comps[o], function(c) c$beta_se))),
       log_sigma = sapply(comps[o], function(c) c$log_sigma),
       log_sigma_se = sapply(comps[o], function(c) c$log_sigma_se),
       sigma = sigma,
       pi = pi[o],
       logit = drop(A %*% alpha),
       logit_se = sqrt(diag(A %*% Va %*% t(A))),
       loglik = loglik(beta, sigma, pi[o]))
}
rf_default <- refit_summary(refit(fm))
rf_tight <- refit_summary(refit(fm, optim_control = list(reltol = 1e-15, maxit = 10000)))

out <- list(
  data = "regression_example.csv", K = K,
  versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                  flexmix = as.character(packageVersion("flexmix")),
                  mixtools = as.character(packageVersion("mixtools"))),
  flexmix = list(loglik = f_ll, beta = unname(t(f_beta)), sigma = unname(f_sigma), pi = unname(f_pi),
                 iterations = fm@iter, note = "sigma is flexmix's df-corrected estimate, not the ML one"),
  mixtools = list(loglik = m_ll, loglik_reported = m$loglik, beta = unname(t(m_beta)), sigma = unname(m_sigma),
                  pi = unname(m_pi), starts = length(runs)),
  refit = rf_default,
  refit_tight = rf_tight)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "regression_flexmix.json")
cat(sprintf("flexmix logLik %.10f  mixtools %.10f  refit %.10f  refit(tight) %.10f\n",
            f_ll, m_ll, rf_default$loglik, rf_tight$loglik))
