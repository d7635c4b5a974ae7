#!/usr/bin/env bash
# Corpus benchmark (bench/README.md, "Corpus benchmark"):
#   bench/corpus_bench.sh [check options]   the defaults against bench/corpus/best_known.json, per-case table
#   bench/corpus_bench.sh reference         regenerate the fixture: 1000 of our starts per (case, K) and the
#                                           polished R/Python references of bench/corpus/reference (about 25 min)
# Check options: --starts N --screen S --finalists F --accelerate A --filter TEXT
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  load average: $(cut -d' ' -f1-3 /proc/loadavg)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
dotnet build bench/Corpus -c Release -nologo -v quiet 2>&1 | grep -E " error |rror\(s\)" || true
bin=bench/Corpus/bin/Release/net10.0/corpus-bench.dll
if [ "${1:-}" = reference ]; then
  shift
  dotnet "$bin" reference --starts 1000 --out bench/corpus/best_known.json "$@"
else
  dotnet "$bin" check --table "$@" || true
fi
