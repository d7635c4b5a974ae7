## Reference optima for mixtures of linear regressions (per-class ML variance).
## Writes reference/regression.json.  Run from bench/corpus:
##   nice -n 19 Rscript reference_regression.R
## The (case, K, tool) jobs run in CORES (default 1) R processes; every start
## sets its own seed, so the result does not depend on CORES.
## Optional environment variables for quick trials: MIX_STARTS, FLEX_STARTS
## (caps on the numbers of starts), CASES (comma list of case ids), CORES.
suppressPackageStartupMessages({
  library(mixtools)
  library(flexmix)
  library(jsonlite)
  library(parallel)
})
source("json_full_precision.R")

CAP_MIX <- as.integer(Sys.getenv("MIX_STARTS", "500"))
CAP_FLEX <- as.integer(Sys.getenv("FLEX_STARTS", "200"))
CORES <- as.integer(Sys.getenv("CORES", "1"))
KS <- 1:6
EPS <- 1e-8       # regmixEM epsilon
MAXIT <- 3000     # regmixEM maxit
FLEX_CONTROL <- list(tolerance = 1e-10, iter.max = 20000, minprior = 0)
TOL_GROUP <- 1e-6
MAX_SOL <- 25
OUT <- file.path("reference", "regression.json")

## Numbers of random starts per K = 2..6 (K = 1 is closed form / one flexmix run),
## chosen so that the whole script takes about 40 minutes on one core.
## regmixEM is interpreted R (posteriors in a loop over rows x classes x
## classes): about 0.1 s per iteration on `regression` at K = 6, and hundreds of
## iterations per start there, so `regression` gets few regmixEM starts at K >= 3.
## tonedata K = 2 (145.42 is reached by about 2% of the starts) and CO2data K = 3
## (-57.99, about 1%) get 500.  flexmix (interpreted EM with S4 dispatch,
## tolerance 1e-10) gets 50 starts, fewer at K >= 4 on the slower cases.
cases <- list(
  list(id = "tonedata", dataset = "tonedata", file = "data/tonedata.csv",
       y = "tuned", x = "stretchratio", group = NULL,
       mix = c(500, 50, 50, 50, 50), flex = c(50, 50, 20, 20, 20)),
  list(id = "CO2data", dataset = "CO2data", file = "data/CO2data.csv",
       y = "CO2", x = "GNP", group = NULL,
       mix = c(100, 500, 50, 50, 50), flex = c(50, 50, 50, 50, 50)),
  list(id = "NOdata", dataset = "NOdata", file = "data/NOdata.csv",
       y = "NO", x = "Equivalence", group = NULL,
       mix = c(50, 50, 50, 50, 50), flex = c(50, 50, 20, 20, 20)),
  list(id = "NPreg", dataset = "NPreg", file = "data/NPreg.csv",
       y = "yn", x = c("x", "x2"), group = NULL,
       mix = c(50, 50, 50, 50, 50), flex = c(50, 50, 20, 20, 20)),
  list(id = "NPreg_id2", dataset = "NPreg", file = "data/NPreg.csv",
       y = "yn", x = c("x", "x2"), group = "id2",
       mix = NULL, flex = c(50, 50, 20, 20, 10)),
  list(id = "regression", dataset = "regression", file = "../../data/regression.csv",
       y = "y", x = c("x1", "x2"), group = NULL,
       mix = c(50, 10, 3, 2, 2), flex = c(50, 50, 5, 3, 3))
)
sel <- Sys.getenv("CASES", "")
if (nzchar(sel)) cases <- Filter(function(cs) cs$id %in% strsplit(sel, ",")[[1]], cases)

## ---------------------------------------------------------------------------
## ML log-likelihood of a mixture of regressions at given parameters.
## Units are rows, or groups of rows when g is given (a unit's rows share a class).
## beta: p x K matrix (intercept first), sigma: standard deviations.
mix_loglik <- function(y, X, g, pi, beta, sigma) {
  K <- length(pi)
  n <- length(y)
  L <- matrix(0, n, K)
  for (c in seq_len(K)) L[, c] <- dnorm(y, drop(X %*% beta[, c]), sigma[c], log = TRUE)
  if (!is.null(g)) L <- rowsum(L, g, reorder = FALSE)
  L <- sweep(L, 2, log(pi), "+")
  m <- apply(L, 1, max)
  ll <- sum(m + log(rowSums(exp(L - m))))
  if (is.finite(ll)) ll else NA_real_
}

## ---------------------------------------------------------------------------
## mixtools::regmixEM itself, with its own random initialisation (the seed is set
## by the caller).  It prints its iteration count and restart messages with cat()
## and regmix.init can warn; both are suppressed.  regmixEM 2.0.0 computes the
## posteriors in a triple loop of interpreted R over rows x classes x classes,
## so a start costs about n K^2 microseconds per iteration: hence epsilon 1e-8,
## maxit 3000 and the numbers of starts above.
quiet_regmixEM <- function(y, x, k) {
  out <- NULL
  junk <- capture.output(suppressWarnings(
    out <- regmixEM(y, x, k = k, epsilon = EPS, maxit = MAXIT)))
  out
}

## ---------------------------------------------------------------------------
## Solutions: sort classes by ascending intercept, group by log-likelihood.
canon <- function(pi, beta, sigma) {
  beta <- matrix(beta, ncol = length(pi))
  o <- order(beta[1, ])
  list(pi = unname(pi[o]), beta = beta[, o, drop = FALSE], sigma = unname(sigma[o]))
}

## runs: list of list(logLik, tool_logLik, pi, beta (p x K), sigma, iter, converged)
group_solutions <- function(runs) {
  if (length(runs) == 0) return(list())
  ll <- vapply(runs, function(r) if (is.na(r$logLik)) -Inf else r$logLik, 0)
  ord <- order(ll, decreasing = TRUE)
  groups <- list()
  cur <- NULL
  for (i in ord) {
    if (!is.null(cur) && is.finite(ll[i]) && is.finite(cur$best) &&
        cur$best - ll[i] <= TOL_GROUP) {
      cur$count <- cur$count + 1
    } else if (!is.null(cur) && !is.finite(ll[i]) && !is.finite(cur$best)) {
      cur$count <- cur$count + 1
    } else {
      if (!is.null(cur)) groups[[length(groups) + 1]] <- cur
      cur <- list(best = ll[i], rep = runs[[i]], count = 1)
    }
  }
  groups[[length(groups) + 1]] <- cur
  sols <- lapply(groups, function(gr) {
    r <- gr$rep
    list(logLik = if (is.finite(gr$best)) gr$best else NULL,
         count = gr$count,
         pi = I(r$pi),
         beta = lapply(seq_len(ncol(r$beta)), function(c) I(unname(r$beta[, c]))),
         sigma = I(r$sigma),
         tool_logLik = if (is.finite(r$tool_logLik)) r$tool_logLik else NULL,
         iterations = r$iter,
         converged = r$converged)
  })
  sols[seq_len(min(MAX_SOL, length(sols)))]
}

make_run <- function(y, X, g, pi, beta, sigma, tool_ll, iter, converged) {
  cs <- canon(pi, beta, sigma)
  list(logLik = mix_loglik(y, X, g, cs$pi, cs$beta, cs$sigma),
       tool_logLik = if (is.null(tool_ll)) NA_real_ else as.numeric(tool_ll),
       pi = cs$pi, beta = cs$beta, sigma = cs$sigma,
       iter = iter, converged = converged)
}

## ---------------------------------------------------------------------------
run_mixtools <- function(cs, d, K) {
  N_MIX <- min(CAP_MIX, cs$mix[K - 1])
  y <- d[[cs$y]]
  xm <- as.matrix(d[, cs$x, drop = FALSE])
  X <- cbind(1, xm)
  runs <- list(); errors <- 0L; restarts <- 0L
  for (s in seq_len(N_MIX)) {
    set.seed(s)
    r <- try(quiet_regmixEM(y, xm, K), silent = TRUE)
    if (inherits(r, "try-error") || is.null(r)) { errors <- errors + 1L; next }
    iter <- length(r$all.loglik) - 1L
    restarts <- restarts + as.integer(r$restarts)
    runs[[length(runs) + 1]] <- make_run(y, X, NULL, r$lambda, r$beta, r$sigma,
                                         r$loglik, iter, iter < MAXIT)
  }
  list(implementation = paste("mixtools::regmixEM", packageVersion("mixtools"),
                              "(the package function, with its own random initialisation)"),
       starts = N_MIX, errors = errors, internal_restarts = restarts,
       not_converged = sum(!vapply(runs, `[[`, TRUE, "converged")),
       solutions = group_solutions(runs))
}

run_flexmix <- function(cs, d, K) {
  y <- d[[cs$y]]
  X <- cbind(1, as.matrix(d[, cs$x, drop = FALSE]))
  g <- if (is.null(cs$group)) NULL else d[[cs$group]]
  rhs <- paste(cs$x, collapse = " + ")
  if (!is.null(cs$group)) rhs <- paste(rhs, "|", cs$group)
  f <- as.formula(paste(cs$y, "~", rhs))
  nst <- if (K == 1) 1L else min(CAP_FLEX, cs$flex[K - 1])
  runs <- list(); errors <- 0L; fewer <- 0L
  for (s in seq_len(nst)) {
    set.seed(s)
    m <- try(flexmix(f, data = d, k = K, control = FLEX_CONTROL), silent = TRUE)
    if (inherits(m, "try-error")) { errors <- errors + 1L; next }
    par <- parameters(m)
    par <- matrix(par, nrow = nrow(parameters(m)))
    p <- ncol(X)
    if (m@k < K) fewer <- fewer + 1L
    runs[[length(runs) + 1]] <- make_run(y, X, g, prior(m), par[1:p, , drop = FALSE],
                                         par[p + 1, ], logLik(m), m@iter, m@converged)
  }
  list(starts = nst, errors = errors, fewer_components = fewer,
       not_converged = sum(!vapply(runs, `[[`, TRUE, "converged")),
       solutions = group_solutions(runs))
}

run_ols <- function(cs, d) {
  y <- d[[cs$y]]
  X <- cbind(1, as.matrix(d[, cs$x, drop = FALSE]))
  g <- if (is.null(cs$group)) NULL else d[[cs$group]]
  fit <- lm.fit(X, y)
  sig <- sqrt(sum(fit$residuals^2) / length(y))
  r <- make_run(y, X, g, 1, matrix(fit$coefficients, ncol = 1), sig, NA, 0L, TRUE)
  r$tool_logLik <- NA_real_
  list(starts = 1L, errors = 0L, solutions = group_solutions(list(r)))
}

## ---------------------------------------------------------------------------
t_start <- proc.time()[["elapsed"]]
jobs <- list()
for (ci in seq_along(cases)) {
  cs <- cases[[ci]]
  for (K in KS) {
    if (K == 1) jobs[[length(jobs) + 1]] <- list(ci = ci, K = K, tool = "ols")
    if (K > 1 && is.null(cs$group))
      jobs[[length(jobs) + 1]] <- list(ci = ci, K = K, tool = "mixtools::regmixEM")
    jobs[[length(jobs) + 1]] <- list(ci = ci, K = K, tool = "flexmix::flexmix")
  }
}
## biggest jobs first, for the load balance
size <- vapply(jobs, function(j) {
  cs <- cases[[j$ci]]
  n <- c(tonedata = 150, CO2data = 28, NOdata = 88, NPreg = 200, NPreg_id2 = 200,
         regression = 1200)[[cs$id]]
  st <- switch(j$tool, ols = 0,
               "mixtools::regmixEM" = cs$mix[j$K - 1] * 2,
               "flexmix::flexmix" = if (j$K == 1) 0 else cs$flex[j$K - 1])
  n * j$K^2 * st
}, 0)
run_job <- function(j) {
  cs <- cases[[j$ci]]
  d <- read.csv(cs$file)
  t1 <- proc.time()[["elapsed"]]
  e <- switch(j$tool,
              ols = run_ols(cs, d),
              "mixtools::regmixEM" = run_mixtools(cs, d, j$K),
              "flexmix::flexmix" = run_flexmix(cs, d, j$K))
  secs <- round(proc.time()[["elapsed"]] - t1, 2)
  e$seconds <- secs
  best <- if (length(e$solutions) && !is.null(e$solutions[[1]]$logLik)) e$solutions[[1]]$logLik else NA
  cat(sprintf("%-11s K=%d %-19s %4d starts %7.1f s  best %.6f  (%d optima)\n", cs$id, j$K,
              j$tool, as.integer(e$starts), secs, best, length(e$solutions)))
  e
}
results <- mclapply(jobs[order(-size)], run_job, mc.cores = CORES,
                    mc.preschedule = FALSE)
results[order(-size)] <- results
failed <- vapply(results, function(r) inherits(r, "try-error") || is.null(r), TRUE)
if (any(failed)) stop("jobs failed: ", paste(which(failed), collapse = ", "))

out_cases <- list()
for (i in seq_along(jobs)) {
  j <- jobs[[i]]; cs <- cases[[j$ci]]
  base <- list(dataset = cs$dataset, file = sub("^\\.\\./\\.\\./", "", cs$file),
               y = cs$y, x = I(cs$x), group = cs$group, K = j$K, tool = j$tool)
  out_cases[[length(out_cases) + 1]] <- c(base, results[[i]])
}
elapsed <- proc.time()[["elapsed"]] - t_start

res <- list(
  generator = "reference_regression.R",
  versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                  mixtools = as.character(packageVersion("mixtools")),
                  flexmix = as.character(packageVersion("flexmix")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  model = "y = x'beta_c + e, e ~ N(0, sigma_c^2), intercept first; classes sorted by ascending intercept",
  notes = c(
    "logLik: ML log-likelihood evaluated at the solution's parameters (sum over units of log sum_c pi_c prod_rows dnorm); tool_logLik: the tool's own value",
    "solutions: distinct optima (log-likelihoods within 1e-6 grouped), best first, at most 25; the parameters are those of the best start in the group; count = number of starts in the group",
    "mixtools::regmixEM: the package function with its own random initialisation, set.seed(s) for s = 1..starts, epsilon 1e-8, maxit 3000 (not converged to 1e-10: the consumer polishes every solution); errors: starts that failed (e.g. 'Too many tries!'); internal_restarts: regmixEM's own restarts from new random values; not_converged: starts that reached maxit",
    "flexmix::flexmix: seeds 1..starts, control tolerance 1e-10, iter.max 20000, minprior 0; its sigma is df-corrected (sum w r^2 / mean(w) / (n - p)), so its optima are not ML optima",
    "K = 1: ordinary least squares with sigma = sqrt(RSS / n) (tool ols) and one flexmix run"),
  settings = list(epsilon = EPS, maxit = MAXIT, flexmix_control = FLEX_CONTROL,
                  group_tolerance = TOL_GROUP, max_solutions = MAX_SOL),
  elapsed_seconds = round(elapsed, 1),
  cases = out_cases)

dir.create("reference", showWarnings = FALSE)
write_json_full(res, OUT)
cat(sprintf("wrote %s (%d entries) in %.1f s\n", OUT, length(out_cases), elapsed))
