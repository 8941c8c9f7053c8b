# Reference values for screening.CaseMix, computed apart from the Go code:
# a national logistic regression (glm) of the outcome on age and stage,
# expected counts per hospital as sums of the fitted probabilities, O/E
# with the exact Poisson interval (poisson.test, Ulm 1990) and the
# risk-adjusted rate O/E x national rate. Writes casemix.csv (the cases)
# and casemix_R.csv (the expected result).
set.seed(20261129)
n <- 400
hospital <- sample(c("H1", "H2", "H3", "H4", "H5"), n, replace = TRUE, prob = c(.3, .25, .2, .15, .1))
age <- round(rnorm(n, 65, 10))
stage <- sample(c("I", "II", "III", "IV"), n, replace = TRUE, prob = c(.4, .3, .2, .1))
lp <- -3 + 0.04 * (age - 65) + c(I = 0, II = 0.5, III = 1.2, IV = 2)[stage] + c(H1 = 0, H2 = 0.3, H3 = -0.2, H4 = 0.6, H5 = 0)[hospital]
died <- rbinom(n, 1, plogis(lp))
d <- data.frame(hospital, age, stage, died)
write.csv(d, "casemix.csv", row.names = FALSE, quote = FALSE)
fit <- glm(died ~ age + stage, family = binomial, data = d)
d$p <- fitted(fit)
rate <- mean(d$died)
out <- do.call(rbind, lapply(sort(unique(d$hospital)), function(h) {
  s <- d[d$hospital == h, ]
  O <- sum(s$died); E <- sum(s$p)
  ci <- poisson.test(O, E)$conf.int
  data.frame(unit = h, cases = nrow(s), observed = O, expected = E, oe = O / E, oe_lower = ci[1], oe_upper = ci[2],
             adjusted_rate = O / E * rate)
}))
options(digits = 15)
write.csv(out, "casemix_R.csv", row.names = FALSE, quote = FALSE)
print(coef(fit)); print(out)
