# Times pROC's roc() + ci.auc(method = "delong") on n scores it writes to
# a CSV for screenlab to read, and writes the AUC and CI as JSON.
# args: csv path, json path, n
suppressMessages({library(pROC); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[3])
set.seed(1)
y <- as.integer(runif(n) < 0.1)
s <- floor((rnorm(n) + y) * 1000) / 1000
if (requireNamespace("data.table", quietly = TRUE)) data.table::fwrite(data.frame(y = y, s = s), args[1]) else write.csv(data.frame(y = y, s = s), args[1], row.names = FALSE)
t <- system.time({ r <- roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE); ci <- ci.auc(r, method = "delong") })[["elapsed"]]
writeLines(toJSON(list(seconds = t, auc = as.numeric(auc(r)), lower = ci[1], upper = ci[3]), auto_unbox = TRUE, digits = NA), args[2])
