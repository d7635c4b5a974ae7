## JSON writing at full precision with jsonlite.  jsonlite's digits = NA stops at
## 15 significant digits, which does not round-trip every double, so numbers are
## formatted here (shortest of 15, 16, 17 significant digits that reads back as
## the same double) and passed to jsonlite verbatim.  Non-finite numbers -> null.
## Vectors wrapped in I() are always arrays; other length-1 vectors are scalars.
num_text <- function(x) {
  out <- sprintf("%.15g", x)
  for (d in 16:17) {
    bad <- is.finite(x) & as.numeric(out) != x
    out[bad] <- sprintf(paste0("%.", d, "g"), x[bad])
  }
  out[!is.finite(x)] <- "null"
  out
}

as_verbatim <- function(obj) {
  if (is.list(obj) && !is.data.frame(obj)) {
    keep <- attributes(obj)[c("names")]
    res <- lapply(obj, as_verbatim)
    attributes(res) <- keep
    return(res)
  }
  if (is.double(obj)) {
    txt <- num_text(as.vector(obj))
    if (inherits(obj, "AsIs") || length(obj) != 1)
      txt <- paste0("[", paste(txt, collapse = ","), "]")
    return(structure(txt, class = "json"))
  }
  obj
}

write_json_full <- function(obj, path) {
  txt <- jsonlite::toJSON(as_verbatim(obj), auto_unbox = TRUE, null = "null",
                          na = "null", json_verbatim = TRUE, digits = NA)
  writeLines(txt, path)
}
