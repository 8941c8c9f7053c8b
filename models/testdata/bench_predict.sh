#!/usr/bin/env bash
# make bench, models part: streaming prediction of 10,000,000 rows with a
# logistic model trained on the synthetic registry; reports time and peak
# memory (which must stay flat: it does not grow with the file).
# Usage: bench_predict.sh bin/screenlab
set -euo pipefail
bin=${1:-bin/screenlab}
work=${TMPDIR:-/tmp}/screenlab-bench-models
mkdir -p "$work"
if [ ! -f "$work/big.csv" ]; then
  "$bin" generate -q --persons 100000 --seed 1 --out "$work/reg" --format json >/dev/null
  "$bin" link -q --exams "$work/reg/exams.csv" --diagnoses "$work/reg/diagnoses.csv" --persons "$work/reg/persons.csv" --out "$work/linked.csv" --format json >/dev/null
  "$bin" features -q --linked "$work/linked.csv" --out "$work/features.csv" --format json >/dev/null
  "$bin" train -q --data "$work/features.csv" --target cancer --features age,density,family_history,bmi,hrt,prior_recalls --model logistic --out "$work/m.model" --format json >/dev/null
  # 10,000,000 rows: the feature columns repeated.
  awk -F, 'NR==1{print "age,density,family_history,bmi,hrt,prior_recalls"; next} {rows[NR]=$5","$10","$11","$12","$13","$7} END{n=0; while(n<10000000){for(i in rows){print rows[i]; if(++n>=10000000) break}}}' "$work/features.csv" >"$work/big.csv"
fi
echo "== models: streaming prediction of $(($(wc -l <"$work/big.csv") - 1)) rows ($(du -h "$work/big.csv" | cut -f1))"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "screenlab predict: %e s, peak memory %M KB" "$bin" predict -q --model "$work/m.model" --data "$work/big.csv" --out "$work/scored.csv" --format json >/dev/null
else
  s=$(date +%s.%N); "$bin" predict -q --model "$work/m.model" --data "$work/big.csv" --out "$work/scored.csv" --format json >/dev/null
  echo "screenlab predict: $(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{print b-a}') s (install GNU time for peak memory)"
fi
rm -f "$work/scored.csv"
