#!/usr/bin/env bash
# Latent class regression benchmark (README: bench/README.md, section "Latent class regression").
#   bench/regression_bench.sh
# (1) 100 EM iterations on n = 1,000,000 rows, p = 3, K = 3 (bench/RegressionBench; target < 5 s)
# (2) the same on n = 100,000 rows, and R flexmix's 100 iterations on the same rows (target: ours >= 2x faster)
# (3) end to end on the 100,000-row file: `mixtures regress --k 3 --starts 5` vs read.csv + stepFlexmix(k = 3, nrep = 5)
# Knobs (environment): RUNS (default 5) timed EM runs, RUNS_R (default 3) flexmix runs, R=0 skips R.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RUNS=${RUNS:-5}
RUNS_R=${RUNS_R:-3}

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cores: $(nproc)  cpu: $(bash bench/cpu.sh)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
dotnet build bench/RegressionBench -c Release -nologo -v quiet 2>&1 | grep -E " error |rror\(s\)" || true
dotnet build src/Shell -c Release -nologo -v quiet 2>&1 | grep -E " error |rror\(s\)" || true
bench=bench/RegressionBench/bin/Release/net10.0/regression-bench
bin=src/Shell/bin/Release/net10.0/mixtures

echo "== (1) n = 1,000,000"
"$bench" --rows 1000000 --iterations 100 --runs "$RUNS" --seed 7

echo "== (2) n = 100,000"
"$bench" --rows 100000 --iterations 100 --runs "$RUNS" --seed 7

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" simulate regression --rows 100000 --seed 7 --out "$tmp/reg100k.csv" --quiet
echo "== (3) mixtures regress reg100k.csv --y y --x x1,x2 --k 3 --starts 5 (whole process: start-up, CSV, fit, SEs)"
/usr/bin/time -f "  wall %e s  user %U s  sys %S s" "$bin" regress "$tmp/reg100k.csv" --y y --x x1,x2 --k 3 --starts 5 --quiet --out "$tmp/model.json"
jq -r '.models[] | "  K = \(.K): log L = \(.logLikelihood)  iterations = \(.iterations)  starts at best = \(.startsAtBest)/\(.startsRun)"' "$tmp/model.json" 2>/dev/null || true

if [ "${R:-1}" != 0 ] && command -v Rscript >/dev/null 2>&1; then
  echo "== (2, 3) R flexmix on the same 100,000 rows"
  Rscript bench/regression_flexmix_bench.R "$tmp/reg100k.csv" "$RUNS_R"
fi
