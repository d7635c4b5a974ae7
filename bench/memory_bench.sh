#!/usr/bin/env bash
# Memory benchmark (README: bench/README.md, section "Memory").
#   bench/memory_bench.sh
# Peak resident memory (max RSS from /usr/bin/time, else VmHWM from /proc) and wall time of the built
# binary on large files, against the goal: peak RSS at most 3x the data matrix plus the runtime
# (RUNTIME_MB, 45 MB), the same whatever the number of K values and starts.
#   (a) cluster, defaults (K = 1..10, 10 starts), 1,000,000 rows x 6 columns (48 MB matrix)
#   (b) cluster, K = 1..3 and K = 1..10 with 30 starts: peak RSS must not grow with the K values or starts
#   (c) sales, defaults (K = 2,3,4, 20 starts), 100,000 stores x 104 weeks (83 MB matrix)
#   (d) sales, K = 2 and K = 2..6: peak RSS must not grow with the K values
# Knobs (environment): ROWS (1000000), STORES (100000), WEEKS (104), RUNTIME_MB (45), SKIP_LONG=1 skips (b) and (d).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROWS=${ROWS:-1000000}
STORES=${STORES:-100000}
WEEKS=${WEEKS:-104}
RUNTIME_MB=${RUNTIME_MB:-45}
SKIP_LONG=${SKIP_LONG:-0}
COLS=MntWines,MntFruits,MntMeatProducts,MntFishProducts,MntSweetProducts,MntGoldProds

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cores: $(nproc)  memory: $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)  cpu: $(bash bench/cpu.sh)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
dotnet build src/Shell -c Release -nologo -v quiet 2>&1 | grep -E " error |rror\(s\)" || true
bin=src/Shell/bin/Release/net10.0/mixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# peak <label> <matrix MB> <command...>: wall time and peak RSS of the whole process, and the goal
peak() {
  local label=$1 matrix=$2; shift 2
  local wall kb
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null
    read -r wall kb < "$tmp/time"
  else
    # without GNU time: poll the process's high-water mark in /proc
    local start end pid hwm=0 v
    start=$(date +%s.%N)
    "$@" >/dev/null & pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
      sleep 0.05
    done
    wait "$pid"
    end=$(date +%s.%N)
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
    kb=$hwm
  fi
  awk -v l="$label" -v w="$wall" -v kb="$kb" -v m="$matrix" -v r="$RUNTIME_MB" 'BEGIN {
    mb = kb / 1024; goal = 3 * m + r
    printf "%-58s %8.1f s %8.0f MB  goal %4.0f MB (3 x %.0f + %d): %s\n", l, w, mb, goal, m, r, (mb <= goal ? "met" : "NOT met") }'
}

"$bin" simulate customers --rows "$ROWS" --seed 1 --out "$tmp/customers.tsv" --quiet
"$bin" simulate sales --stores "$STORES" --weeks "$WEEKS" --segments 3 --seed 7 --out "$tmp/sales.csv" --quiet
mc=$(awk -v n="$ROWS" 'BEGIN {printf "%.1f", n * 6 * 8 / 1e6}')
ms=$(awk -v n="$STORES" -v t="$WEEKS" 'BEGIN {printf "%.1f", n * t * 8 / 1e6}')
echo "files: customers $(du -m "$tmp/customers.tsv" | cut -f1) MB ($ROWS rows, 6 of 11 columns read: $mc MB matrix);" \
  "sales $(du -m "$tmp/sales.csv" | cut -f1) MB ($STORES stores x $WEEKS weeks: $ms MB matrix)"
echo "run                                                            wall     peak RSS"

peak "(a) cluster, defaults (K = 1..10, 10 starts)" "$mc" \
  "$bin" cluster "$tmp/customers.tsv" --columns "$COLS" --quiet --out "$tmp/c.json"
if [ "$SKIP_LONG" = 0 ]; then
  peak "(b) cluster --k 1..3" "$mc" \
    "$bin" cluster "$tmp/customers.tsv" --columns "$COLS" --k 1..3 --quiet --out "$tmp/c3.json"
  peak "(b) cluster --k 1..10 --starts 30" "$mc" \
    "$bin" cluster "$tmp/customers.tsv" --columns "$COLS" --k 1..10 --starts 30 --quiet --out "$tmp/c30.json"
fi
peak "(c) sales, defaults (K = 2,3,4, 20 starts)" "$ms" \
  "$bin" sales "$tmp/sales.csv" --quiet --out "$tmp/s.json"
if [ "$SKIP_LONG" = 0 ]; then
  peak "(d) sales --k 2" "$ms" "$bin" sales "$tmp/sales.csv" --k 2 --quiet --out "$tmp/s2.json"
  peak "(d) sales --k 2..6" "$ms" "$bin" sales "$tmp/sales.csv" --k 2..6 --quiet --out "$tmp/s6.json"
fi
