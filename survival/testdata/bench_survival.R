# Times R's survfit + survdiff and coxph on a 1,000,000-row cohort, writes
# the cohort to the CSV given as the first argument (for screenlab to fit the
# same file), and the R results as JSON to the second. Used by
# bench_vs_r.sh (make bench).
suppressMessages({library(survival); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
csv <- args[1]; out <- args[2]
n <- 1e6
set.seed(1)
X <- matrix(rnorm(n * 10), n, 10)
for (j in c(3, 6, 9)) X[, j] <- rbinom(n, 1, 0.5)
colnames(X) <- paste0("x", 1:10)
group <- sample(0:2, n, replace = TRUE)
lp <- drop(X %*% (0.1 * ((0:9) %% 4 - 1))) + 0.2 * group
ev <- rexp(n) / 0.0005 / exp(lp)
cens <- runif(n) * 3650
d <- data.frame(time = ceiling(pmin(ev, cens)), status = as.integer(ev <= cens), group = group, X)
if (requireNamespace("data.table", quietly = TRUE)) data.table::fwrite(d, csv) else write.csv(d, csv, row.names = FALSE)
t_km <- system.time({
  fit <- survfit(Surv(time, status) ~ group, data = d)
  s <- summary(fit, times = c(365, 1825))
  lr <- survdiff(Surv(time, status) ~ group, data = d)
})[["elapsed"]]
t_cox <- system.time(cox <- coxph(Surv(time, status) ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10, data = d))[["elapsed"]]
writeLines(toJSON(list(km_seconds = t_km, cox_seconds = t_cox, logrank_chisq = lr$chisq,
  surv = s$surv, coef = unname(coef(cox)), se = unname(sqrt(diag(cox$var))), loglik = cox$loglik),
  auto_unbox = TRUE, digits = NA), out)
