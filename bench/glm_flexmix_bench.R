# flexmix timing of a Poisson mixture on rows written by bench/GlmBench (--csv):
#   Rscript bench/glm_flexmix_bench.R <file.csv> [runs] [iterations]
# flexmix(y ~ x1 + x2, k = 3, model = FLXMRglm(family = "poisson")) from a random partition with tolerance = 0
# (exactly iter.max iterations) and minprior = 0: the same work per iteration as bench/GlmBench (glm.fit per class
# with the posteriors as weights, then the E-step).
suppressMessages(library(flexmix))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
runs <- if (length(args) > 1) as.integer(args[2]) else 3
iters <- if (length(args) > 2) as.integer(args[3]) else 20
d <- read.csv(file)
cat(sprintf("flexmix %s, R %s.%s, n = %d rows\n", packageVersion("flexmix"), R.version$major, R.version$minor, nrow(d)))
times <- numeric(runs)
for (r in 1:runs) {
  set.seed(r)
  cl <- sample(1:3, nrow(d), replace = TRUE)
  times[r] <- system.time(
    fm <- flexmix(y ~ x1 + x2, data = d, k = 3, cluster = cl, model = FLXMRglm(family = "poisson"),
                  control = list(iter.max = iters, tolerance = 0, minprior = 0, verbose = 0)))[["elapsed"]]
  cat(sprintf("run %d: %.2f s for %d iterations (%.1f ms per iteration), logLik %.4f\n",
              r, times[r], fm@iter, 1000 * times[r] / fm@iter, as.numeric(logLik(fm))))
}
cat(sprintf("median %.2f s for %d iterations (%.1f ms per iteration)\n", median(times), iters, 1000 * median(times) / iters))
