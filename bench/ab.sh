#!/usr/bin/env bash
# A/B of two commits on one bench program, the builds alternated, with a control: a second copy of A's build, so the
# spread between two identical builds (the neighbours' noise on this shared machine) is measured beside the difference.
#   bench/ab.sh <commit-a> <commit-b> <bench project> [rounds] -- <bench arguments>
# e.g.
#   bench/ab.sh 3195f92 HEAD bench/GaussianBench 4 -- --rows 1000000 --dims 20 --components 5 --iterations 5 \
#       --runs 5 --seed 1 --covariance diag --threads 1
#   bench/ab.sh HEAD~1 HEAD bench/RegressionBench 6 -- --sales --stores 100000 --weeks 104 --segments 4 --k 4 \
#       --iterations 100 --runs 7 --seed 7 --threads 1
# The project is bench/GaussianBench or bench/RegressionBench (the two whose "run" lines give CPU time). Each round runs
# A, A' (the same build as A) and B in turn and takes each one's best CPU time over its runs. At the end it prints the
# medians over the rounds, B against A in percent, the control's A' against A, and whether the final log L lines of A
# and B are the same (a change meant to keep every value should show "same").
# Builds go to a temporary directory (git worktrees of the two commits, removed at the end); the working tree is not
# touched. Take --threads 1 for kernels: one thread is less exposed to the neighbours than two. regression-bench prints
# a run's CPU seconds to three decimals: give it enough iterations that a run takes 0.1 s or more.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
if [ $# -lt 4 ]; then sed -n '2,/^set -euo/p' "$0" | grep '^#' >&2; exit 2; fi
a=$1; b=$2; project=$3; shift 3
rounds=4
if [ "$1" != "--" ]; then rounds=$1; shift; fi
[ "${1:-}" = "--" ] || { echo "bench/ab.sh: expected -- before the bench arguments" >&2; exit 2; }
shift
case "$project" in
  bench/GaussianBench) exe=gaussian-bench ;;
  bench/RegressionBench) exe=regression-bench ;;
  *) echo "bench/ab.sh: the project must be bench/GaussianBench or bench/RegressionBench, not $project" >&2; exit 2 ;;
esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tmp=$(mktemp -d)
cleanup() { git worktree remove --force "$tmp/wa" >/dev/null 2>&1 || true; git worktree remove --force "$tmp/wb" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
for side in a b; do
  commit=$([ $side = a ] && echo "$a" || echo "$b")
  git worktree add -q --detach "$tmp/w$side" "$commit"
  dotnet build "$tmp/w$side/$project" -c Release -nologo -v quiet -o "$tmp/bin$side" 2>&1 | grep -E " error " && exit 1 || true
done
cp -r "$tmp/bina" "$tmp/binc"
bench_header
echo "A = $(git rev-parse --short "$a"), B = $(git rev-parse --short "$b"), A' = a copy of A's build; $project $*"
best() { grep -E '^run ' | grep -oE '[0-9.]+ m?s CPU' | awk '{print $1}' | sort -g | head -1; }
loglik() { grep -oE '(final log L = |log L after [0-9]+ iterations: )[-0-9.eE+]+' | tail -1 | grep -oE '[-0-9.eE+]+$'; }
declare -a ta tb tc
lla=""; llb=""
for r in $(seq "$rounds"); do
  line="round $r:"
  for side in a c b; do
    out=$("$tmp/bin$side/$exe" "$@" 2>&1)
    t=$(echo "$out" | best)
    [ -n "$t" ] || { echo "bench/ab.sh: no CPU time in the output of $side:"; echo "$out" | tail -5; exit 1; } >&2
    case $side in a) ta+=("$t"); lla=$(echo "$out" | loglik) ;; b) tb+=("$t"); llb=$(echo "$out" | loglik) ;; c) tc+=("$t") ;; esac
    line="$line  $([ $side = c ] && echo "A'" || echo "${side^^}") $t"
  done
  echo "$line"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ma=$(median "${ta[@]}"); mb=$(median "${tb[@]}"); mc=$(median "${tc[@]}")
echo "medians of the rounds' best CPU: A $ma, A' $mc, B $mb"
awk -v a="$ma" -v b="$mb" -v c="$mc" 'BEGIN { printf "B against A: %+.1f%%; the control A'"'"' against A: %+.1f%%\n", 100 * (b - a) / a, 100 * (c - a) / a }'
echo "final log L: A $lla, B $llb: $([ "$lla" = "$llb" ] && echo same || echo DIFFERENT)"
echo "load average at the end: $(load)"
