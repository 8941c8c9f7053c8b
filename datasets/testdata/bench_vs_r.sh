#!/usr/bin/env bash
# Times reading and validating a ~1,000,000-row exams table with screenlab
# and with R (base read.csv with the same type and date checks, and
# data.table::fread when installed), and prints the ratios. Skips R when
# Rscript is missing. Usage: bench_vs_r.sh path/to/screenlab
set -euo pipefail
bin=${1:-bin/screenlab}
here=$(cd "$(dirname "$0")" && pwd)
work=${TMPDIR:-/tmp}/screenlab-bench
mkdir -p "$work"
if [ ! -f "$work/exams.csv" ]; then
  "$bin" generate --quiet --persons 290000 --seed 1 --out "$work" --format json >/dev/null
fi
rows=$(($(wc -l <"$work/exams.csv") - 1))
echo "== reading and validating $rows exams ($(du -h "$work/exams.csv" | cut -f1))"
now() { date +%s.%N; }
t0=$(now)
"$bin" validate --quiet --exams "$work/exams.csv" --format json >/dev/null
t1=$(now)
go_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
printf '%-28s %6.2f s\n' "screenlab validate --exams" "$go_s"
if ! command -v Rscript >/dev/null; then
  echo "Rscript not found: install r-base-core (and r-cran-data.table) to compare with R"
  exit 0
fi
Rscript "$here/bench_read_exams.R" "$work/exams.csv" | while read -r what secs; do
  awk -v w="R $what" -v s="$secs" -v g="$go_s" 'BEGIN { printf "%-28s %6.2f s   (R / screenlab = %.1f)\n", w, s, s / g }'
done
