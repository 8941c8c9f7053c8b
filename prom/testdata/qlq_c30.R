# An independent scoring of qlq_c30_handscored.csv by the EORTC QLQ-C30
# Scoring Manual (Fayers et al. 2001, 3rd ed.) and the summary score of
# Giesinger et al. (2016), written apart from the Go code; writes
# qlq_c30_R.csv, which prom's tests compare against.
d <- read.csv("qlq_c30_handscored.csv", stringsAsFactors = FALSE)
scales <- list(ql = c(29, 30), pf = 1:5, rf = 6:7, ef = 21:24, cf = c(20, 25), sf = 26:27,
               fa = c(10, 12, 18), nv = 14:15, pa = c(9, 19), dy = 8, sl = 11, ap = 13,
               co = 16, di = 17, fi = 28)
functional <- c("pf", "rf", "ef", "cf", "sf")
score <- function(x, items, name) {
  v <- unlist(x[paste0("q", items)])
  if (sum(!is.na(v)) < length(items) / 2) return(NA)
  rs <- mean(v, na.rm = TRUE)
  range <- if (items[1] >= 29) 6 else 3
  if (name %in% functional) (1 - (rs - 1) / range) * 100 else (rs - 1) / range * 100
}
out <- t(sapply(seq_len(nrow(d)), function(i) sapply(names(scales), function(n) score(d[i, ], scales[[n]], n))))
sumscales <- c("pf", "rf", "sf", "ef", "cf", "fa", "pa", "nv", "dy", "sl", "ap", "co", "di")
summ <- apply(out, 1, function(r) {
  v <- r[sumscales]
  if (any(is.na(v))) return(NA)
  v[6:13] <- 100 - v[6:13]
  mean(v)
})
res <- data.frame(respondent = d$respondent, out, c30_summary = summ)
write.csv(res, "qlq_c30_R.csv", row.names = FALSE, na = "")
