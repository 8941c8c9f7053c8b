# Reads and validates an exams CSV the way screenlab validate does (types,
# ISO dates, 0/1 flags, density codes, duplicate exam ids) and prints
# "<method> <seconds>" lines for bench_vs_r.sh.
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
check <- function(d) {
  dates <- as.Date(d$exam_date, format = "%Y-%m-%d")
  stopifnot(!anyNA(dates), !anyDuplicated(d$exam_id),
            all(d$recall %in% c(0, 1)), all(d$reader1_recall %in% c(0, 1)),
            all(d$density %in% c("a", "b", "c", "d", "")), all(is.finite(d$ai_score) | is.na(d$ai_score)))
  nrow(d)
}
t <- system.time(check(read.csv(path, colClasses = c(exam_id = "character", person_id = "character",
  exam_date = "character", density = "character"))))[["elapsed"]]
cat("read.csv", t, "\n")
if (requireNamespace("data.table", quietly = TRUE)) {
  t <- system.time(check(data.table::fread(path, colClasses = list(character = c("exam_id", "person_id", "exam_date", "density")))))[["elapsed"]]
  cat("data.table::fread", t, "\n")
}
