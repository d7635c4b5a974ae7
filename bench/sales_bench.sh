#!/usr/bin/env bash
# Sales model benchmark: wall time of the whole `mixtures sales` process
#   (a) the README's main command on the bundled sample data/sales.csv (52 weeks x 300 stores, K = 2,3,4)
#   (b) simulated 104 weeks x 100,000 stores files (3 and 4 true segments), K = 2,3,4
#   (c) a plain vectorized NumPy EM (bench/sales_em_numpy_bench.py) on the same files, 10 random starts per K
# Builds Release once, simulates into a temporary folder (removed at exit), times with hyperfine
# (or /usr/bin/time when hyperfine is missing). Usage, from anywhere:
#   bench/sales_bench.sh
# Knobs (environment): RUNS_SMALL (default 10) runs for the sample, RUNS_LARGE (default 1) for the
# 100k files, LARGE=0 skips the 100k files, NUMPY=0 skips NumPy, PYTHON=<interpreter with NumPy>.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

RUNS_SMALL=${RUNS_SMALL:-10}
RUNS_LARGE=${RUNS_LARGE:-1}
LARGE=${LARGE:-1}
NUMPY=${NUMPY:-1}
KS=2,3,4

python_with_numpy() {
  local p
  for p in ${PYTHON:-} python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy' 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}


. bench/lib.sh

# summary of a results.json written by `mixtures sales`
summary() {
  jq -r '.models[] | "  K = \(.K): log L = \(.logLikelihood)  iterations = \(.iterations)  converged = \(.converged)  starts at best = \(.startsAtBest)"' "$1" 2>/dev/null || true
}

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cores: $(nproc)  cpu: $(bash bench/cpu.sh)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
dotnet --version

dotnet build src/Shell -c Release -nologo -v quiet 2>&1 | grep -E "error|Warn|Error" || true
bin=src/Shell/bin/Release/net10.0/mixtures
[ -x "$bin" ] || { echo "build did not produce $bin" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# (a) the README main command (K = 2,3,4 by default, 10 starts), built binary and via dotnet run
timeit "(a) mixtures sales data/sales.csv --out results.json  [target < 1 s]" "$RUNS_SMALL" \
  "$bin" sales data/sales.csv --out "$tmp/results.json"
summary "$tmp/results.json"
timeit "(a') dotnet run --project src/Shell -c Release -- sales data/sales.csv --out results.json (includes the up-to-date check)" 3 \
  dotnet run --project src/Shell -c Release -- sales data/sales.csv --out "$tmp/results.json"

if [ "$LARGE" != 0 ]; then
  for seg in 3 4; do
    /usr/bin/time -f "simulated 104 weeks x 100000 stores, $seg segments in %e s" \
      "$bin" simulate sales --stores 100000 --weeks 104 --segments "$seg" --seed 7 --out "$tmp/sales100k_s$seg.csv" --quiet
    echo "  $(du -h "$tmp/sales100k_s$seg.csv" | cut -f1) CSV"
  done
  # (b) the 100k files
  for seg in 3 4; do
    timeit "(b) mixtures sales sales100k_s$seg.csv --k $KS --quiet --out results.json  [target < 10 s]" "$RUNS_LARGE" \
      "$bin" sales "$tmp/sales100k_s$seg.csv" --k "$KS" --quiet --out "$tmp/results100k_s$seg.json"
    summary "$tmp/results100k_s$seg.json"
  done
fi

if [ "$NUMPY" != 0 ]; then
  if py=$(python_with_numpy); then
    # (c) plain NumPy EM, 10 random starts per K, same tol (1e-8) and iteration limit (2000); one run each,
    # its own output splits the time into reading the CSV and fitting
    files=(data/sales.csv)
    [ "$LARGE" != 0 ] && files+=("$tmp/sales100k_s3.csv" "$tmp/sales100k_s4.csv")
    for f in "${files[@]}"; do
      echo "== (c) NumPy EM $(basename "$f") --k $KS --starts 10"
      /usr/bin/time -f "  wall %e s  user %U s  max RSS %M KB" "$py" bench/sales_em_numpy_bench.py "$f" --k "$KS" --starts 10
    done
  else
    echo "== (c) skipped: no python3 with NumPy (set PYTHON)"
  fi
fi
