#!/usr/bin/env bash
# make bench, triage CNN part: training and inference throughput of the CNN
# in gorgonia (Go benchmarks) and, when Debian's python3-torch is installed,
# of the same architecture in PyTorch on the CPU in the same run, with the
# ratios; decode+preprocess throughput of DICOM; and `screenlab score` on a
# synthetic round, projected to a 250,000-exam round on this machine.
# Usage: bench_cnn.sh bin/screenlab
set -euo pipefail
bin=${1:-bin/screenlab}
go=${GO:-go}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=${TMPDIR:-/tmp}/screenlab-bench-cnn
mkdir -p "$work"

echo "== triage CNN: gorgonia (64x64, 8 exams = 32 images per training step, 16 exams per inference batch)"
out=$(cd "$here" && $go test -run '^$' -bench 'CNN(Train|Infer)64' -benchtime 3x ./models/)
echo "$out" | grep '^Benchmark'
go_train=$(echo "$out" | awk '/CNNTrain64/{for(i=1;i<=NF;i++) if($(i+1)=="images/s") print $i}')
go_infer=$(echo "$out" | awk '/CNNInfer64/{for(i=1;i<=NF;i++) if($(i+1)=="images/s") print $i}')
py=/usr/bin/python3
if [ -x "$py" ] && "$py" -c 'import torch' 2>/dev/null; then
  t=$("$py" "$here/models/testdata/cnn_torch.py")
  echo "$t"
  torch_train=$(echo "$t" | awk '/train/{print $NF}')
  torch_infer=$(echo "$t" | awk '/infer/{print $NF}')
  awk -v g="$go_train" -v t="$torch_train" 'BEGIN{printf "training:  gorgonia %.0f images/s, PyTorch %.0f: PyTorch is %.2fx faster (target: within 2x)\n", g, t, t/g}'
  awk -v g="$go_infer" -v t="$torch_infer" 'BEGIN{printf "inference: gorgonia %.0f images/s, PyTorch %.0f: PyTorch is %.2fx faster (target: within 1.5x)\n", g, t, t/g}'
else
  echo "PyTorch not installed (apt-get install python3-torch): no comparison"
fi

echo "== DICOM decode + preprocess to 64x64 (one goroutine)"
(cd "$here" && $go test -run '^$' -bench DecodePreprocess -benchtime 50x ./features/ | grep '^Benchmark')

echo "== screenlab score on a synthetic round, projected to 250,000 exams"
if [ ! -f "$work/triage.model" ]; then
  "$bin" generate -q --persons 3000 --seed 2 --images --out "$work/reg" --format json >/dev/null
  "$bin" link -q --exams "$work/reg/exams.csv" --diagnoses "$work/reg/diagnoses.csv" --persons "$work/reg/persons.csv" --out "$work/linked.csv" --format json >/dev/null
  "$bin" train -q --model cnn --data "$work/linked.csv" --target outcome --images "$work/reg/images.csv" --steps 50 --out "$work/triage.model" --format json >/dev/null
fi
rm -f "$work/scores.csv" "$work/scores.csv.partial"
"$bin" score -q --model "$work/triage.model" --data "$work/reg/images.csv" --out "$work/scores.csv" --format json >"$work/score.json"
awk -F': ' '/"exams"|"exams_per_second"|"images_per_second"/{gsub(/[",]/,"",$2); v[$1]=$2} END{
  e=v["  \"exams\""]; r=v["  \"exams_per_second\""];
  printf "scored %d exams (96x128 views, 2 workers) at %.0f exams/s (%.0f images/s): a 250,000-exam round takes %.1f hours here (target: 8)\n", e, r, 4*r, 250000/r/3600}' "$work/score.json"
