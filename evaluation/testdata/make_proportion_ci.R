# Golden values for evaluation.ProportionCI.
# Wilson = prop.test(x, n, correct = FALSE)$conf.int (the score interval);
# exact  = binom.test(x, n)$conf.int (Clopper-Pearson).
# Run in this folder: Rscript make_proportion_ci.R > proportion_ci.json
cases <- list(c(0, 10), c(1, 10), c(5, 100), c(10, 10), c(2095, 348333), c(11314, 348333),
              c(558, 2653), c(7, 31), c(50, 50), c(1, 1000000))
levels <- c(0.95, 0.90, 0.99)
rows <- list()
for (cs in cases) for (lv in levels) {
  x <- cs[1]; n <- cs[2]
  w <- suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = lv)$conf.int)
  e <- binom.test(x, n, conf.level = lv)$conf.int
  rows[[length(rows) + 1]] <- list(x = x, n = n, level = lv,
    wilson = c(w[1], w[2]), exact = c(e[1], e[2]))
}
cat(jsonlite::toJSON(list(r_version = R.version.string, cases = rows), auto_unbox = TRUE, digits = NA, pretty = TRUE), "\n")
