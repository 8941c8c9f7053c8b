# Reference for TestCoxMaxIterKeepsTheStep: coxph on survival::lung stopped
# after 2 Newton steps (iter.max = 2) keeps the second step's coefficients.
# The standard errors are the inverse information at those coefficients,
# which R gives for a fit started there with iter.max = 0; coxph's own
# non-converged var differs in the 4th digit (survival 3.5's coxfit6.c
# recomputes the information at the last step and inverts it with chinv2
# without first factoring it with cholesky2).
# Run from cmd/screenlab: Rscript testdata/make_cox_iter.R
suppressMessages(library(survival))
d <- read.csv("testdata/contract/in/lung.csv")
f <- suppressWarnings(coxph(Surv(time, status) ~ age + sex, data = d, control = coxph.control(iter.max = 2)))
g <- coxph(Surv(time, status) ~ age + sex, data = d, init = coef(f), control = coxph.control(iter.max = 0))
write.csv(data.frame(name = names(coef(f)), coef = unname(coef(f)), se = unname(sqrt(diag(g$var)))),
  "testdata/cox_lung_iter2_R.csv", row.names = FALSE)
