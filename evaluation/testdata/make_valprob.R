# Unit-level reference values for evaluation.Calibrate and Lowess, from R
# 4.2 with rms 6.5-0 (Debian): val.prob's Intercept, Slope, Eavg (ICI),
# E90 and Emax, and lowess(p, y, iter = 0), the smoother val.prob uses;
# plus lowess with robustness iterations on a smooth curve with outliers.
# Writes valprob.json. Run in this folder: Rscript make_valprob.R
suppressMessages({library(rms); library(jsonlite)})
set.seed(31)
n <- 1500
x <- rnorm(n)
p <- plogis(-2 + 1.1 * x)                    # predicted risks
y <- rbinom(n, 1, plogis(-1.7 + 0.8 * x))    # the truth: miscalibrated
v <- val.prob(p, y, pl = FALSE)
lw <- lowess(p, y, iter = 0)
xs <- seq(0, 10, length.out = 120)
ys <- sin(xs) + ifelse(seq_along(xs) %% 17 == 0, 3, 0)
lr <- lowess(xs, ys, f = 0.3, iter = 3)
out <- list(p = p, y = y,
  intercept = unname(v["Intercept"]), slope = unname(v["Slope"]), ici = unname(v["Eavg"]),
  e90 = unname(v["E90"]), emax = unname(v["Emax"]), brier = unname(v["Brier"]),
  lowess_x = lw$x, lowess_y = lw$y,
  robust_in_x = xs, robust_in_y = ys, robust_x = lr$x, robust_y = lr$y)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA), "valprob.json")
