# Single-component GLM fits with R's glm() (the M-step of a one-class mixture), and flexmix's best of many
# starts for the tribolium binomial mixture without a concomitant model, for tests/reference/glm/glm_single.json.
# Data: the CSV files of export_data.R beside this script.
#
# Run from the repository root:  Rscript tests/reference/glm/glm_single.R
suppressMessages({ library(flexmix) })
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
here <- local({
  a <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else file.path("tests", "reference", "glm")
})
data_dir <- Sys.getenv("GLMREF_DATA", here)
read_data <- function(file) read.csv(file.path(data_dir, file), stringsAsFactors = FALSE)
num <- function(v) {
  f <- function(x) { for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), x); if (as.numeric(s) == x) return(s) }; s }
  if (length(v) == 1) f(v) else paste0("[", paste(vapply(v, f, ""), collapse = ", "), "]")
}
glm_case <- function(name, fit) {
  s <- summary(fit)$coefficients
  sprintf('  "%s": {\n    "coefficients": %s,\n    "se": %s,\n    "loglik": %s,\n    "converged": %s\n  }', name,
          num(unname(coef(fit))), num(unname(s[, 2])), num(as.numeric(logLik(fit))), tolower(fit$converged))
}
patent <- read_data("patent.csv")
trib <- read_data("tribolium.csv")
sim <- read_data("simulated_binomial_trials.csv")
simp <- read_data("simulated_poisson.csv")
cases <- c(
  glm_case("patent_poisson", glm(Patents ~ lgRD, family = poisson, data = patent)),
  glm_case("patent_poisson_offset", glm(Patents ~ lgRD, family = poisson, offset = log(RDS), data = patent)),
  glm_case("patent_poisson_intercept", glm(Patents ~ 1, family = poisson, data = patent)),
  glm_case("simulated_poisson", glm(y ~ x, family = poisson, data = simp)),
  glm_case("tribolium_binomial_intercept", glm(cbind(Remaining, Total - Remaining) ~ 1, family = binomial, data = trib)),
  glm_case("simulated_binomial_trials", glm(cbind(successes, trials - successes) ~ x, family = binomial, data = sim)),
  glm_case("simulated_binomial_01", glm(as.integer(2 * successes > trials) ~ x, family = binomial, data = sim)))
# tribolium, K = 2 and 3 without a concomitant model: flexmix's best of 50 random starts
mix <- character(0)
for (K in 2:3) {
  best <- NULL
  for (s in 1:50) {
    set.seed(s)
    f <- tryCatch(flexmix(cbind(Remaining, Total - Remaining) ~ 1, data = trib, k = K,
                          model = FLXMRglm(family = "binomial"),
                          control = list(tolerance = 1e-10, iter.max = 5000, minprior = 0)), error = function(e) NULL)
    if (!is.null(f) && f@k == K && (is.null(best) || logLik(f) > logLik(best))) best <- f
  }
  b <- sapply(1:K, function(k) parameters(best, component = k)[1])
  o <- order(b)
  mix <- c(mix, sprintf('  "tribolium_binomial_k%d": {\n    "loglik": %s,\n    "coefficients": %s,\n    "prior": %s\n  }', K,
                        num(as.numeric(logLik(best))), num(unname(b[o])), num(unname(prior(best)[o]))))
}
out <- paste0("{\n", paste(c(cases, mix), collapse = ",\n"),
              sprintf(',\n  "versions": { "R": "%s", "flexmix": "%s" }\n}\n', R.version.string, packageVersion("flexmix")))
writeLines(out, file.path(here, "glm_single.json"), sep = "")
