# Data for the GLM-mixture / concomitant-variable reference fits (tests/reference/glm/).
#   patent.csv, tribolium.csv    : flexmix's bundled data sets, exported unchanged (see README.md)
#   simulated_poisson.csv        : case simulated_poisson
#   simulated_binomial_trials.csv: case simulated_binomial_trials
#   weights_replication.csv      : case weights_replication, one row per observation with its weight w
#   weights_replication_replicated.csv : the same rows, row i repeated w_i times
#   categorical_covariate.csv    : case categorical_covariate (text covariate region)
# Numbers are written in the shortest of %.15g / %.16g / %.17g that reads back as the same double,
# with "." as decimal mark, "," as separator, a header row, "\n" line ends and no row names.
# Simulations use R's default generators (Mersenne-Twister, Inversion, Rejection), seeds below.
#
# Run from the repository root:  Rscript tests/reference/glm/export_data.R
suppressMessages(library(flexmix))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

here <- local({
  a <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else file.path("tests", "reference", "glm")
})

fmt_num <- function(x) {
  vapply(x, function(v) {
    if (is.na(v)) return("NA")
    if (v == round(v) && abs(v) < 1e15) return(sprintf("%.0f", v))
    for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), v); if (as.numeric(s) == v) return(s) }
    s
  }, character(1))
}
quote_str <- function(x) paste0('"', gsub('"', '""', x, fixed = TRUE), '"')

write_csv <- function(df, file, quote = character(0)) {
  cols <- lapply(names(df), function(nm) {
    v <- df[[nm]]
    if (is.factor(v)) v <- as.character(v)
    if (is.numeric(v)) fmt_num(v) else if (nm %in% quote) quote_str(v) else as.character(v)
  })
  lines <- c(paste(names(df), collapse = ","), do.call(paste, c(cols, sep = ",")))
  con <- file(file.path(here, file), open = "wb")          # "\n" line ends on every platform
  writeLines(lines, con, sep = "\n")
  close(con)
  cat(sprintf("%-38s %5d rows\n", file, nrow(df)))
}

# ---- flexmix's bundled data ------------------------------------------------------------------------
data("patent", package = "flexmix")
# Company is stored blank-padded to 40 characters in flexmix; the padding is dropped (trimws), and the
# field is always quoted (one name contains a comma). Patents, RDS, lgRD are unchanged.
patent_out <- data.frame(Company = trimws(patent$Company), Patents = patent$Patents,
                         RDS = patent$RDS, lgRD = patent$lgRD)
write_csv(patent_out, "patent.csv", quote = "Company")

data("tribolium", package = "flexmix")
# Columns as in flexmix, in its order: Remaining, Total, Replicate (factor 1..3), Species (factor).
write_csv(tribolium, "tribolium.csv")

# ---- simulated_poisson: n = 1000, x ~ U(0, 2), pi = (0.4, 0.6), log mu = (0.5 + x, 2 - 0.5 x) -------
set.seed(20240601)
n <- 1000
x <- runif(n, 0, 2)
cl <- sample(1:2, n, replace = TRUE, prob = c(0.4, 0.6))
eta <- ifelse(cl == 1, 0.5 + 1.0 * x, 2.0 - 0.5 * x)
y <- rpois(n, exp(eta))
write_csv(data.frame(y = y, x = x, true_class = cl), "simulated_poisson.csv")

# ---- simulated_binomial_trials: n = 800, trials ~ U{5..20}, x ~ N(0, 1), pi = (0.5, 0.5),
#      logit p = (-1 + 1.5 x, 1 - 0.5 x) -----------------------------------------------------------
set.seed(20240602)
n <- 800
trials <- sample(5:20, n, replace = TRUE)
x <- rnorm(n)
cl <- sample(1:2, n, replace = TRUE, prob = c(0.5, 0.5))
eta <- ifelse(cl == 1, -1 + 1.5 * x, 1 - 0.5 * x)
successes <- rbinom(n, trials, plogis(eta))
write_csv(data.frame(successes = successes, trials = trials, x = x, true_class = cl),
          "simulated_binomial_trials.csv")

# ---- weights_replication: Gaussian regression, n = 200, K = 2, integer weights w ~ U{1, 2, 3};
#      y = 1 + 2 x + N(0, 0.5^2) (class 1, pi 0.45) or 4 - x + N(0, 1) (class 2), x ~ U(0, 4) -----
set.seed(20240603)
n <- 200
x <- runif(n, 0, 4)
cl <- sample(1:2, n, replace = TRUE, prob = c(0.45, 0.55))
y <- ifelse(cl == 1, 1 + 2 * x + rnorm(n, 0, 0.5), 4 - x + rnorm(n, 0, 1))
w <- sample(1:3, n, replace = TRUE)
wr <- data.frame(id = seq_len(n), y = y, x = x, w = w, true_class = cl)
write_csv(wr, "weights_replication.csv")
rep_rows <- rep(seq_len(n), times = w)                     # row i repeated w_i times, in row order
write_csv(wr[rep_rows, c("id", "y", "x", "true_class")], "weights_replication_replicated.csv")

# ---- categorical_covariate: Gaussian, n = 600, K = 2, region in {north, south, west} (uniform),
#      x ~ N(0, 1), pi = (0.4, 0.6);
#      class 1: y = 1 + 0.5 x + 1.0 [south] - 0.5 [west] + N(0, 0.5^2)
#      class 2: y = 4 - 1.0 x + 0.0 [south] + 2.0 [west] + N(0, 1)
#      The first row is forced to "west" so that first-seen level order (west, ...) differs from
#      the sorted order (north, south, west) that treatment coding must use. ---------------------
set.seed(20240604)
n <- 600
region <- sample(c("north", "south", "west"), n, replace = TRUE)
region[1] <- "west"
x <- rnorm(n)
cl <- sample(1:2, n, replace = TRUE, prob = c(0.4, 0.6))
south <- as.numeric(region == "south"); west <- as.numeric(region == "west")
y <- ifelse(cl == 1, 1 + 0.5 * x + 1.0 * south - 0.5 * west + rnorm(n, 0, 0.5),
                     4 - 1.0 * x + 0.0 * south + 2.0 * west + rnorm(n, 0, 1))
write_csv(data.frame(y = y, x = x, region = region, true_class = cl), "categorical_covariate.csv")
