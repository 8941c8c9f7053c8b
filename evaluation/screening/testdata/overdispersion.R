# Reference values for screening.ProportionOverdispersion and
# RatioOverdispersion, written apart from the Go code from Spiegelhalter
# (2005, Qual Saf Health Care 14:347): z-scores on the arcsine (proportions)
# or square-root (ratios) scale, 10% Winsorised with R's quantile(), the
# multiplicative phi and the additive tau^2 (DerSimonian-Laird form), and
# the 95% and 99.8% limits at a few sizes.
options(digits = 15)
num <- c(45, 30, 80, 12, 60, 25, 95, 40, 18, 70)
den <- c(100, 90, 150, 50, 110, 80, 160, 75, 60, 120)
obs <- c(12, 30, 8, 22, 15, 40, 9, 18)
exp <- c(10.5, 22.1, 9.8, 14.0, 17.2, 30.3, 12.9, 15.5)
wins <- function(z, q = 0.1) { b <- quantile(z, c(q, 1 - q)); pmin(pmax(z, b[1]), b[2]) }
od <- function(y, s, target) {
  z <- (y - target) / s
  phi <- mean(wins(z)^2)
  w <- 1 / s^2
  I <- length(y)
  tau2 <- max(0, (I * phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w)))
  list(z = z, phi = phi, tau2 = tau2, zadj = (y - target) / sqrt(s^2 + tau2))
}
p0 <- sum(num) / sum(den)
a <- od(asin(sqrt(num / den)), 1 / (2 * sqrt(den)), asin(sqrt(p0)))
cat("prop phi", a$phi, "tau2", a$tau2, "\n")
cat("prop z", a$z, "\n")
cat("prop zadj", a$zadj, "\n")
for (n in c(50, 200)) for (q in c(1.959963984540054, 3.090232306167813)) {
  sd <- sqrt(1 / (4 * n) + a$tau2)
  cat("prop limits", n, q, sin(asin(sqrt(p0)) - q * sd)^2, sin(asin(sqrt(p0)) + q * sd)^2, "\n")
}
r <- od(sqrt(obs / exp), 1 / (2 * sqrt(exp)), 1)
cat("ratio phi", r$phi, "tau2", r$tau2, "\n")
cat("ratio zadj", r$zadj, "\n")
for (e in c(5, 30)) {
  sd <- sqrt(1 / (4 * e) + r$tau2)
  cat("ratio limits", e, (1 - 1.959963984540054 * sd)^2, (1 + 1.959963984540054 * sd)^2, "\n")
  cat("ratio mult", e, (1 - 1.959963984540054 * sqrt(r$phi) / (2 * sqrt(e)))^2, (1 + 1.959963984540054 * sqrt(r$phi) / (2 * sqrt(e)))^2, "\n")
}
