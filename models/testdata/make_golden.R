# Golden values for the models and features tests. Run in this folder:
# Rscript make_golden.R   (R 4.2; MASS, rms, survival, jsonlite)
suppressMessages({library(MASS); library(rms); library(survival); library(jsonlite)})
out <- list(r = R.version.string, rms = as.character(packageVersion("rms")), survival = as.character(packageVersion("survival")))
bw <- birthwt
bw$race <- c("white", "black", "other")[bw$race]
write.csv(bw[, c("low", "age", "lwt", "race", "smoke")], "birthwt.csv", row.names = FALSE)
g <- glm(low ~ age + lwt + factor(race) + smoke, family = binomial, data = bw)
s <- summary(g)$coefficients
out$glm <- list(names = rownames(s), coef = unname(s[, 1]), se = unname(s[, 2]), deviance = deviance(g),
                fitted_first = unname(fitted(g)[1:5]))
k <- rcspline.eval(bw$lwt, nk = 4, inclx = FALSE, norm = 2)
out$rcs <- list(knots = attr(k, "knots"), first = unname(k[1:5, ]))
co <- colon[colon$etype == 2, c("time", "status", "age", "nodes")]
co <- co[complete.cases(co), ]
write.csv(co, "colon.csv", row.names = FALSE)
fit <- coxph(Surv(time, status) ~ age + nodes, data = co)
nd <- data.frame(age = c(50, 70), nodes = c(1, 6))
sf <- summary(survfit(fit, newdata = nd), times = 1826)
out$cox <- list(coef = unname(coef(fit)), risk_1826 = unname(1 - sf$surv[1, ]), newdata = nd)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "golden.json")
