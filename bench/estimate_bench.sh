#!/usr/bin/env bash
# Benchmarks of issue "Estimate finds the maximum": whole process, built binary, wall time.
#   (a) 104 weeks x 100,000 stores, 3 true segments, K = 2,3,4, defaults         [target < 10 s, every start converged]
#       and the same with the former defaults (plain EM, 10 random starts + split starts, no screening)
#       to count iterations per K before and after                               [target: >= 10x fewer at K = 4]
#   (b) mixtures regress data/regression.csv (1,200 rows) --k 1..5               [target < 1 s]
#   (c) mixtures cluster data/customers.tsv with the README's columns, defaults  [target < 3 s]
#   (d) the README's main command, mixtures sales data/sales.csv --out ...       [target < 1 s]
#   (e) the plain NumPy EM of bench/sales_em_numpy_bench.py on the (a) file (10 random starts per K)
# Usage, from anywhere:  bench/estimate_bench.sh
# Knobs (environment): RUNS (default 3) hyperfine runs for (b)-(d), RUNS_LARGE (default 1) for (a),
# OLD=0 skips the former-defaults run of (a), NUMPY=0 skips (e), PYTHON=<python3 with NumPy>.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RUNS=${RUNS:-3}
RUNS_LARGE=${RUNS_LARGE:-1}
OLD=${OLD:-1}
NUMPY=${NUMPY:-1}

. bench/lib.sh

# per K of a results.json: log L, the iterations of every start added up, runs taken to the end and how many converged
iterations() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"  algorithm {d['settings']['algorithm']}, {d['settings']['starts']} random starts, screening {d['settings']['screenIterations']} steps / {d['settings']['finalists']} finalists")
for m in d['models']:
    runs = [s for s in m['starts'] if not s.get('screenedOut') and s.get('failure') is None]
    total = sum(s['iterations'] for s in m['starts'])
    print(f"  K = {m['K']}: log L {m['logLikelihood']:.4f}  iterations in total {total}  runs to the end {len(runs)}, converged {sum(s['converged'] for s in runs)}  best run {m['iterations']}")
PY
}

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cores: $(nproc)  cpu: $(bash bench/cpu.sh)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
dotnet build src/Shell -c Release -nologo -v quiet 2>&1 | grep -E " error |rror\(s\)" || true
bin=src/Shell/bin/Release/net10.0/mixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" simulate sales --stores 100000 --weeks 104 --segments 3 --seed 7 --out "$tmp/s3.csv" --quiet
timeit "(a) mixtures sales s3.csv --k 2,3,4 --quiet --out results.json  [target < 10 s]" "$RUNS_LARGE" \
  "$bin" sales "$tmp/s3.csv" --k 2,3,4 --quiet --out "$tmp/new.json"
iterations "$tmp/new.json"
if [ "$OLD" != 0 ]; then
  timeit "(a') the former defaults: --accelerate none --newton-after 0 --starts 10 --screen 0" 1 \
    "$bin" sales "$tmp/s3.csv" --k 2,3,4 --quiet --out "$tmp/old.json" --accelerate none --newton-after 0 --starts 10 --screen 0
  iterations "$tmp/old.json"
fi

timeit "(b) mixtures regress data/regression.csv --y y --x x1,x2 --k 1..5 --quiet  [target < 1 s]" "$RUNS" \
  "$bin" regress data/regression.csv --y y --x x1,x2 --k 1..5 --quiet
timeit "(c) mixtures cluster data/customers.tsv --standardize --columns ... --quiet  [target < 3 s]" "$RUNS" \
  "$bin" cluster data/customers.tsv --standardize --columns MntWines,MntFruits,MntMeatProducts,MntFishProducts,MntSweetProducts,MntGoldProds --quiet
timeit "(d) mixtures sales data/sales.csv --out results.json  [target < 1 s]" "$RUNS" \
  "$bin" sales data/sales.csv --out "$tmp/results.json"

if [ "$NUMPY" != 0 ]; then
  py=""
  for p in ${PYTHON:-} python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy' 2>/dev/null; then py=$p; break; fi
  done
  if [ -n "$py" ]; then
    echo "== (e) NumPy EM s3.csv --k 2,3,4 --starts 10 (plain EM, tol 1e-8, at most 2000 iterations)"
    /usr/bin/time -f "  wall %e s  user %U s" "$py" bench/sales_em_numpy_bench.py "$tmp/s3.csv" --k 2,3,4 --starts 10
  else
    echo "== (e) skipped: no python3 with NumPy"
  fi
fi
