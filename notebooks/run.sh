#!/bin/sh
# make notebooks: execute every notebook in notebooks/ with the GoNB Go
# kernel and fail on any cell error. Installs what it needs: Jupyter's
# nbconvert from Debian's packages (when root with apt-get), and GoNB and
# goimports built from the pinned module in notebooks/tools into bin/.
#
#   notebooks/run.sh               run them all (fail when Jupyter cannot be had)
#   notebooks/run.sh --if-possible skip, with a note, when Jupyter cannot be installed
#   notebooks/run.sh NAME.ipynb    run one
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
GO=${GO:-go}
optional=0
if [ "${1:-}" = "--if-possible" ]; then optional=1; shift; fi

if ! command -v jupyter-nbconvert >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "notebooks: installing Jupyter nbconvert and the kernel client from Debian's packages"
    pkgs="jupyter-nbconvert jupyter-client python3-ipykernel"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >/dev/null 2>&1; } || true
  fi
  if ! command -v jupyter-nbconvert >/dev/null 2>&1; then
    msg="notebooks: jupyter-nbconvert is not installed and could not be installed here (it needs root and apt-get: apt-get install jupyter-nbconvert jupyter-client python3-ipykernel)"
    if [ $optional = 1 ]; then echo "$msg; notebooks not run"; exit 0; fi
    echo "$msg" >&2; exit 1
  fi
fi

# GoNB and goimports at the versions notebooks/tools/go.mod pins.
(cd "$root/notebooks/tools" && $GO build -o "$bin/gonb" github.com/janpfeifer/gonb && $GO build -o "$bin/goimports" golang.org/x/tools/cmd/goimports)
export JUPYTER_DATA_DIR="$root/bin/jupyter" PATH="$bin:$PATH"
"$bin/gonb" --install --force_deps >/dev/null 2>&1

mkdir -p "$root/out/notebooks"
if [ $# -gt 0 ]; then set -- "$@"; else set -- "$root"/notebooks/*.ipynb; fi
# Two notebooks at a time (NOTEBOOK_JOBS): each works in its own folder of
# out/notebooks, and much of a notebook's time is its kernel compiling cells.
jobs=${NOTEBOOK_JOBS:-2}
status="$root/out/notebooks/.status"
rm -rf "$status" && mkdir -p "$status"
run_one() {
  nb=$1
  name=$(basename "$nb" .ipynb)
  log="$root/out/notebooks/$name.log"
  start=$(date +%s)
  # A Go cell that panics or exits non-zero is only output to Jupyter (GoNB
  # does not report it as an error), so the executed copy is checked too.
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=gonb \
      --ExecutePreprocessor.timeout=900 --output-dir "$root/out/notebooks" "$nb" >"$log" 2>&1 &&
     python3 "$root/notebooks/check_outputs.py" "$root/out/notebooks/$name.ipynb" >>"$log" 2>&1; then
    echo "notebooks: $name ran in $(( $(date +%s) - start )) s (executed copy: out/notebooks/$name.ipynb)"
  else
    grep -v '^[IW][0-9]\{4\} ' "$log" | tail -40 >&2
    echo "notebooks: $name failed (full log: out/notebooks/$name.log)" >&2
    touch "$status/$name.failed"
  fi
}
running=0
for nb in "$@"; do
  run_one "$nb" &
  running=$((running + 1))
  if [ $running -ge "$jobs" ]; then
    wait
    running=0
  fi
done
wait
if ls "$status"/*.failed >/dev/null 2>&1; then
  rm -rf "$status"
  exit 1
fi
rm -rf "$status"
