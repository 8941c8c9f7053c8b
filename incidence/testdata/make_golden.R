# Golden values for the incidence package's tests (golden_test.go).
# Run in this folder: Rscript make_golden.R   (R 4.2, Epi, popEpi, epitools)
suppressMessages({library(Epi); library(popEpi); library(epitools); library(jsonlite)})
out <- list(r = R.version.string, Epi = as.character(packageVersion("Epi")),
            popEpi = as.character(packageVersion("popEpi")), epitools = as.character(packageVersion("epitools")))

# Follow-up of 2,000 sibr women in decimal years, split on three scales at
# once (age, period, time since entry = diagnosis), with Epi::splitLexis.
data(sibr)
s <- as.data.frame(sibr)[1:2000, ]
yrs <- function(d) round(1970 + as.numeric(as.Date(d)) / 365.242199, 6)
fu <- data.frame(birth = yrs(s$bi_date), entry = yrs(s$dg_date), exit = yrs(s$ex_date), status = as.integer(s$status > 0))
fu <- fu[fu$exit > fu$entry, ]
write.csv(fu, "followup.csv", row.names = FALSE)
L <- Lexis(entry = list(per = entry, age = entry - birth, tse = 0), exit = list(per = exit),
           exit.status = status, data = fu)
sp <- splitLexis(L, breaks = seq(0, 110, 10), time.scale = "age")
sp <- splitLexis(sp, breaks = seq(1990, 2015, 5), time.scale = "per")
sp <- splitLexis(sp, breaks = c(0, 1, 5, 10, 30), time.scale = "tse")
ag <- aggregate(cbind(py = lex.dur, ev = lex.Xst != lex.Cst) ~ I(timeBand(sp, "age", "left")) +
                I(timeBand(sp, "per", "left")) + I(timeBand(sp, "tse", "left")), data = sp, FUN = sum)
names(ag) <- c("age", "period", "since", "py", "ev")
ag <- ag[order(ag$age, ag$period, ag$since), ]
out$split3 <- list(age = ag$age, period = ag$period, since = ag$since, person_years = ag$py, events = ag$ev,
                   total_py = sum(fu$exit - fu$entry))

# Direct standardisation of one set of rates with every standard, and a
# truncated range (35-64), with epitools::ageadjust.direct.
count <- c(0, 0, 0, 1, 3, 12, 35, 80, 150, 260, 310, 340, 360, 390, 370, 300, 220, 190)
pop <- c(150000, 155000, 160000, 158000, 149000, 152000, 160000, 165000, 170000, 168000,
         160000, 150000, 140000, 120000, 100000, 80000, 60000, 45000)
write.csv(data.frame(agegroup = stdpop18$agegroup, cases = count, person_years = pop), "rates.csv", row.names = FALSE)
std <- list(segi1960 = stdpop18$world, esp1976 = stdpop18$europe, nordic = stdpop18$nordic,
  who2000 = c(8860, 8690, 8600, 8470, 8220, 7930, 7610, 7150, 6590, 6040, 5370, 4550, 3720, 2960, 2210, 1520, 910, 635),
  esp2013 = c(5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 2500))
out$direct <- lapply(std, function(w) as.list(ageadjust.direct(count, pop, stdpop = w) * 1e5))
k <- 8:13   # 35-39 ... 60-64
out$direct_truncated <- as.list(ageadjust.direct(count[k], pop[k], stdpop = stdpop18$world[k]) * 1e5)

# SIR with an exact Poisson interval and p-value.
out$sir <- lapply(list(c(7, 3.2), c(0, 1.5), c(120, 100.4), c(3, 7.9)), function(oe) {
  t <- poisson.test(oe[1], oe[2]); list(o = oe[1], e = oe[2], lower = t$conf.int[1], upper = t$conf.int[2], p = t$p.value)
})

# Age-adjusted trend: glm Poisson with offset.
set.seed(3)
tr <- expand.grid(year = 2000:2015, age = 0:5)
tr$py <- round(runif(nrow(tr), 5e4, 1e5))
tr$cases <- rpois(nrow(tr), tr$py * 1e-4 * exp(0.4 * tr$age + 0.02 * (tr$year - 2000)))
write.csv(tr, "trend.csv", row.names = FALSE)
g <- glm(cases ~ factor(age) + year + offset(log(py)), family = poisson, data = tr)
out$trend <- list(beta = unname(coef(g)["year"]), se = unname(sqrt(vcov(g)["year", "year"])), deviance = deviance(g), df = g$df.residual)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "golden.json")
