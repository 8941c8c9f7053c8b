#!/usr/bin/env bash
# make bench, survival part: times screenlab survival km (with the log-rank
# test) and survival cox on a 1,000,000-row cohort, and R's survfit +
# survdiff and coxph on the same file when Rscript is installed; checks that
# the numbers agree and prints the ratios. Usage: bench_vs_r.sh bin/screenlab
set -euo pipefail
bin=${1:-bin/screenlab}
here=$(cd "$(dirname "$0")" && pwd)
work=${TMPDIR:-/tmp}/screenlab-bench-survival
mkdir -p "$work"
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(survival); library(jsonlite)' >/dev/null 2>&1; then
  echo "survival: R with survival and jsonlite not found (apt-get install r-cran-survival r-cran-jsonlite); Go benchmarks only"
  exit 0
fi
echo "== survival on 1,000,000 rows (R writes the cohort, both fit the same file)"
Rscript "$here/bench_survival.R" "$work/cohort.csv" "$work/r.json"
now() { date +%s.%N; }
t0=$(now)
"$bin" survival km -q --format json --data "$work/cohort.csv" --time time --event status --group group --times 365,1825 >"$work/km.json"
t1=$(now)
"$bin" survival cox -q --format json --data "$work/cohort.csv" --time time --event status --covariates x1,x2,x3,x4,x5,x6,x7,x8,x9,x10 >"$work/cox.json"
t2=$(now)
# Fit-only times of the same file, from the Go benchmarks' code path.
(cd "$here/../.." && go run ./survival/testdata/fittime "$work/cohort.csv" >"$work/gofit.json")
python3 - "$work" "$t0" "$t1" "$t2" <<'PY'
import json, sys
w, t0, t1, t2 = sys.argv[1], *map(float, sys.argv[2:])
r = json.load(open(f"{w}/r.json")); km = json.load(open(f"{w}/km.json")); cox = json.load(open(f"{w}/cox.json"))
surv = [a["surv"] for g in km["groups"] for a in g["at"]]
dchi = abs(km["logrank"]["chisq"] - r["logrank_chisq"]) / r["logrank_chisq"]
dsurv = max(abs(a - b) for a, b in zip(surv, r["surv"]))
dcoef = max(abs(c["coef"] - b) / abs(b) for c, b in zip(cox["coefficients"], r["coef"]))
dse = max(abs(c["se"] - b) / b for c, b in zip(cox["coefficients"], r["se"]))
ok = dchi < 1e-8 and dsurv < 1e-10 and dcoef < 1e-6 and dse < 1e-6
print(f"agreement: log-rank chisq rel {dchi:.1e}, surv abs {dsurv:.1e}, Cox coef rel {dcoef:.1e}, se rel {dse:.1e} -> {'OK' if ok else 'DIFFERENT'}")
km_s, cox_s = t1 - t0, t2 - t1
fit = json.load(open(f"{w}/gofit.json"))
print(f"KM + log-rank : screenlab fit {fit['km']:6.2f} s, whole command with CSV reading {km_s:6.2f} s;  R survfit+survdiff (fit) {r['km_seconds']:6.2f} s;  R/screenlab fit = {r['km_seconds']/fit['km']:.1f}, command = {r['km_seconds']/km_s:.1f}")
print(f"Cox, 10 covars: screenlab fit {fit['cox']:6.2f} s, whole command with CSV reading {cox_s:6.2f} s;  R coxph (fit) {r['cox_seconds']:6.2f} s;  R/screenlab fit = {r['cox_seconds']/fit['cox']:.1f}, command = {r['cox_seconds']/cox_s:.1f}")
sys.exit(0 if ok else 1)
PY
