# One R job of bench/goals.py, timed as a whole process (R start, fread, the
# work) by the caller; prints the figures the caller checks against
# screenlab's as JSON. args: job, csv
suppressMessages({library(data.table); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
job <- args[1]; d <- fread(args[2])
out <- switch(job,
  km = { suppressMessages(library(survival))
    s <- summary(survfit(Surv(time, status) ~ 1, data = d), times = c(365, 1825)); list(surv = s$surv) },
  km_group = { suppressMessages(library(survival))
    s <- summary(survfit(Surv(time, status) ~ group, data = d), times = c(365, 1825))
    list(surv = s$surv, chisq = survdiff(Surv(time, status) ~ group, data = d)$chisq) },
  cox = { suppressMessages(library(survival))
    f <- coxph(Surv(time, status) ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10, data = d, ties = "efron")
    list(coef = unname(coef(f))) },
  evaluate = { suppressMessages({library(pROC); library(rms)})
    r <- roc(d$y, d$p, levels = c(0, 1), direction = "<", quiet = TRUE); ci <- ci.auc(r, method = "delong")
    v <- val.prob(d$p, d$y, pl = FALSE); list(auc = as.numeric(auc(r)), lower = ci[1], slope = unname(v["Slope"])) },
  evaluate_nocal = { suppressMessages(library(pROC))
    r <- roc(d$y, d$p, levels = c(0, 1), direction = "<", quiet = TRUE); ci <- ci.auc(r, method = "delong")
    list(auc = as.numeric(auc(r)), lower = ci[1]) })
cat(toJSON(out, auto_unbox = TRUE, digits = NA))
