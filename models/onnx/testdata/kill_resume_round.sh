#!/usr/bin/env bash
# Must-show of issue 22: the standard-width ONNX ResNet-18 (export.py --full)
# scores a round of about 1,000 exams; a second run is killed with SIGKILL
# part way and resumed with --resume; its scores must be byte-identical to
# the uninterrupted run's. Also scores the same round after converting its
# exams, in turn, to JPEG lossless, JPEG-LS and JPEG 2000 (dcmtk, GDCM) and
# checks that the scores are the uncompressed round's and that no exam got
# an error row. Needs Debian's python3-torch python3-onnx dcmtk
# libgdcm-tools. Usage: kill_resume_round.sh [WORKDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
work=${1:-${TMPDIR:-/tmp}/screenlab-onnx-round}
mkdir -p "$work"
cd "$here" && make -s build >/dev/null
bin=$here/bin/screenlab
[ -f "$work/resnet18.onnx" ] || /usr/bin/python3 models/onnx/testdata/export.py --full "$work" >/dev/null
"$bin" models verify "$work/resnet18.onnx"
if [ ! -f "$work/reg/images.csv" ]; then
  "$bin" generate -q --persons 320 --seed 22 --images --out "$work/reg" --format json >/dev/null
fi
exams=$(($(wc -l < "$work/reg/images.csv") / 4))
echo "round: $exams exams, $((exams * 4)) images"
rm -f "$work"/ref.csv "$work"/killed.csv "$work"/killed.csv.partial "$work"/mixed.csv
start=$(date +%s.%N)
"$bin" score -q --model "$work/resnet18.onnx" --data "$work/reg/images.csv" --out "$work/ref.csv" --format json > "$work/ref.json"
echo "uninterrupted: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}') s; $(grep -o '"images_per_second": [0-9.]*' "$work/ref.json")"
"$bin" score -q --model "$work/resnet18.onnx" --data "$work/reg/images.csv" --out "$work/killed.csv" --format json >/dev/null &
pid=$!
# Killed when about a third of the round is journalled (each exam: a row
# and its reading/read markers).
while [ "$(cat "$work/killed.csv.partial" 2>/dev/null | wc -l)" -lt "$exams" ]; do sleep 0.2; done
kill -9 $pid; wait $pid 2>/dev/null || true
echo "killed (SIGKILL) with $(($(wc -l < "$work/killed.csv.partial") - 1)) journal lines"
"$bin" score -q --model "$work/resnet18.onnx" --data "$work/reg/images.csv" --out "$work/killed.csv" --resume --format json | grep -E '"(resumed|scored|errors)"' | tr -d ' \n'; echo
cmp "$work/ref.csv" "$work/killed.csv" && echo "killed and resumed: byte-identical to the uninterrupted run"
echo "every row carries the model's SHA-256: $(cut -d, -f10 "$work/ref.csv" | tail -n +2 | sort -u) (sha256sum: $(sha256sum "$work/resnet18.onnx" | cut -c1-64))"

# A mixed-syntax copy of the round: exam k in syntax k mod 4.
if [ ! -f "$work/mixed/images.csv" ]; then
  rm -rf "$work/mixed"; mkdir -p "$work/mixed/images"
  cp "$work/reg/images.csv" "$work/mixed/"
  export work
  ls "$work"/reg/images/*.dcm | xargs -P "$(nproc)" -I{} sh -c '
    f={}; b=$(basename "$f"); e=${b%_*_*}
    case $(( $(printf "%s" "$e" | cksum | cut -d" " -f1) % 4 )) in
      0) cp "$f" "$work/mixed/images/$b" ;;
      1) dcmcjpeg --encode-lossless-sv1 "$f" "$work/mixed/images/$b" ;;
      2) dcmcjpls --encode-lossless "$f" "$work/mixed/images/$b" ;;
      3) gdcmconv --j2k "$f" "$work/mixed/images/$b" ;;
    esac'
fi
echo "mixed round, images per transfer syntax:"
ls "$work"/mixed/images/*.dcm | xargs dcmdump -q -M +P 0002,0010 | grep "^(0002,0010)" | awk '{print $3}' | sort | uniq -c
"$bin" score -q --model "$work/resnet18.onnx" --data "$work/mixed/images.csv" --out "$work/mixed.csv" --format json | grep -E '"(scored|errors)"' | tr -d ' \n'; echo
cmp "$work/ref.csv" "$work/mixed.csv" && echo "mixed-syntax round: the same scores as the uncompressed round, byte for byte"
