# An independent scoring of epic_26_handscored.csv by the EPIC-26 scoring
# instructions (University of Michigan; Szymanski et al. 2010, Urology
# 76:1245), written apart from the Go code: each answer recoded to 0-100
# (higher is better; 4-answer items 0/33/67/100 as printed), a domain the
# mean of its answered items unless more than 20% are missing. Writes
# epic_26_R.csv, which prom's tests compare against.
d <- read.csv("epic_26_handscored.csv", stringsAsFactors = FALSE)
code <- list(
  up5 = c(`1` = 0, `2` = 25, `3` = 50, `4` = 75, `5` = 100),
  down5 = c(`1` = 100, `2` = 75, `3` = 50, `4` = 25, `5` = 0),
  up4 = c(`1` = 0, `2` = 33, `3` = 67, `4` = 100),
  pads = c(`0` = 100, `1` = 67, `2` = 33, `3` = 0),
  noprob = c(`0` = 100, `1` = 75, `2` = 50, `3` = 25, `4` = 0))
items <- list(
  urinary_incontinence = c(q1 = "up5", q2 = "up4", q3 = "pads", q4a = "noprob"),
  urinary_irritative = c(q4b = "noprob", q4c = "noprob", q4d = "noprob", q4e = "noprob"),
  bowel = c(q6a = "noprob", q6b = "noprob", q6c = "noprob", q6d = "noprob", q6e = "noprob", q7 = "down5"),
  sexual = c(q8a = "up5", q8b = "up5", q9 = "up4", q10 = "up5", q11 = "up5", q12 = "down5"),
  hormonal = c(q13a = "noprob", q13b = "noprob", q13c = "noprob", q13d = "noprob", q13e = "noprob"))
domain <- function(row, its) {
  v <- sapply(names(its), function(q) {
    a <- row[[q]]
    if (is.na(a)) NA else code[[its[[q]]]][[as.character(a)]]
  })
  if (sum(is.na(v)) > 0.2 * length(v)) NA else mean(v, na.rm = TRUE)
}
out <- t(sapply(seq_len(nrow(d)), function(i) sapply(items, function(its) domain(d[i, ], its))))
write.csv(data.frame(respondent = d$respondent, out), "epic_26_R.csv", row.names = FALSE, na = "")
