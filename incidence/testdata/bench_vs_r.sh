#!/usr/bin/env bash
# make bench, incidence part: times screenlab incidence split (1,000,000
# persons, age and period in 1-year bands, aggregated) and survival relative
# (Pohar Perme, 100,000 patients) against popEpi::splitMulti and
# relsurv::rs.surv on the same files, when R has them; checks the numbers
# and prints the ratios. Usage: bench_vs_r.sh bin/screenlab
set -euo pipefail
bin=${1:-bin/screenlab}
here=$(cd "$(dirname "$0")" && pwd)
work=${TMPDIR:-/tmp}/screenlab-bench-incidence
mkdir -p "$work"
if ! Rscript -e 'library(popEpi); library(Epi); library(relsurv); library(data.table); library(jsonlite)' >/dev/null 2>&1; then
  echo "incidence: R with popEpi, Epi, relsurv, data.table and jsonlite not found; Go benchmarks only"
  exit 0
fi
echo "== incidence: split 1,000,000 persons (popEpi::splitMulti) and Pohar Perme on 100,000 patients (relsurv::rs.surv)"
Rscript "$here/bench_incidence.R" "$work" 1000000 100000
now() { date +%s.%N; }
t0=$(now)
"$bin" incidence split -q --format json --data "$work/followup.csv" --entry entry --exit exit --birth birth --status status --breaks age=0:1:110,period=1990:1:2025 --aggregate >"$work/split.json"
t1=$(now)
"$bin" survival relative -q --format json --data "$work/patients.csv" --time time --event status --age age --sex sex --year year --lifetable "$work/lifetable.csv" --times 1,5,10 >"$work/rel.json"
t2=$(now)
python3 - "$work" "$t0" "$t1" "$t2" <<'PY'
import json, sys
w, t0, t1, t2 = sys.argv[1], *map(float, sys.argv[2:])
r = json.load(open(f"{w}/r_incidence.json")); sp = json.load(open(f"{w}/split.json")); rel = json.load(open(f"{w}/rel.json"))
dpy = abs(sp["summary"]["person_years"] - r["split_py"]) / r["split_py"]
dev = sp["summary"]["events"] - r["split_events"]
dsurv = max(abs(a["surv"] - b) for a, b in zip(rel["at"], r["pp_surv"]))
ok = dpy < 1e-9 and dev == 0 and dsurv < 5e-4
print(f"agreement: person-years rel {dpy:.1e}, events {dev:+d}, Pohar Perme surv abs {dsurv:.1e} (rs.surv integrates on a daily grid) -> {'OK' if ok else 'DIFFERENT'}")
print(f"split   : screenlab {t1-t0:6.2f} s (whole command, reading the CSV)   popEpi::splitMulti {r['split_seconds']:6.2f} s   ratio {r['split_seconds']/(t1-t0):.1f}")
print(f"relative: screenlab {t2-t1:6.2f} s (whole command, reading the CSV)   relsurv::rs.surv   {r['rs_seconds']:6.2f} s   ratio {r['rs_seconds']/(t2-t1):.1f}")
sys.exit(0 if ok else 1)
PY
