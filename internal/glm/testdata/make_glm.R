# Reference values for internal/glm, from R's glm (stats), written to
# glm.json. Run in this folder: Rscript make_glm.R
# Data: datasets::infert (logistic), and for the Poisson model with
# person-years a small simulated table (set.seed 3).
# Every fit runs to full convergence (epsilon 1e-14): at R's default 1e-8
# its standard errors come from the weights one iteration before the
# estimate and differ from the converged ones by about 1e-5 (relative).
library(jsonlite)
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
out <- list()
# Binomial: infert, case ~ age + parity + spontaneous + induced.
d <- infert
f <- glm(case ~ age + parity + spontaneous + induced, family = binomial, data = d, control = ctl)
s <- summary(f)$coefficients
out$binomial <- list(x = unname(as.matrix(cbind(1, d[, c("age", "parity", "spontaneous", "induced")]))),
  y = d$case, coef = unname(coef(f)), se = unname(s[, 2]), p = unname(s[, 4]),
  deviance = f$deviance, iter = f$iter)
# Binomial with an offset: logit P(case) = a + offset.
off <- (d$age - 30) / 10
g <- glm(case ~ 1 + offset(off), family = binomial, data = d, control = ctl)
out$offset <- list(offset = off, coef = unname(coef(g)), se = unname(summary(g)$coefficients[, 2]), deviance = g$deviance)
# Poisson with log(person-years) as offset, age group and year.
set.seed(3)
tab <- expand.grid(age = factor(1:4), year = 2000:2009)
tab$py <- round(runif(nrow(tab), 5000, 20000))
tab$cases <- rpois(nrow(tab), tab$py * 1e-3 * as.integer(tab$age) * exp(0.03 * (tab$year - 2000)))
h <- glm(cases ~ 0 + age + I(year - 2004.5) + offset(log(py)), family = poisson, data = tab, control = ctl)
X <- model.matrix(~ 0 + age + I(year - 2004.5), data = tab)
out$poisson <- list(x = unname(X), y = tab$cases, offset = log(tab$py), coef = unname(coef(h)),
  se = unname(summary(h)$coefficients[, 2]), deviance = h$deviance)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, matrix = "rowmajor"), "glm.json")
