#!/usr/bin/env bash
# make bench, ONNX part: images/s of ONNX models in screenlab (pure Go,
# models/onnx) against the same networks in PyTorch on the CPU, in the same
# run: screenlab's CNN, ResNet-18 of width 8 (the test fixture) and the
# standard-width ResNet-18 (exported here by export.py --full when Debian's
# python3-torch is installed). 64×64 inputs, 64-image batches, as many
# goroutines/threads as CPUs. Usage: bench_onnx.sh
set -euo pipefail
go=${GO:-go}
here=$(cd "$(dirname "$0")/../../.." && pwd)
work=${TMPDIR:-/tmp}/screenlab-bench-onnx
mkdir -p "$work"
py=/usr/bin/python3
torch=no
if [ -x "$py" ] && "$py" -c 'import torch, onnx' 2>/dev/null; then
  torch=yes
  [ -f "$work/resnet18.onnx" ] || "$py" "$here/models/onnx/testdata/export.py" --full "$work" >/dev/null
fi
echo "== ONNX inference (screenlab, pure Go; 64x64, 64-image batches)"
env=()
[ -f "$work/resnet18.onnx" ] && env=(SCREENLAB_ONNX_BENCH="$work/resnet18.onnx")
out=$(cd "$here" && env "${env[@]}" $go test -run '^$' -bench 'ONNX' -benchtime 20x ./models/onnx/)
echo "$out" | grep '^Benchmark'
if [ "$torch" = no ]; then
  echo "PyTorch not installed (apt-get install python3-torch python3-onnx): no comparison"
  exit 0
fi
t=$("$py" "$here/models/onnx/testdata/bench_torch.py")
echo "$t"
for name in screenlab_cnn resnet18_w8 resnet18; do
  g=$(echo "$out" | awk -v n="BenchmarkONNX/$name-" 'index($1, n) == 1 {for(i=1;i<=NF;i++) if($(i+1)=="images/s") print $i}')
  p=$(echo "$t" | awk -v n="$name" '$2 == n {print $NF}')
  [ -n "$g" ] && [ -n "$p" ] && awk -v n="$name" -v g="$g" -v p="$p" 'BEGIN{printf "%-14s screenlab %7.0f images/s, PyTorch %7.0f: PyTorch is %.2fx faster\n", n, g, p, p/g}'
done
