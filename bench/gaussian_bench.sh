#!/usr/bin/env bash
# Gaussian mixture benchmark (README: bench/README.md, section "Gaussian mixtures").
#   bench/gaussian_bench.sh
# For full covariance at d = 6 and d = 20 and diagonal covariance at d = 20 (n = 1,000,000, K = 5): ms per EM iteration of ours
# (bench/GaussianBench) and of scikit-learn's GaussianMixture (Debian python3-sklearn, /usr/bin/python3)
# on the same data, the ratio (target: ours at least 2x faster), and each side's peak memory against
# the size of the data matrix (target: ours under 3x). Then the same fit with 1 and 2 cores must give
# identical numbers.
# Knobs (environment): ROWS (1000000), ITER (10 ours, at least 2: iterations 2 to ITER are timed), ITER_SK (3 scikit-learn), RUNS (3),
# WORKLOADS ("full:6 full:20 diag:20", covariance:dimension; DIMS="6 20" alone means full covariance at those d).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROWS=${ROWS:-1000000}
ITER=${ITER:-10}
ITER_SK=${ITER_SK:-3}
RUNS=${RUNS:-3}
if [ -n "${DIMS:-}" ]; then WORKLOADS=${WORKLOADS:-$(for d in $DIMS; do printf 'full:%s ' "$d"; done)}; fi
WORKLOADS=${WORKLOADS:-"full:6 full:20 diag:20"}
K=5

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cores: $(nproc)  cpu: $(bash bench/cpu.sh)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
dotnet build bench/GaussianBench -c Release -nologo -v quiet 2>&1 | grep -E " error |rror\(s\)" || true
bench=bench/GaussianBench/bin/Release/net10.0/gaussian-bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { grep '^median:' "$1" | awk '{print $2, $7}' | tr -d '('; }   # wall ms, CPU ms
for w in $WORKLOADS; do
  cov=${w%%:*}
  d=${w##*:}
  echo "== n = $ROWS, d = $d, K = $K, $cov covariance"
  "$bench" --rows "$ROWS" --dims "$d" --components "$K" --iterations "$ITER" --runs "$RUNS" --seed 1 --covariance "$cov" --save "$tmp/x.f64" | tee "$tmp/ours.txt"
  /usr/bin/python3 bench/gaussian_sklearn_bench.py "$tmp/x.f64" "$ROWS" "$d" "$K" "$ITER_SK" "$RUNS" "$cov" | tee "$tmp/sk.txt"
  read -r ow oc < <(median "$tmp/ours.txt")
  read -r sw sc < <(median "$tmp/sk.txt")
  awk -v ow="$ow" -v oc="$oc" -v sw="$sw" -v sc="$sc" -v d="$d" -v cov="$cov" 'BEGIN {
    printf "%s, d = %d: ours %.1f ms per iteration (%.1f ms CPU), scikit-learn %.1f ms (%.1f ms CPU): %.1fx faster wall, %.1fx less CPU\n", cov, d, ow, oc, sw, sc, sw / ow, sc / oc }'
  rm -f "$tmp/x.f64"
done

echo "== thread count: the same EM run with 1 and 2 cores (n = 300,000, d = 6)"
for c in 1 2; do
  DOTNET_PROCESSOR_COUNT=$c "$bench" --rows 300000 --dims 6 --components "$K" --iterations 5 --runs 1 --seed 3 | grep '^log L' | tee "$tmp/threads$c.txt"
done
if cmp -s "$tmp/threads1.txt" "$tmp/threads2.txt"; then echo "identical with 1 and 2 cores"; else echo "DIFFERENT with 1 and 2 cores"; exit 1; fi
