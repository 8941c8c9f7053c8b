# Unit-level reference values for package survival, from R 4.2 (Debian):
# cmprsk 2.2-11 (cumulative incidence and Gray's test) and relsurv 2.2-9
# (Pohar Perme net survival, then ICSS standardisation by its formula).
# Writes cif_gray.json and icss.json. Run in this folder:
#   Rscript make_unit_refs.R
suppressMessages({library(cmprsk); library(relsurv); library(jsonlite)})

# --- cumulative incidence and Gray's test, with strata and rho --------------
set.seed(21)
n <- 400
group <- sample(c("A", "B", "C"), n, replace = TRUE)
stratum <- sample(c("s1", "s2"), n, replace = TRUE)
rate1 <- ifelse(group == "A", 0.10, ifelse(group == "B", 0.16, 0.22))
t1 <- rexp(n, rate1); t2 <- rexp(n, 0.08); cens <- runif(n, 0, 12)
time <- round(pmin(t1, t2, cens), 4)
status <- ifelse(time == round(cens, 4), 0L, ifelse(time == round(t1, 4), 1L, 2L))
times <- c(2, 5, 8)
cif <- function(fit) {
  tp <- timepoints(fit, times)
  lapply(rownames(tp$est), function(r) {
    parts <- strsplit(r, " ")[[1]]
    list(group = parts[1], cause = as.integer(parts[2]), est = unname(tp$est[r, ]), var = unname(tp$var[r, ]))
  })
}
gray <- function(fit) {
  t <- fit$Tests
  lapply(seq_len(nrow(t)), function(i) list(cause = as.integer(rownames(t)[i]), stat = t[i, "stat"], p = t[i, "pv"], df = as.integer(t[i, "df"])))
}
plain <- cuminc(time, status, group)
strat <- cuminc(time, status, group, strata = stratum)
rho1 <- cuminc(time, status, group, rho = 1)
out <- list(time = time, status = status, group = group, stratum = stratum, times = times,
            curves = cif(plain), gray = gray(plain), gray_strata = gray(strat), gray_rho1 = gray(rho1))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA), "cif_gray.json")

# --- ICSS-standardised net survival ------------------------------------------
# A life table with a hazard exp(-9.5 + 0.085 age) per person-year for both
# sexes and every year 1995-2025, given to relsurv as a rate table.
Y <- 365.241
years <- 1995:2025; ages <- 0:100
haz <- exp(-9.5 + 0.085 * ages)
p <- matrix(exp(-haz), nrow = length(ages), ncol = length(years))
rt <- transrate(p, p, yearlim = range(years), int.length = 1)
lt <- expand.grid(age = ages, year = years, sex = 1:2)
lt$haz <- exp(-9.5 + 0.085 * lt$age)
set.seed(22)
m <- 900
age <- runif(m, 20, 95)
dg <- as.Date("2000-01-01") + floor(runif(m, 0, 365.25 * 10))
excess <- 0.05 + 0.002 * (age - 20)
tdeath <- pmin(rexp(m, excess), rexp(m, exp(-9.5 + 0.085 * age)))
tcens <- as.numeric(as.Date("2015-12-31") - dg) / Y
time_y <- pmin(tdeath, tcens); status <- as.integer(tdeath <= tcens)
d <- data.frame(time_days = pmax(round(time_y * Y), 1), status = status, age_days = round(age * Y), sex = 2L, dg = dg)
yr <- as.numeric(format(d$dg, "%Y")); doy <- as.numeric(format(d$dg, "%j"))
cohort <- data.frame(time = d$time_days / Y, status = d$status, age = d$age_days / Y, sex = 2L,
                     year = yr + (doy - 1) / ifelse((yr %% 4 == 0 & yr %% 100 != 0) | yr %% 400 == 0, 366, 365))
w <- c(0.07, 0.12, 0.23, 0.29, 0.29)             # ICSS 1
grp <- cut(cohort$age, c(15, 45, 55, 65, 75, Inf), right = FALSE)
at <- c(1, 3, 5)
S <- matrix(NA, 5, length(at)); SE <- S
for (g in 1:5) {
  k <- as.integer(grp) == g
  fit <- rs.surv(Surv(time_days, status) ~ 1, data = d[k, ], ratetable = rt, method = "pohar-perme",
                 rmap = list(age = age_days, sex = sex, year = dg))
  sm <- summary(fit, times = at * Y)
  S[g, ] <- sm$surv; SE[g, ] <- sm$std.err
}
std <- colSums(w * S); stdse <- sqrt(colSums(w^2 * SE^2))
out <- list(cohort = cohort, lifetable = lt, times = at, weights = w,
            by_age = lapply(1:5, function(g) list(surv = S[g, ], std_err = SE[g, ])),
            surv = std, std_err = stdse, lower = std * exp(-qnorm(0.975) * stdse / std), upper = std * exp(qnorm(0.975) * stdse / std))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, dataframe = "columns"), "icss.json")
