## Reference optima of Gaussian mixtures with mclust.
## Writes reference/gaussian_mclust.json.  Run from bench/corpus:
##   nice -n 10 Rscript reference_mclust.R
## Optional environment variable for quick trials: STARTS (default 20), DATASETS.
##
## Per data set (raw and standardized with the column means and population
## standard deviations), model VVV (full), EEE (tied), VVI (diag), VII
## (spherical) and G = 1..6, three initialisations:
##   hc            Mclust()'s default: model-based hierarchical clustering
##                 (mclust.options: hcModelName, hcUse) -- one start
##   hcRandomPairs Mclust() with initialization = list(hcPairs =
##                 hcRandomPairs(X, seed = s)), s = 1..STARTS
##   random_z      me() from a random hard assignment z = unmap(sample(G, n,
##                 replace = TRUE)) after set.seed(s), s = 1..STARTS
## EM tolerance 1e-10 (emControl(tol = c(1e-10, sqrt(eps)))), no ridge.
suppressPackageStartupMessages({
  library(mclust)
  library(jsonlite)
})
source("json_full_precision.R")

DATASETS <- c("faithful", "iris", "diabetes", "banknote", "thyroid")
sel <- Sys.getenv("DATASETS", "")
if (nzchar(sel)) DATASETS <- strsplit(sel, ",")[[1]]
MODELS <- c(full = "VVV", tied = "EEE", diag = "VVI", spherical = "VII")
KS <- 1:6
STARTS <- as.integer(Sys.getenv("STARTS", "20"))
TOL_GROUP <- 1e-6
MAX_SOL <- 10
CONTROL <- emControl(tol = c(1e-10, sqrt(.Machine$double.eps)))
OUT <- file.path("reference", "gaussian_mclust.json")

## one fit -> list(logLik, pro, mean (d x G), sigma (d x d x G)) or NULL
from_fit <- function(fit) {
  if (is.null(fit) || is.null(fit$loglik) || !is.finite(fit$loglik)) return(NULL)
  par <- fit$parameters
  G <- if (is.null(fit$G)) ncol(as.matrix(par$mean)) else fit$G
  d <- nrow(as.matrix(par$mean))
  sig <- par$variance$sigma
  if (is.null(sig)) return(NULL)
  sig <- array(sig, c(d, d, G))
  pro <- if (is.null(par$pro)) rep(1, G) else par$pro
  list(logLik = fit$loglik, pro = as.numeric(pro),
       mean = matrix(par$mean, d, G), sigma = sig)
}

canon <- function(s) {
  o <- do.call(order, lapply(seq_len(nrow(s$mean)), function(r) s$mean[r, ]))
  s$pro <- s$pro[o]
  s$mean <- s$mean[, o, drop = FALSE]
  s$sigma <- s$sigma[, , o, drop = FALSE]
  s
}

group_solutions <- function(fits) {
  if (length(fits) == 0) return(list())
  ll <- vapply(fits, `[[`, 0, "logLik")
  ord <- order(ll, decreasing = TRUE)
  groups <- list()
  for (i in ord) {
    ng <- length(groups)
    if (ng > 0 && groups[[ng]]$best - ll[i] <= TOL_GROUP) {
      groups[[ng]]$count <- groups[[ng]]$count + 1
    } else {
      groups[[ng + 1]] <- list(best = ll[i], rep = fits[[i]], count = 1)
    }
  }
  lapply(groups[seq_len(min(MAX_SOL, length(groups)))], function(g) {
    s <- canon(g$rep)
    G <- length(s$pro)
    d <- nrow(s$mean)
    list(logLik = g$best, count = g$count, pro = I(s$pro),
         mean = lapply(seq_len(G), function(k) I(s$mean[, k])),
         covariance = lapply(seq_len(G), function(k)
           lapply(seq_len(d), function(r) I(s$sigma[r, , k]))),
         seed = s$seed)
  })
}

run_case <- function(X, model, G, init) {
  n <- nrow(X)
  nst <- if (init == "hc" || G == 1) 1L else STARTS
  fits <- list(); errors <- 0L
  for (s in seq_len(nst)) {
    fit <- tryCatch(suppressWarnings({
      if (init == "hc") {
        Mclust(X, G = G, modelNames = model, control = CONTROL, verbose = FALSE)
      } else if (init == "hcRandomPairs") {
        Mclust(X, G = G, modelNames = model, control = CONTROL, verbose = FALSE,
               initialization = list(hcPairs = hcRandomPairs(X, seed = s)))
      } else {
        set.seed(s)
        z <- if (G == 1) matrix(1, n, 1) else unmap(sample(G, n, replace = TRUE), groups = 1:G)
        if (G == 1) mvn(if (model == "VVV" || model == "EEE") "XXX" else
                          if (model == "VVI") "XXI" else "XII", X)
        else me(X, modelName = model, z = z, control = CONTROL)
      }
    }), error = function(e) NULL)
    f <- from_fit(fit)
    if (is.null(f)) { errors <- errors + 1L; next }
    f$seed <- if (init == "hc") NULL else s
    fits[[length(fits) + 1]] <- f
  }
  list(starts = nst, errors = errors, solutions = group_solutions(fits))
}

t_start <- proc.time()[["elapsed"]]
out <- list()
for (name in DATASETS) {
  X0 <- as.matrix(read.csv(file.path("data", paste0(name, ".csv"))))
  for (standardized in c(FALSE, TRUE)) {
    X <- X0
    if (standardized) {
      mu <- colMeans(X0)
      sdp <- sqrt(colMeans(sweep(X0, 2, mu)^2))
      X <- sweep(sweep(X0, 2, mu), 2, sdp, "/")
    }
    for (cov in names(MODELS)) for (G in KS) for (init in c("hc", "hcRandomPairs", "random_z")) {
      t0 <- proc.time()[["elapsed"]]
      r <- run_case(X, MODELS[[cov]], G, init)
      r$seconds <- round(proc.time()[["elapsed"]] - t0, 2)
      out[[length(out) + 1]] <- c(list(dataset = name, columns = I(colnames(X0)),
                                       standardized = standardized, covariance = cov,
                                       model = MODELS[[cov]], K = G, tool = "mclust",
                                       init = init), r)
    }
    cat(sprintf("%-9s standardized=%-5s done at %.0f s\n", name, standardized,
                proc.time()[["elapsed"]] - t_start))
  }
}
elapsed <- proc.time()[["elapsed"]] - t_start

res <- list(
  generator = "reference_mclust.R",
  versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                  mclust = as.character(packageVersion("mclust")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  settings = list(models = as.list(MODELS), starts = STARTS, em_tol = CONTROL$tol[1],
                  hcModelName = mclust.options("hcModelName"), hcUse = mclust.options("hcUse"),
                  group_tolerance = TOL_GROUP, max_solutions = MAX_SOL),
  notes = c(
    "logLik: mclust's log-likelihood at the fitted parameters (no ridge, no prior)",
    "standardized: each column minus its mean, divided by its population standard deviation",
    "covariance: K full d x d matrices (variance$sigma), also for the constrained models",
    "components in ascending lexicographic order of the means",
    "solutions: distinct optima (log-likelihoods within 1e-6 grouped), best first, at most 10; count = number of starts that reached it; seed: of the best start of the group",
    "errors: starts that failed or ended singular (mclust returns NA log-likelihood)",
    "G = 1 is closed form: one start for every initialisation"),
  elapsed_seconds = round(elapsed, 1),
  cases = out)
dir.create("reference", showWarnings = FALSE)
write_json_full(res, OUT)
cat(sprintf("wrote %s (%d cases) in %.1f s\n", OUT, length(out), elapsed))
