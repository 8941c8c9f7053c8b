# Golden values for the survival package's own tests (survival_golden_test.go).
# Run in this folder: Rscript make_golden.R
# Writes veteran.csv, heart.csv, colon.csv and golden.json.
library(survival)
library(jsonlite)
out <- list(r = R.version.string, survival = as.character(packageVersion("survival")))

vet <- veteran
vet$celltype <- as.character(vet$celltype)
vet$w <- 1 + vet$karno %% 3                      # integer case weights 1..3
write.csv(vet[, c("trt", "celltype", "time", "status", "karno", "age", "w")], "veteran.csv", row.names = FALSE)
hrt <- heart
hrt$transplant <- as.numeric(as.character(hrt$transplant))
write.csv(hrt[, c("id", "start", "stop", "event", "age", "surgery", "transplant")], "heart.csv", row.names = FALSE)
col <- colon[, c("id", "rx", "sex", "age", "time", "status", "etype")]
col$rx <- as.character(col$rx)
write.csv(col, "colon.csv", row.names = FALSE)

km <- function(fit, times, rmean = NULL) {
  s <- summary(fit, censored = TRUE)
  q <- quantile(fit, 0.5)
  a <- summary(fit, times = times)
  r <- list(time = s$time, n_risk = s$n.risk, n_event = s$n.event, surv = s$surv, std_err = s$std.err,
            lower = s$lower, upper = s$upper, cumhaz = s$cumhaz,
            median = unname(q$quantile), median_lower = unname(q$lower), median_upper = unname(q$upper),
            at_time = a$time, at_n_risk = a$n.risk, at_surv = a$surv, at_std_err = a$std.err,
            at_lower = a$lower, at_upper = a$upper)
  if (!is.null(rmean)) {
    tb <- summary(fit, rmean = rmean)$table
    r$rmst <- unname(tb["rmean"]); r$rmst_se <- unname(tb["se(rmean)"])
  }
  r
}
# Ties (veteran has tied times), plain CI, RMST to 365 days.
out$km_veteran_plain <- km(survfit(Surv(time, status) ~ 1, data = vet, conf.type = "plain"), c(30, 90, 365), rmean = 365)
# Delayed entry: counting-process data.
out$km_heart_entry <- km(survfit(Surv(start, stop, event) ~ 1, data = hrt), c(10, 100, 500))
# Integer case weights, Greenwood variance (robust = FALSE).
out$km_veteran_weights <- km(survfit(Surv(time, status) ~ 1, data = vet, weights = w, robust = FALSE, conf.type = "log-log"), c(30, 90, 365))

lr <- function(f) {
  o <- if (is.matrix(f$obs)) rowSums(f$obs) else f$obs     # stratified: sum over strata
  e <- if (is.matrix(f$exp)) rowSums(f$exp) else f$exp
  list(chisq = f$chisq, df = sum(e > 0) - 1, observed = as.vector(o), expected = as.vector(e))
}
out$logrank_celltype <- lr(survdiff(Surv(time, status) ~ celltype, data = vet))
out$logrank_celltype_peto <- lr(survdiff(Surv(time, status) ~ celltype, data = vet, rho = 1))
out$logrank_trt_strata <- lr(survdiff(Surv(time, status) ~ trt + strata(celltype), data = vet))

cox <- function(fit) {
  s <- summary(fit)
  z <- cox.zph(fit, transform = "km")
  r <- list(names = names(coef(fit)), coef = unname(coef(fit)), se = unname(sqrt(diag(fit$naive.var %||% fit$var))),
            loglik = fit$loglik, concordance = unname(fit$concordance["concordance"]), concordance_se = unname(fit$concordance["std"]),
            wald = unname(fit$wald.test), lr = unname(s$logtest["test"]), score = unname(s$sctest["test"]),
            zph_chisq = unname(z$table[, "chisq"]), zph_df = unname(z$table[, "df"]), iter = fit$iter)
  if (!is.null(fit$naive.var)) r$robust_se <- unname(sqrt(diag(fit$var)))
  r
}
`%||%` <- function(a, b) if (is.null(a)) b else a
out$cox_veteran_breslow <- cox(coxph(Surv(time, status) ~ trt + karno + celltype, data = vet, ties = "breslow"))
out$cox_veteran_weights <- cox(coxph(Surv(time, status) ~ trt + karno + age, data = vet, weights = w, robust = FALSE))
out$cox_heart_entry <- cox(coxph(Surv(start, stop, event) ~ age + surgery + transplant, data = hrt))
out$cox_heart_cluster <- cox(coxph(Surv(start, stop, event) ~ age + surgery + transplant, data = hrt, cluster = id))
out$cox_colon_strata_cluster <- cox(coxph(Surv(time, status) ~ rx + age + sex + strata(etype), data = col, cluster = id))
out$cox_colon_breslow_cluster <- cox(coxph(Surv(time, status) ~ rx + age, data = col, cluster = id, ties = "breslow"))
fit <- coxph(Surv(time, status) ~ trt + karno, data = vet)
bh <- basehaz(fit, centered = FALSE)
out$cox_baseline <- list(time = bh$time, cumhaz = bh$hazard,
  pred_surv_100 = summary(survfit(fit, newdata = data.frame(trt = 2, karno = 60)), times = 100)$surv)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), "golden.json")
