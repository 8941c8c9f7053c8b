# Reference for TestCoxMissingDropMatchesR: coxph on survival::lung with
# its missing weight losses (R's default na.action, na.omit).
# Run from cmd/screenlab: Rscript testdata/make_cox_missing.R
library(survival)
d <- read.csv("testdata/contract/in/lung.csv")
f <- coxph(Surv(time, status) ~ age + sex + wt_loss, data = d)
write.csv(data.frame(name = names(coef(f)), coef = unname(coef(f)), se = unname(sqrt(diag(vcov(f))))),
          "testdata/cox_lung_missing_R.csv", row.names = FALSE)
cat(sprintf("n %d events %d\n", f$n, f$nevent))  # 214 and 152: TestCoxMissingDropMatchesR checks them
