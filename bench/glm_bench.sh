#!/usr/bin/env bash
# Poisson mixture benchmark (README: bench/README.md, section "GLM mixtures").
#   bench/glm_bench.sh
# (1) plain EM iterations on n = 1,000,000 rows, p = 3, K = 3 (bench/GlmBench), with the time of each phase
# (2) R flexmix's iterations on n = 100,000 rows of the same model (bench/glm_flexmix_bench.R), and ours on those rows
# Knobs (environment): RUNS (default 3), ITER (default 20), R=0 skips R.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RUNS=${RUNS:-3}
ITER=${ITER:-20}
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cores: $(nproc)  cpu: $(bash bench/cpu.sh)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
dotnet build bench/GlmBench -c Release -nologo -v quiet 2>&1 | grep -E " error |rror\(s\)" || true
bench=bench/GlmBench/bin/Release/net10.0/glm-bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== (1) n = 1,000,000"
"$bench" --rows 1000000 --iterations "$ITER" --runs "$RUNS" --phases
echo "== (2) n = 100,000"
"$bench" --rows 100000 --iterations "$ITER" --runs "$RUNS" --csv "$tmp/pois100k.csv"
if [ "${R:-1}" != 0 ] && command -v Rscript >/dev/null 2>&1; then
  echo "== (2) R flexmix on the same 100,000 rows"
  Rscript bench/glm_flexmix_bench.R "$tmp/pois100k.csv" "$RUNS" "$ITER"
fi
