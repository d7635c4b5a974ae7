#!/usr/bin/env bash
# Instructor tools benchmark: wall time of
#   (a) `mixtures simulate sales --class-list` for a class of STUDENTS students (300 stores x 52 weeks each)
#   (b) `mixtures grade <folder> --data <folder>` on one submission per student (each the results.json of
#       `mixtures sales` on that student's data), i.e. one reference fit (K = 1..4, 20 random + split starts,
#       tol 1e-10) and one grade per student
# Builds Release once and works in a temporary folder (removed at exit). Usage, from anywhere:
#   bench/grade_bench.sh            # STUDENTS=10 by default
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
STUDENTS=${STUDENTS:-10}

dotnet build src/Shell -c Release 2>&1 | grep -E "error|Warn|Elapsed" || true
MIX=(dotnet "$PWD/src/Shell/bin/Release/net10.0/mixtures.dll")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

echo "student" > students.csv
for ((i = 0; i < STUDENTS; i++)); do echo $((600000 + 37 * i)) >> students.csv; done

echo "== (a) simulate sales --class-list ($STUDENTS students, 300 x 52)"
/usr/bin/time -f "  wall %e s  user %U s  max RSS %M KB" "${MIX[@]}" simulate sales --class-list students.csv --out-dir data --quiet

mkdir -p subs
for f in data/*.csv; do
  n=$(basename "$f" .csv)
  mkdir -p "subs/$n"
  "${MIX[@]}" sales "$f" --quiet --out "subs/$n/results.json"
done

echo "== (b) grade $STUDENTS submissions, one data file each"
/usr/bin/time -f "  wall %e s  user %U s  max RSS %M KB" "${MIX[@]}" grade subs --data data --out grades.csv --quiet
echo "== grades"
cut -d, -f1,5,6,7,8,9,10 grades.csv
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
