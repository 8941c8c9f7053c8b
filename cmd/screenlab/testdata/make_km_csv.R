# Reference for TestKMCSVMatchesR: summary(survfit) of survival::lung by sex,
# the whole curve and at 180 and 365 days, as read.csv would read screenlab's
# CSV. Run from cmd/screenlab: Rscript testdata/make_km_csv.R
library(survival)
d <- read.csv("testdata/contract/in/lung.csv")
fit <- survfit(Surv(time, status) ~ sex, data = d)
s <- summary(fit, censored = TRUE)
curve <- data.frame(sex = sub("sex=", "", s$strata), time = s$time, n_risk = s$n.risk,
                    n_event = s$n.event, n_censor = s$n.censor, surv = s$surv,
                    lower = s$lower, upper = s$upper)
write.csv(curve, "testdata/km_lung_curve_R.csv", row.names = FALSE)
a <- summary(fit, times = c(180, 365))
at <- data.frame(sex = sub("sex=", "", a$strata), time = a$time, n_risk = a$n.risk,
                 n_event = a$n.event, n_censor = a$n.censor, surv = a$surv,
                 lower = a$lower, upper = a$upper)
write.csv(at, "testdata/km_lung_at_R.csv", row.names = FALSE)
