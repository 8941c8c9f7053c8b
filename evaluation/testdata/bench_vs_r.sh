#!/usr/bin/env bash
# make bench, evaluation part: AUC with the DeLong interval on 10,000,000
# scores with screenlab evaluate and with pROC (roc + ci.auc delong) on the
# same file when R has pROC; checks the AUC and CI agree to 1e-9 and prints
# the ratio. Usage: bench_vs_r.sh bin/screenlab [n]
set -euo pipefail
bin=${1:-bin/screenlab}
n=${2:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
work=${TMPDIR:-/tmp}/screenlab-bench-evaluation
mkdir -p "$work"
if ! Rscript -e 'library(pROC); library(jsonlite)' >/dev/null 2>&1; then
  echo "evaluation: R with pROC and jsonlite not found; Go benchmarks only"
  exit 0
fi
echo "== evaluation: AUC + DeLong CI on $n scores (pROC)"
Rscript "$here/bench_proc.R" "$work/scores.csv" "$work/r.json" "$n"
t0=$(date +%s.%N)
"$bin" evaluate -q --format json --data "$work/scores.csv" --score s --outcome y --calibration no >"$work/go.json"
t1=$(date +%s.%N)
(cd "$here/../.." && go run ./evaluation/testdata/auctime "$work/scores.csv" >"$work/gofit.json")
python3 - "$work" "$t0" "$t1" <<'PY'
import json, sys
w, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
r = json.load(open(f"{w}/r.json")); g = json.load(open(f"{w}/go.json"))["auc"]
d = max(abs(g["estimate"] - r["auc"]), abs(g["lower"] - r["lower"]), abs(g["upper"] - r["upper"]))
print(f"agreement: AUC and CI within {d:.1e} -> {'OK' if d < 1e-9 else 'DIFFERENT'}")
fit = json.load(open(f"{w}/gofit.json"))["seconds"]
print(f"AUC+DeLong: screenlab fit {fit:6.2f} s, whole command with CSV reading, ROC and average precision {t1-t0:6.2f} s;  pROC roc+ci.auc (fit) {r['seconds']:6.2f} s;  ratio fit {r['seconds']/fit:.1f}, command {r['seconds']/(t1-t0):.1f}")
sys.exit(0 if d < 1e-9 else 1)
PY
