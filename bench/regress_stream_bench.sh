#!/usr/bin/env bash
# Streaming EM for mixtures of regressions (README: bench/README.md, section "Streaming EM for regressions").
#   bench/regress_stream_bench.sh          # ROWS=100000000 by default
# Writes ROWS rows (y, x1, x2 of the example mixture of regressions: K = 3, p = 3) straight into an Arrow IPC column
# cache with bench/StreamBench --regression, then runs `mixtures regress CACHE --y y --x x1,x2 --k 3 --stream` for ITER
# iterations under a 2 GB managed-heap limit (DOTNET_GCHeapHardLimit=0x80000000), with /usr/bin/time for the peak RSS;
# the per-pass lines on stderr give the time per pass (one pass per iteration). For comparison, bench/RegressionBench
# times plain in-memory EM iterations (--accelerate none) on MEM_ROWS rows of the same distribution, scaled per row.
# The load average is printed beside every figure (the machine is shared).
# Knobs (environment): ROWS (100000000), ITER (3), MEM_ROWS (10000000), MEM_ITER (10), CHUNK (1048576), STARTS (3),
# KEEP=1 keeps the cache (in $TMPDIR or /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROWS=${ROWS:-100000000}
ITER=${ITER:-3}
MEM_ROWS=${MEM_ROWS:-10000000}
MEM_ITER=${MEM_ITER:-10}
CHUNK=${CHUNK:-1048576}
STARTS=${STARTS:-3}
. bench/lib.sh

bench_header
build_release bench/StreamBench bench/RegressionBench src/Shell
stream_tmp regress-stream-bench
cache="$tmp/rows.arrow"

echo "== write the cache: $ROWS rows x 3 columns (load $(load))"
bench/StreamBench/bin/Release/net10.0/stream-bench "$cache" --rows "$ROWS" --regression --seed 1

echo "== streaming: regress --stream --k 3, $ITER iterations, 2 GB heap limit (load before: $(load))"
DOTNET_GCHeapHardLimit=0x80000000 /usr/bin/time -f "streaming run: wall %e s, user %U s, sys %S s, peak RSS %M KB" \
  dotnet src/Shell/bin/Release/net10.0/mixtures.dll regress "$cache" --y y --x x1,x2 --k 3 \
  --stream --chunk-rows "$CHUNK" --max-iter "$ITER" --tol 1e-300 --starts "$STARTS" --out "$tmp/model.json" 2>&1 | tee "$tmp/stream.txt"
echo "load after: $(load)"
awk '/^mixtures: pass .*iteration [1-9][0-9]*:/ { sub(/.*rows(, log L [^,]*)?, /, ""); split($0, f, " "); s += f[1]; c++ }
     END { if (c) printf "streaming: %.2f s per iteration (one pass; mean of %d passes)\n", s / c, c }' "$tmp/stream.txt"

echo "== in memory: bench/RegressionBench on $MEM_ROWS rows, $MEM_ITER plain EM iterations (load before: $(load))"
bench/RegressionBench/bin/Release/net10.0/regression-bench --rows "$MEM_ROWS" --iterations "$MEM_ITER" --runs 1 --accelerate none --seed 1 | tee "$tmp/mem.txt"
echo "load after: $(load)"
ms=$(sed -n 's/^median of.*(\([0-9.]*\) ms per iteration).*/\1/p' "$tmp/mem.txt")
awk -v ms="$ms" -v rows="$MEM_ROWS" -v big="$ROWS" 'BEGIN { printf "in memory: %.1f ms per iteration at %d rows, %.2f s per iteration scaled to %d rows\n", ms, rows, ms / 1000 * big / rows, big }'
