# Golden values for the evaluation package's tests (golden_test.go).
# Run in this folder: Rscript make_golden.R  (R 4.2, pROC, survival, riskRegression)
suppressMessages({library(pROC); library(survival); library(riskRegression); library(jsonlite)})
out <- list(r = R.version.string, pROC = as.character(packageVersion("pROC")),
            riskRegression = as.character(packageVersion("riskRegression")))
d <- read.csv("asah.csv")   # pROC::aSAH with outcome = 1 for Poor; s100b and ndka have ties
r <- roc(d$outcome, d$s100b, levels = c(0, 1), direction = "<", quiet = TRUE)
r2 <- roc(d$outcome, d$ndka, levels = c(0, 1), direction = "<", quiet = TRUE)
ci <- ci.auc(r, method = "delong")
t <- roc.test(r, r2, method = "delong", paired = TRUE)
out$asah <- list(auc = as.numeric(auc(r)), lower = ci[1], upper = ci[3],
  auc_ndka = as.numeric(auc(r2)), z = unname(t$statistic), p = t$p.value,
  pauc = as.numeric(auc(r, partial.auc = c(0.8, 1), partial.auc.focus = "specificity", partial.auc.correct = FALSE)),
  roc_thresholds = r$thresholds, roc_sens = r$sensitivities, roc_spec = r$specificities,
  youden = coords(r, "best", best.method = "youden", ret = c("threshold", "sensitivity", "specificity"))$threshold)

# Censoring before the horizon: a simulated cohort with heavy censoring.
set.seed(5)
n <- 400
x <- rnorm(n)
ev <- rexp(n, 0.002 * exp(0.7 * x)); cens <- runif(n, 0, 900)
sim <- data.frame(time = ceiling(pmin(ev, cens)), status = as.integer(ev <= cens), risk = round(1 - exp(-0.002 * 365 * exp(0.7 * x)), 10))
write.csv(sim, "censored.csv", row.names = FALSE)
h <- concordance(Surv(time, status) ~ risk, data = sim, reverse = TRUE)
u <- concordance(Surv(time, status) ~ risk, data = sim, reverse = TRUE, timewt = "n/G2", ymax = 365)
sc <- Score(list(m = sim$risk), formula = Surv(time, status) ~ 1, data = sim, times = 365, cens.model = "km",
            metrics = c("auc", "brier"), null.model = FALSE)
out$censored <- list(harrell_c = unname(h$concordance), uno_c = unname(u$concordance),
  harrell_se = sqrt(unname(h$var)), uno_se = sqrt(unname(u$var)),
  auc = sc$AUC$score$AUC, auc_se = sc$AUC$score$se, auc_lower = sc$AUC$score$lower, auc_upper = sc$AUC$score$upper,
  brier = sc$Brier$score$Brier, censored_before = sum(sim$time < 365 & sim$status == 0))
# survival::lung with a risk at 365 days (ties in time and risk), the contract's input.
lr <- read.csv("lung_risk.csv")
h <- concordance(Surv(time, status) ~ risk365, data = lr, reverse = TRUE)
u <- concordance(Surv(time, status) ~ risk365, data = lr, reverse = TRUE, timewt = "n/G2", ymax = 365)
sc <- Score(list(m = lr$risk365), formula = Surv(time, status) ~ 1, data = lr, times = 365, cens.model = "km",
            metrics = "auc", null.model = FALSE)
out$lung <- list(harrell_c = unname(h$concordance), uno_c = unname(u$concordance),
  harrell_se = sqrt(unname(h$var)), uno_se = sqrt(unname(u$var)),
  auc = sc$AUC$score$AUC, auc_se = sc$AUC$score$se, auc_lower = sc$AUC$score$lower, auc_upper = sc$AUC$score$upper)
# Case weights (evaluate --weights): the weighted AUC as survival::concordance
# of the binary outcome, and Harrell's C, each with its infinitesimal-jackknife
# standard error. Weights: 1 + wfns/2 for aSAH, 0.5 + risk for the simulation.
wa <- 1 + d$wfns / 2
ca <- concordance(outcome ~ s100b, data = d, weights = wa)
ws <- 0.5 + sim$risk
cs <- concordance(Surv(time, status) ~ risk, data = sim, reverse = TRUE, weights = ws)
out$weighted <- list(asah_auc = unname(ca$concordance), asah_se = sqrt(unname(ca$var)),
  censored_harrell_c = unname(cs$concordance), censored_harrell_se = sqrt(unname(cs$var)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "golden.json")
