# flexmix timing on a latent class regression file written by `mixtures simulate regression`.
#   Rscript bench/regression_flexmix_bench.R <file.csv> [runs]
# (a) 100 EM iterations, K = 3, y ~ x1 + x2, from a random partition (tolerance = 0 so exactly iter.max
#     iterations run; minprior = 0 so no component is dropped): the same work as bench/RegressionBench.
# (b) stepFlexmix(y ~ x1 + x2, k = 3, nrep = 5) with flexmix's default stopping rule, plus read.csv:
#     what a user runs, to compare with `mixtures regress <file> --k 3 --starts 5`.
suppressMessages(library(flexmix))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
runs <- if (length(args) > 1) as.integer(args[2]) else 3
t_read <- system.time(d <- read.csv(file))[["elapsed"]]
cat(sprintf("flexmix %s, R %s.%s, n = %d rows; read.csv %.2f s\n", packageVersion("flexmix"),
            R.version$major, R.version$minor, nrow(d), t_read))
times <- numeric(runs)
for (r in 1:runs) {
  set.seed(r)
  cl <- sample(1:3, nrow(d), replace = TRUE)
  times[r] <- system.time(
    fm <- flexmix(y ~ x1 + x2, data = d, k = 3, cluster = cl,
                  control = list(iter.max = 100, tolerance = 0, minprior = 0, verbose = 0)))[["elapsed"]]
  cat(sprintf("(a) run %d: %.2f s for %d iterations (%.1f ms per iteration), logLik %.4f\n",
              r, times[r], fm@iter, 1000 * times[r] / fm@iter, as.numeric(logLik(fm))))
}
cat(sprintf("(a) median %.2f s for 100 iterations\n", median(times)))
set.seed(1)
t_step <- system.time(
  sf <- stepFlexmix(y ~ x1 + x2, data = d, k = 3, nrep = 5, verbose = FALSE))[["elapsed"]]
cat(sprintf("(b) stepFlexmix(k = 3, nrep = 5): %.2f s (+ read.csv %.2f s), logLik %.4f, %d iterations in the best run\n",
            t_step, t_read, as.numeric(logLik(sf)), sf@iter))
