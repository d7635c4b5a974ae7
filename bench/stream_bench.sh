#!/usr/bin/env bash
# Streaming EM benchmark (README: bench/README.md, section "Streaming EM").
#   bench/stream_bench.sh                 # ROWS=100000000 by default
# Writes ROWS simulated rows (d = 6, K = 5 components, bench/GaussianBench's mixture) straight into an Arrow IPC
# column cache with bench/StreamBench (no CSV: 100M rows of CSV text would take longer to parse than to fit), then
# runs `mixtures cluster CACHE --stream --k 5 --covariance full` for ITER iterations under a 2 GB managed-heap limit
# (DOTNET_GCHeapHardLimit=0x80000000), with /usr/bin/time for the peak RSS; the per-pass lines on stderr give the
# time per pass. For comparison, bench/GaussianBench times in-memory EM iterations on the first MEM_ROWS rows of the
# same data (the in-memory fit of 100M rows needs about 9 GB: data and one n x K buffer), scaled per row.
# The load average is printed beside every figure (the machine is shared).
# Knobs (environment): ROWS (100000000), ITER (3), MEM_ROWS (10000000), MEM_ITER (5, at least 2: gaussian-bench times
# iterations 2 to MEM_ITER), CHUNK (1048576), STARTS (3),
# KEEP=1 keeps the cache (in $TMPDIR or /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROWS=${ROWS:-100000000}
ITER=${ITER:-3}
MEM_ROWS=${MEM_ROWS:-10000000}
MEM_ITER=${MEM_ITER:-5}
CHUNK=${CHUNK:-1048576}
STARTS=${STARTS:-3}
. bench/lib.sh

bench_header
build_release bench/StreamBench bench/GaussianBench src/Shell
stream_tmp stream-bench
cache="$tmp/rows.arrow"

echo "== write the cache: $ROWS rows x 6 columns (load $(load))"
bench/StreamBench/bin/Release/net10.0/stream-bench "$cache" --rows "$ROWS" --dims 6 --components 5 --seed 1

echo "== streaming: cluster --stream --k 5 --covariance full, $ITER iterations, 2 GB heap limit (load before: $(load))"
DOTNET_GCHeapHardLimit=0x80000000 /usr/bin/time -f "streaming run: wall %e s, user %U s, sys %S s, peak RSS %M KB" \
  dotnet src/Shell/bin/Release/net10.0/mixtures.dll cluster "$cache" --columns x1,x2,x3,x4,x5,x6 --k 5 --covariance full \
  --stream --chunk-rows "$CHUNK" --max-iter "$ITER" --tol 1e-300 --starts "$STARTS" --out "$tmp/model.json" 2>&1 | tee "$tmp/stream.txt"
echo "load after: $(load)"
# seconds per iteration: its one pass (E-step, log L, the M-step's sums about the current means; a rare recentring pass
# counts in its iteration), iterations 1.. (the pass at the start, iteration 0, also finds the column scales)
awk '/^mixtures: pass .*iteration [1-9][0-9]*:/ { match($0, /iteration [0-9]+/); seen[substr($0, RSTART + 10, RLENGTH - 10)] = 1
       sub(/.*rows(, log L [^,]*)?, /, ""); split($0, f, " "); s += f[1]; c++ }
     END { for (i in seen) it++; if (it) printf "streaming: %.2f s per iteration (%d passes for %d iterations: %.2f s per pass)\n", s / it, c, it, s / c }' "$tmp/stream.txt"

echo "== in memory: bench/GaussianBench on the first $MEM_ROWS rows, $MEM_ITER iterations (load before: $(load))"
bench/GaussianBench/bin/Release/net10.0/gaussian-bench --rows "$MEM_ROWS" --dims 6 --components 5 --iterations "$MEM_ITER" --runs 1 --seed 1 | tee "$tmp/mem.txt"
echo "load after: $(load)"
awk -v rows="$MEM_ROWS" -v big="$ROWS" '/^median:/ { printf "in memory: %.0f ms per iteration at %d rows, %.2f s per iteration scaled to %d rows\n", $2, rows, $2 / 1000 * big / rows, big }' "$tmp/mem.txt"
