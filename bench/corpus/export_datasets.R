## Export the public data sets of the corpus benchmark to data/<name>.csv
## (comma separated, header row, '.' decimal point, numbers at full precision).
## Run from bench/corpus:  Rscript export_datasets.R
suppressPackageStartupMessages({
  library(mixtools)
  library(flexmix)
  library(mclust)
})

dir.create("data", showWarnings = FALSE)

## Shortest of 15, 16 or 17 significant digits that reads back as the same double.
num17 <- function(x) {
  out <- sprintf("%.15g", x)
  for (d in 16:17) {
    bad <- as.numeric(out) != x
    out[bad] <- sprintf(paste0("%.", d, "g"), x[bad])
  }
  stopifnot(all(as.numeric(out) == x))
  out
}

write_csv17 <- function(df, name) {
  out <- as.data.frame(lapply(df, function(col) {
    if (is.integer(col)) as.character(col)
    else if (is.numeric(col)) num17(col)
    else stop("non-numeric column")
  }), stringsAsFactors = FALSE)
  names(out) <- names(df)
  path <- file.path("data", paste0(name, ".csv"))
  write.table(out, path, sep = ",", quote = FALSE, row.names = FALSE,
              col.names = TRUE, eol = "\n")
  ## check the round trip
  back <- read.csv(path)
  stopifnot(identical(dim(back), dim(df)),
            all(mapply(function(a, b) isTRUE(all(a == b)), back, df)))
  cat(sprintf("%-10s %4d rows  %s\n", name, nrow(df), paste(names(df), collapse = ",")))
}

## --- regression data sets ---
data("tonedata", package = "mixtools")
write_csv17(tonedata[, c("tuned", "stretchratio")], "tonedata")

data("CO2data", package = "mixtools")
write_csv17(CO2data[, c("CO2", "GNP")], "CO2data")          # country (text) dropped

data("NOdata", package = "mixtools")
write_csv17(NOdata[, c("NO", "Equivalence")], "NOdata")

data("NPreg", package = "flexmix")
write_csv17(data.frame(x = NPreg$x, yn = NPreg$yn, x2 = NPreg$x^2,
                       id1 = as.integer(as.character(NPreg$id1)),
                       id2 = as.integer(as.character(NPreg$id2)),
                       class = as.integer(NPreg$class)), "NPreg")

## --- Gaussian data sets ---
write_csv17(datasets::faithful[, c("eruptions", "waiting")], "faithful")
write_csv17(datasets::iris[, 1:4], "iris")

data("diabetes", package = "mclust")
write_csv17(diabetes[, c("glucose", "insulin", "sspg")], "diabetes")

data("banknote", package = "mclust")
write_csv17(banknote[, c("Length", "Left", "Right", "Bottom", "Top", "Diagonal")], "banknote")

data("thyroid", package = "mclust")
write_csv17(thyroid[, c("RT3U", "T4", "T3", "TSH", "DTSH")], "thyroid")
