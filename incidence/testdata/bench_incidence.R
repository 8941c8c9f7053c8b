# Times popEpi::splitMulti (age and period in 1-year bands, aggregated) and
# relsurv::rs.surv (Pohar Perme) on data it writes for screenlab to read:
# args: work folder, number of persons to split, number of patients.
suppressMessages({library(popEpi); library(Epi); library(relsurv); library(data.table); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
w <- args[1]; n <- as.integer(args[2]); m <- as.integer(args[3])
set.seed(1)
birth <- 1920 + 50 * runif(n)
entry <- pmax(birth, 1990) + 10 * runif(n)
exit <- pmin(entry + 24 * runif(n), 2024.999)
fu <- data.table(birth = round(birth, 6), entry = round(entry, 6), exit = round(exit, 6), status = as.integer(runif(n) < 0.1))
fu <- fu[exit > entry]
fwrite(fu, file.path(w, "followup.csv"))
t_split <- system.time({
  L <- Lexis(entry = list(per = entry, age = entry - birth), exit = list(per = exit), exit.status = status, data = fu)
  sp <- splitMulti(L, age = 0:110, per = 1990:2025)
  ag <- sp[, .(py = sum(lex.dur), ev = sum(lex.Xst != lex.Cst)), by = .(age = floor(age), per = floor(per))]
})[["elapsed"]]
# Relative survival: m patients, times in days, Gompertz life table.
haz <- function(a) 0.0002 + 1.42e-5 * exp(0.095 * a)
lt <- CJ(sex = 1:2, year = 1990:2030, age = 0:100)
lt[, haz := haz(age)]
fwrite(lt, file.path(w, "lifetable.csv"))
age <- 40 + 45 * runif(m); year <- 2000 + 12 * runif(m); sex <- sample(1:2, m, TRUE)
death <- rexp(m) / (0.05 + haz(age)); cens <- 2024.99 - year
days <- ceiling(pmin(death, cens) * 365.241)
pt <- data.table(time = days / 365.241, status = as.integer(death < cens), age = age, sex = sex, year = year)
fwrite(pt, file.path(w, "patients.csv"))
mk <- function(s) { p <- exp(-lt[sex == s, haz]); matrix(p, nrow = 101) }
rt <- transrate(mk(1), mk(2), yearlim = c(1990, 2030), int.length = 1)
pt[, age_days := age * 365.241]
pt[, date := as.Date("1970-01-01") + round((year - 1970) * 365.241)]
t_rs <- system.time(fit <- rs.surv(Surv(days, status) ~ 1, data = cbind(pt, days = days), ratetable = rt,
  method = "pohar-perme", rmap = list(age = age_days, sex = sex, year = date)))[["elapsed"]]
s <- summary(fit, times = c(1, 5, 10) * 365.241)
writeLines(toJSON(list(split_seconds = t_split, rs_seconds = t_rs, split_py = sum(ag$py), split_events = sum(ag$ev),
  pp_surv = s$surv), auto_unbox = TRUE, digits = NA), file.path(w, "r_incidence.json"))
