# Reference fits of GLM mixtures (Poisson, binomial, Gaussian) with and without a multinomial-logit
# concomitant model, with flexmix, for tests/reference/glm/<case>.json. Data: the CSV files written by
# export_data.R (read back here, so the fits are of exactly the committed numbers).
#
# Per case:
#   * flexmix() from `starts` random initialisations (set.seed(1), ..., set.seed(starts)), each with
#     control = list(tolerance = 1e-10, iter.max = 5000, minprior = 0); the start with the highest
#     log-likelihood is "best". flexmix's EM stops on the relative change of the log-likelihood, and its
#     concomitant M-step is nnet's BFGS (default maxit 100, reltol 1e-8), so "best" lies near, not at,
#     the maximum.
#   * optimum: Newton's method on flexmix's own incomplete-data log-likelihood (FLXlogLikfun, analytic
#     gradient FLXgradlogLikfun, Hessian by central differences of that gradient), started from best,
#     until max |gradient| < 1e-9; standard errors are sqrt(diag(-H^-1)) there. For the Gaussian this
#     is the ML estimate (flexmix's own Gaussian M-step uses a df-corrected sigma, see README.md).
#   * refit: summary(refit(best)), i.e. flexmix's default optim-based refit, as the package prints it.
#   * log-likelihoods are recomputed by hand (dpois / dbinom / dnorm) with and without the
#     observation-only constants (log y!, log choose(n, y)).
# Components are ordered by ascending "(Intercept)" coefficient; concomitant coefficients gamma are
# log(pi_c / pi_1) relative to the first component in that order (gamma_1 = 0).
#
# Run from the repository root:  Rscript tests/reference/glm/flexmix_glm.R
# (after Rscript tests/reference/glm/export_data.R). Optional argument: case names to run only those.
suppressMessages({ library(flexmix); library(jsonlite) })   # jsonlite: string escaping only
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

here <- local({
  a <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else file.path("tests", "reference", "glm")
})
only <- commandArgs(trailingOnly = TRUE)
MAX_STARTS <- as.integer(Sys.getenv("GLMREF_MAX_STARTS", "0"))   # > 0: fewer starts, for trying the script only
read_data <- function(file) read.csv(file.path(here, file), stringsAsFactors = FALSE)
CONTROL <- list(tolerance = 1e-10, iter.max = 5000, minprior = 0)
REL_TOL <- 1e-6
ORDER_RULE <- paste("components sorted by ascending '(Intercept)' coefficient of the reported fit;",
                    "gamma_c = log(pi_c / pi_1) relative to the first component in that order, gamma_1 = 0")
versions <- list(R = R.version.string, flexmix = as.character(packageVersion("flexmix")),
                 nnet = as.character(packageVersion("nnet")),        # flexmix's concomitant M-step
                 jsonlite = as.character(packageVersion("jsonlite")))

# ---- JSON with full-precision numbers ------------------------------------------------------------
# jsonlite prints at most 15 significant digits, so numbers are formatted here: the shortest of
# %.15g / %.16g / %.17g that reads back as the same double (integers plainly), NA as null.
fmt_num <- function(v) {
  if (is.na(v)) return("null")
  if (!is.finite(v)) stop("non-finite number in the output")
  if (v == round(v) && abs(v) < 1e15) return(sprintf("%.0f", v))
  for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), v); if (as.numeric(s) == v) return(s) }
  s
}
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent + 1); end <- strrep("  ", indent)
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    items <- vapply(x, to_json, character(1), indent = indent + 1)
    if (!is.null(names(x)) && all(names(x) != "")) {
      keys <- vapply(names(x), function(k) as.character(jsonlite::toJSON(k, auto_unbox = TRUE)), character(1))
      return(paste0("{\n", paste0(pad, keys, ": ", items, collapse = ",\n"), "\n", end, "}"))
    }
    return(paste0("[\n", paste0(pad, items, collapse = ",\n"), "\n", end, "]"))
  }
  vals <- if (is.numeric(x)) vapply(unname(x), fmt_num, character(1))
          else if (is.logical(x)) ifelse(is.na(x), "null", ifelse(x, "true", "false"))
          else vapply(as.character(x), function(s) as.character(jsonlite::toJSON(s, auto_unbox = TRUE)), character(1))
  if (length(vals) == 1 && is.null(attr(x, "array"))) vals else paste0("[", paste(vals, collapse = ", "), "]")
}
as_array <- function(x) structure(x, array = TRUE)      # keep a length-1 vector an array

# ---- log-likelihood by hand -----------------------------------------------------------------------
# beta: p x K (columns = components), gamma: q x K or NULL, prior: K or NULL, log_sigma: K or NULL.
# Returns per-observation mixture log densities and the per-observation constant that is the same in
# every component (log 1/y! for Poisson, log choose(n, y) for binomial, 0 for Gaussian).
obs_loglik <- function(fam, resp, X, Z, beta, gamma, prior, log_sigma) {
  K <- ncol(beta)
  eta <- X %*% beta
  lp <- if (is.null(gamma)) matrix(log(prior), nrow(X), K, byrow = TRUE) else {
    e <- Z %*% gamma; e - apply(e, 1, function(r) max(r) + log(sum(exp(r - max(r)))))
  }
  comp <- switch(fam,
    poisson  = sapply(1:K, function(k) dpois(resp$y, exp(eta[, k]), log = TRUE)),
    binomial = sapply(1:K, function(k) dbinom(resp$s, resp$n, plogis(eta[, k]), log = TRUE)),
    gaussian = sapply(1:K, function(k) dnorm(resp$y, eta[, k], exp(log_sigma[k]), log = TRUE)))
  a <- comp + lp
  m <- apply(a, 1, max)
  list(ll = m + log(rowSums(exp(a - m))),
       const = switch(fam, poisson = -lgamma(resp$y + 1), binomial = lchoose(resp$n, resp$s),
                      gaussian = rep(0, nrow(X))))
}
hand_loglik <- function(cs, w = NULL) {
  o <- obs_loglik(cs$family, cs$resp, cs$X, cs$Z, cs$beta, cs$gamma, cs$prior, cs$log_sigma)
  if (is.null(w)) w <- rep(1, length(o$ll))
  list(loglik = sum(w * o$ll), loglik_without_constants = sum(w * (o$ll - o$const)),
       constant = sum(w * o$const))
}

# ---- flexmix parameter vector <-> canonical parameters ---------------------------------------------
# theta: named vector as FLXgetParameters gives it (model.1_Comp.j_coef.NAME, model.1_Comp.j_log(sigma),
# concomitant_Comp.j.NAME for j >= 2, or concomitant_Comp.j.alpha without concomitant covariates).
unpack <- function(theta, K, xn, zn, gaussian) {
  beta <- sapply(1:K, function(j) theta[paste0("model.1_Comp.", j, "_coef.", xn)])
  beta <- matrix(beta, length(xn), K, dimnames = list(xn, NULL))
  log_sigma <- if (gaussian) unname(theta[paste0("model.1_Comp.", 1:K, "_log(sigma)")]) else NULL
  g <- matrix(0, length(zn), K, dimnames = list(zn, NULL))
  for (j in 2:K) g[, j] <- theta[paste0("concomitant_Comp.", j, ".", zn)]
  list(beta = beta, log_sigma = log_sigma, gamma = g)
}
# Linear map A from theta to the canonical vector (components permuted by o, gamma re-referenced).
canon_map <- function(theta_names, K, xn, zn, gaussian, o) {
  rows <- list(); rn <- character(0)
  add <- function(v, name) { rows[[length(rows) + 1]] <<- v; rn <<- c(rn, name) }
  for (c in 1:K) {
    for (nm in xn) {
      v <- setNames(numeric(length(theta_names)), theta_names)
      v[paste0("model.1_Comp.", o[c], "_coef.", nm)] <- 1
      add(v, paste0("comp", c, ":", nm))
    }
    if (gaussian) {
      v <- setNames(numeric(length(theta_names)), theta_names)
      v[paste0("model.1_Comp.", o[c], "_log(sigma)")] <- 1
      add(v, paste0("comp", c, ":log(sigma)"))
    }
  }
  for (c in 2:K) for (nm in zn) {
    v <- setNames(numeric(length(theta_names)), theta_names)
    if (o[c] > 1) v[paste0("concomitant_Comp.", o[c], ".", nm)] <- v[paste0("concomitant_Comp.", o[c], ".", nm)] + 1
    if (o[1] > 1) v[paste0("concomitant_Comp.", o[1], ".", nm)] <- v[paste0("concomitant_Comp.", o[1], ".", nm)] - 1
    add(v, paste0("gamma", c, ":", nm))
  }
  A <- do.call(rbind, rows); rownames(A) <- rn; A
}

# A fit in canonical order as JSON-ready lists. theta/vcov in flexmix's order; vcov may be NULL.
describe <- function(cs, theta, vcov = NULL) {
  K <- cs$K; xn <- colnames(cs$X); zn <- cs$zn; gauss <- cs$family == "gaussian"
  u <- unpack(theta, K, xn, zn, gauss)
  o <- order(u$beta["(Intercept)", ])
  A <- canon_map(names(theta), K, xn, zn, gauss, o)
  tc <- drop(A %*% theta)
  se <- if (is.null(vcov)) NULL else sqrt(pmax(diag(A %*% vcov[names(theta), names(theta)] %*% t(A)), 0))
  beta <- u$beta[, o, drop = FALSE]
  gamma <- u$gamma[, o, drop = FALSE] - u$gamma[, o[1]]
  log_sigma <- if (gauss) u$log_sigma[o] else NULL
  cs2 <- cs; cs2$beta <- beta; cs2$log_sigma <- log_sigma
  if (cs$has_concomitant) { cs2$gamma <- gamma; cs2$prior <- NULL } else {
    cs2$gamma <- NULL; cs2$prior <- exp(gamma[1, ]) / sum(exp(gamma[1, ]))
  }
  ll <- hand_loglik(cs2, cs$w)
  comps <- lapply(1:K, function(c) {
    r <- list(coefficients = as.list(setNames(beta[, c], xn)))
    if (!is.null(se)) r$coefficients_se <- as.list(setNames(se[paste0("comp", c, ":", xn)], xn))
    if (gauss) {
      r$sigma <- exp(log_sigma[c]); r$log_sigma <- log_sigma[c]
      if (!is.null(se)) r$log_sigma_se <- unname(se[paste0("comp", c, ":log(sigma)")])
    }
    r
  })
  out <- list(loglik = ll$loglik, loglik_without_constants = ll$loglik_without_constants,
              components = comps)
  if (cs$has_concomitant) {
    out$gamma <- lapply(1:K, function(c) as.list(setNames(gamma[, c], zn)))
    if (!is.null(se)) out$gamma_se <- c(list(NULL), lapply(2:K, function(c)
      as.list(setNames(se[paste0("gamma", c, ":", zn)], zn))))
    e <- cs$Z %*% gamma; P <- exp(e - apply(e, 1, max)); P <- P / rowSums(P)
    out$prior <- if (is.null(cs$w)) colMeans(P) else colSums(P * cs$w) / sum(cs$w)
  } else {
    out$prior <- cs2$prior
    out$logit <- gamma[1, ]
    if (!is.null(se)) out$logit_se <- c(0, unname(se[paste0("gamma", 2:K, ":alpha")]))
  }
  out
}

# ---- Newton on flexmix's log-likelihood ------------------------------------------------------------
newton <- function(fit, max_iter = 100, gtol = 1e-9) {
  L <- FLXlogLikfun(fit); G <- FLXgradlogLikfun(fit)
  th <- FLXgetParameters(fit); nm <- names(th)
  jac <- function(th) {
    H <- sapply(seq_along(th), function(i) {
      h <- 1e-5 * max(1, abs(th[i])); e <- replace(numeric(length(th)), i, h)
      (G(th + e) - G(th - e)) / (2 * h)
    })
    H <- (H + t(H)) / 2
    dimnames(H) <- list(nm, nm)
    H
  }
  l0 <- L(th); it <- 0
  for (it in seq_len(max_iter)) {
    g <- G(th)
    if (max(abs(g)) < gtol) break
    H <- jac(th)
    step <- tryCatch(solve(H, g), error = function(e) NULL)
    if (is.null(step) || any(eigen(H, symmetric = TRUE, only.values = TRUE)$values >= 0))
      step <- -g * 1e-3                                 # not concave here: small gradient step
    t <- 1; repeat {
      cand <- th - t * step
      if (is.finite(L(cand)) && L(cand) >= L(th) - 1e-12) break
      t <- t / 2; if (t < 1e-10) { cand <- th; break }
    }
    th <- setNames(cand, nm)
  }
  H <- jac(th)
  ev <- eigen(H, symmetric = TRUE, only.values = TRUE)$values
  list(theta = th, loglik = L(th), loglik_start = l0, iterations = it, max_abs_gradient = max(abs(G(th))),
       hessian_eigen_max = max(ev), hessian_eigen_min = min(ev),
       vcov = if (max(ev) < 0) -solve(H) else NULL)
}

# ---- one case ----------------------------------------------------------------------------------------
run_case <- function(name, description, data_file, data, formula, family, K, starts,
                     concomitant = NULL, weights = NULL, newton_ok = TRUE, extra = NULL) {
  if (length(only) && !(name %in% only)) return(invisible(NULL))
  if (MAX_STARTS > 0) starts <- min(starts, MAX_STARTS)
  t0 <- proc.time()[["elapsed"]]
  model <- FLXMRglm(family = family)
  conc <- if (is.null(concomitant)) NULL else FLXPmultinom(concomitant)
  fits <- lapply(seq_len(starts), function(s) {
    set.seed(s)
    args <- list(formula = formula, data = data, k = K, model = model, control = CONTROL)
    if (!is.null(conc)) args$concomitant <- conc
    if (!is.null(weights)) args$weights <- weights
    f <- try(do.call(flexmix, args), silent = TRUE)
    if (inherits(f, "try-error") || f@k != K) NULL else f
  })
  lls <- sapply(fits, function(f) if (is.null(f)) NA_real_ else as.numeric(logLik(f)))
  b <- which.max(lls); best <- fits[[b]]; bll <- lls[b]
  reached <- sum(abs(lls - bll) <= REL_TOL * abs(bll), na.rm = TRUE)

  # design for the hand log-likelihood
  mf <- model.frame(formula, data)
  resp <- model.response(mf)
  X <- model.matrix(formula, data)
  resp <- if (family == "binomial") list(s = resp[, 1], n = rowSums(resp)) else list(y = resp)
  Z <- if (is.null(concomitant)) NULL else model.matrix(concomitant, data)
  cs <- list(family = family, resp = resp, X = X, Z = Z, K = K, w = weights,
             has_concomitant = !is.null(concomitant), zn = if (is.null(Z)) "alpha" else colnames(Z))

  th <- FLXgetParameters(best)
  lk <- logLik(best)
  em <- describe(cs, th)
  if (!cs$has_concomitant)
    stopifnot(isTRUE(all.equal(sort(em$prior), sort(unname(prior(best))), tolerance = 1e-10)))
  em <- c(list(start = b, loglik_reported = bll, starts_within_rel_1e6 = reached,
               iterations = best@iter, converged = best@converged,
               df = attr(lk, "df"), nobs = attr(lk, "nobs"), BIC = BIC(best), AIC = AIC(best)), em)
  if (family == "gaussian")
    em$sigma_note <- "flexmix's sigma: sqrt(sum(w r^2 / mean(w)) / (n - rank)), df-corrected, not ML"

  opt <- NULL
  if (newton_ok) {
    nt <- newton(best)
    opt <- c(list(method = paste("Newton on flexmix's incomplete-data log-likelihood from the best EM fit",
                                 "(analytic gradient, Hessian by central differences of it)"),
                  iterations = nt$iterations, max_abs_gradient = nt$max_abs_gradient,
                  hessian_eigen_max = nt$hessian_eigen_max, hessian_eigen_min = nt$hessian_eigen_min,
                  loglik_flexmix_function = nt$loglik),
             describe(cs, nt$theta, nt$vcov))
  }
  rf <- tryCatch({
    r <- refit(best)          # summary(r) prints r@coef with se sqrt(diag(r@vcov)), as used here
    c(list(method = "summary(refit(best)): optim BFGS with default control, Hessian from optim"),
      describe(cs, r@coef, r@vcov))
  }, error = function(e) list(error = conditionMessage(e)))

  out <- list(case = name, description = description, data = data_file, n = nrow(data),
              formula = deparse(formula), family = family,
              link = switch(family, poisson = "log", binomial = "logit", gaussian = "identity"),
              concomitant = if (is.null(concomitant)) NULL else deparse(concomitant),
              weights = if (is.null(weights)) NULL else "w (integer observation weights, flexmix weights = w)",
              K = K, starts = starts, starts_failed = sum(is.na(lls)),
              start_rule = "set.seed(s) then flexmix(..., k = K) (random initial classification), s = 1..starts",
              control = CONTROL, component_order = ORDER_RULE,
              coefficient_names = as_array(colnames(X)),
              concomitant_names = if (is.null(Z)) NULL else as_array(colnames(Z)),
              flexmix = em, optimum = opt, refit = rf,
              start_logliks = as_array(unname(lls)))
  if (!is.null(extra)) out <- c(out, extra(fits, cs, out))
  out$versions <- versions
  con <- file(file.path(here, paste0(name, ".json")), open = "wb")
  writeLines(to_json(out), con, sep = "\n"); close(con)
  cat(sprintf("%-32s best %.10f (start %d, %d/%d starts within 1e-6 rel, %d failed)%s  [%.0fs]\n",
              name, bll, b, reached, starts, sum(is.na(lls)),
              if (is.null(opt)) "" else sprintf("  optimum %.10f |g| %.1e", opt$loglik, opt$max_abs_gradient),
              proc.time()[["elapsed"]] - t0))
  invisible(out)
}

# ---- cases -------------------------------------------------------------------------------------------
patent <- read_data("patent.csv")
run_case("patent_poisson_k3",
         "flexmix's patent data (Wang, Cockburn & Puterman 1998), Poisson regression mixture, K = 3",
         "patent.csv", patent, Patents ~ lgRD, "poisson", 3, 100)
run_case("patent_poisson_k3_concomitant",
         paste("flexmix's patent data, Poisson regression mixture, K = 3, concomitant FLXPmultinom(~ RDS),",
               "the model of flexmix's vignette 'Applications of finite mixtures of regression models'",
               "(regression-examples, chunk 'patent')"),
         "patent.csv", patent, Patents ~ lgRD, "poisson", 3, 100, concomitant = ~ RDS)

# tribolium: Species has 3 levels, so ~ Species is the saturated concomitant model (one free prior
# vector per species). At the supremum some species-specific priors are 0, gamma diverges and flexmix's
# EM creeps towards the supremum; Newton is not applicable. The "supremum" block is the maximum of the
# equivalent model with species-specific priors (closed-form EM), run from every start's end point.
tribolium <- read_data("tribolium.csv")
tribolium_supremum <- function(fits, cs, out) {
  s <- cs$resp$s; n <- cs$resp$n; sp <- factor(tribolium$Species); K <- cs$K
  from_fit <- function(f) {
    p <- plogis(sapply(f@components, function(cm) cm[[1]]@parameters$coef))
    e <- cs$Z %*% f@concomitant@coef; P <- exp(e - apply(e, 1, max)); P <- P / rowSums(P)
    pis <- rowsum(P, sp) / as.vector(table(sp))
    old <- -Inf
    for (it in 1:200000) {
      d <- sapply(1:K, function(k) dbinom(s, n, p[k])) * pis[as.integer(sp), , drop = FALSE]
      ll <- sum(log(rowSums(d))); r <- d / rowSums(d)
      p <- colSums(r * s) / colSums(r * n)
      pis <- rowsum(r, sp) / as.vector(table(sp))
      if (it > 10 && ll - old <= 1e-14 * abs(ll)) break
      old <- ll
    }
    d <- sapply(1:K, function(k) dbinom(s, n, p[k])) * pis[as.integer(sp), , drop = FALSE]
    list(ll = sum(log(rowSums(d))), p = p, pis = pis, it = it, last_increase = ll - old)
  }
  set_fits <- lapply(fits, function(f) if (is.null(f)) NULL else from_fit(f))
  ok <- !sapply(set_fits, is.null)
  all_lls <- sapply(set_fits, function(f) if (is.null(f)) NA_real_ else f$ll)
  lls <- all_lls[ok]
  bs <- set_fits[ok][[which.max(lls)]]
  o <- order(qlogis(bs$p))
  cst <- sum(lchoose(n, s))
  list(supremum = list(
    method = paste("EM for the equivalent model with a free prior vector per species (closed-form M-step),",
                   "from each start's flexmix end point; stop when the relative increase <= 1e-14"),
    loglik = max(lls), loglik_without_constants = max(lls) - cst,
    starts_within_rel_1e6 = sum(abs(lls - max(lls)) <= REL_TOL * abs(max(lls))),
    iterations = bs$it, last_increase = bs$last_increase,
    components = lapply(o, function(k) list(coefficients = list(`(Intercept)` = qlogis(bs$p[k])),
                                            success_probability = bs$p[k])),
    prior = unname(colSums(bs$pis[as.integer(sp), o, drop = FALSE]) / length(sp)),
    supremum_minus_flexmix_best = max(lls) - out$flexmix$loglik_reported,
    start_logliks = as_array(unname(all_lls)),
    species_levels = as_array(rownames(bs$pis)),
    species_prior = lapply(seq_len(nrow(bs$pis)), function(i) unname(bs$pis[i, o])),
    note = paste("species_prior[i][c] = P(component c | species i) in component order; some are 0 at",
                 "the supremum (gamma -> +/- infinity; entries below 1e-10 are 0 in the limit), so gamma",
                 "has no finite maximiser and flexmix's gamma (and refit's standard errors for it) depend on",
                 "where its EM stopped: compare the log-likelihood, the component coefficients and",
                 "species_prior, not gamma")))
}
run_case("tribolium_binomial",
         paste("flexmix's tribolium data, intercept-only binomial mixture, K = 3, concomitant",
               "FLXPmultinom(~ Species) (flexmix's vignette 'Applications of finite mixtures of regression",
               "models' fits FLXMRglmfix(fixed = ~ Species) with concomitant ~ Replicate instead, see README.md)"),
         "tribolium.csv", tribolium, cbind(Remaining, Total - Remaining) ~ 1, "binomial", 3, 50,
         concomitant = ~ Species, newton_ok = FALSE, extra = tribolium_supremum)

run_case("simulated_poisson",
         "simulated (export_data.R): n = 1000, x ~ U(0,2), pi = (0.4, 0.6), log mu = (0.5 + x, 2 - 0.5 x)",
         "simulated_poisson.csv", read_data("simulated_poisson.csv"), y ~ x, "poisson", 2, 50)

run_case("simulated_binomial_trials",
         paste("simulated (export_data.R): n = 800, trials ~ U{5..20}, x ~ N(0,1), pi = (0.5, 0.5),",
               "logit p = (-1 + 1.5 x, 1 - 0.5 x)"),
         "simulated_binomial_trials.csv", read_data("simulated_binomial_trials.csv"),
         cbind(successes, trials - successes) ~ x, "binomial", 2, 50)

# weights: the replicated data set and the weighted one must have the same maximum.
wdat <- read_data("weights_replication.csv")
wrep <- read_data("weights_replication_replicated.csv")
rep_out <- run_case("weights_replication_replicated",
         "weights_replication_replicated.csv: each row of weights_replication.csv repeated w times; Gaussian, K = 2",
         "weights_replication_replicated.csv", wrep, y ~ x, "gaussian", 2, 50)
run_case("weights_replication",
         paste("simulated Gaussian regression, n = 200, K = 2, integer weights w in 1..3, fitted with",
               "flexmix(weights = w); its maximum must equal that of the replicated data"),
         "weights_replication.csv", wdat, y ~ x, "gaussian", 2, 50, weights = wdat$w,
         extra = function(fits, cs, out) {
           r <- rep_out
           list(replicated = if (is.null(r)) NULL else list(
             case = "weights_replication_replicated", data = "weights_replication_replicated.csv",
             n = r$n, flexmix_loglik = r$flexmix$loglik_reported, optimum_loglik = r$optimum$loglik,
             optimum_minus_weighted_optimum = r$optimum$loglik - out$optimum$loglik,
             flexmix_minus_weighted_flexmix = r$flexmix$loglik_reported - out$flexmix$loglik_reported,
             note = paste("at the ML optimum the weighted and replicated log-likelihoods agree; flexmix's",
                          "own EM results differ slightly because its Gaussian sigma is df-corrected with",
                          "n - rank, n = rows (200 weighted vs 390 replicated)")))
         })

run_case("categorical_covariate",
         paste("simulated (export_data.R): Gaussian, n = 600, K = 2, text covariate region",
               "(north, south, west; treatment coding, reference north = first sorted level; the first",
               "data row is west) plus numeric x"),
         "categorical_covariate.csv", read_data("categorical_covariate.csv"), y ~ x + region,
         "gaussian", 2, 50)
