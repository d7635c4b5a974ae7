# flexmix timing on a latent class regression file written by `mixtures simulate regression`.
#   Rscript bench/regression_flexmix_bench.R <file.csv> [runs] [iterations] [skip-b]
# (a) 100 (or [iterations]) EM iterations, K = 3, y ~ x1 + x2, from a random partition (tolerance = 0 so exactly iter.max
#     iterations run; minprior = 0 so no component is dropped): the same work as bench/RegressionBench.
# (b) stepFlexmix(y ~ x1 + x2, k = 3, nrep = 5) with flexmix's default stopping rule, plus read.csv:
#     what a user runs, to compare with `mixtures regress <file> --k 3 --starts 5`; a fourth argument "skip-b"
#     leaves (b) out (bench/kernels_bench.sh times (a) only).
suppressMessages(library(flexmix))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
runs <- if (length(args) > 1) as.integer(args[2]) else 3
iters <- if (length(args) > 2) as.integer(args[3]) else 100
t_read <- system.time(d <- read.csv(file))[["elapsed"]]
cat(sprintf("flexmix %s, R %s.%s, n = %d rows; read.csv %.2f s\n", packageVersion("flexmix"),
            R.version$major, R.version$minor, nrow(d), t_read))
times <- numeric(runs)
for (r in 1:runs) {
  set.seed(r)
  cl <- sample(1:3, nrow(d), replace = TRUE)
  times[r] <- system.time(
    fm <- flexmix(y ~ x1 + x2, data = d, k = 3, cluster = cl,
                  control = list(iter.max = iters, tolerance = 0, minprior = 0, verbose = 0)))[["elapsed"]]
  cat(sprintf("(a) run %d: %.2f s for %d iterations (%.1f ms per iteration), logLik %.4f\n",
              r, times[r], fm@iter, 1000 * times[r] / fm@iter, as.numeric(logLik(fm))))
}
cat(sprintf("(a) median %.2f s for %d iterations (median of %d: %.2f ms per iteration)\n", median(times), iters, runs,
            1000 * median(times) / iters))
if (length(args) > 3 && args[4] == "skip-b") quit(save = "no")
set.seed(1)
t_step <- system.time(
  sf <- stepFlexmix(y ~ x1 + x2, data = d, k = 3, nrep = 5, verbose = FALSE))[["elapsed"]]
cat(sprintf("(b) stepFlexmix(k = 3, nrep = 5): %.2f s (+ read.csv %.2f s), logLik %.4f, %d iterations in the best run\n",
            t_step, t_read, as.numeric(logLik(sf)), sf@iter))
