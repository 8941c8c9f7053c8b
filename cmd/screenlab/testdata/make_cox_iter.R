# Reference for TestCoxMaxIterKeepsTheStep: coxph on survival::lung stopped
# after 2 Newton steps (iter.max = 2) keeps the second step's coefficients.
# Run from cmd/screenlab: Rscript testdata/make_cox_iter.R
suppressMessages(library(survival))
d <- read.csv("testdata/contract/in/lung.csv")
f <- suppressWarnings(coxph(Surv(time, status) ~ age + sex, data = d, control = coxph.control(iter.max = 2)))
write.csv(data.frame(name = names(coef(f)), coef = unname(coef(f))), "testdata/cox_lung_iter2_R.csv", row.names = FALSE)
