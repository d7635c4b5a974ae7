#!/usr/bin/env bash
# The kernels against their peers and the machine bound, in one table (bench/README.md, section "Kernels against the
# machine bound (issue table)").
#   bench/kernels_bench.sh
# Every figure is milliseconds per EM iteration (median of RUNS timed runs after a warm-up; the peers' of three, so that
# with the default RUNS=3 both sides take the middle run: with two, the Python peers' median was the slower run and
# flexmix's the mean of the two), ours from the bench
# programs (bench/RegressionBench, bench/GaussianBench), the peers in their best configuration on the same machine:
#   latent class regression, n = 1,000,000 and 100,000, p = 3, K = 3: plain EM (ours: --accelerate none), against a
#     vectorised NumPy EM (bench/regression_em_numpy_bench.py) at 1,000,000 rows and R flexmix at 100,000 rows
#     (bench/regression_flexmix_bench.R on the rows `mixtures simulate regression` writes);
#   sales panel, 100,000 stores x 104 weeks, 4 segments, K = 4: plain EM with the sales model's stopping measure
#     max |W_new - W_old| (ours: regression-bench --sales), against the NumPy reference EM on per-store summaries
#     (bench/sales_em_numpy_bench.py, per-iteration mode);
#   Gaussian mixtures, n = 1,000,000, K = 5: full d = 6, full d = 20, diag d = 20, against scikit-learn's
#     GaussianMixture (bench/gaussian_sklearn_bench.py, /usr/bin/python3). Both sides time iterations after the
#     start: scikit-learn's from a model fitted with max_iter=1, ours iterations 2 to 5 of a run (the first
#     iteration's M-step is the one from the random responsibilities alone, the start's).
# NumPy runs with OPENBLAS_NUM_THREADS=1 and =2 and the faster is taken (when NumPy's BLAS is not OpenBLAS the
# variable has no effect and one run is made; the BLAS found is printed, with a warning: the issue's peers run on
# OpenBLAS, which Debian's NumPy loads once libopenblas0-pthread is installed).
# The bound of a row is the larger of its bytes / B and its FLOPs / (G x cores), with the formula printed beside it;
# "ours / bound" is how far our time is above it. G (GFLOP/s per core: one-thread DGEMM) and B (GB/s for the whole
# machine: one reader per core, since memory bandwidth need not scale with cores) are measured at the start of the run
# by bench/machine_bound.py; GFLOPS=G and GBS=B set them instead (without NumPy they default to 82 and 60, marked
# "not measured").
# Knobs (environment): RUNS (3), PY (/usr/bin/python3), R=0 skips flexmix, GAUSS=0 skips the Gaussian rows,
# NUMPY=0 skips NumPy, SKLEARN=0 skips scikit-learn, GFLOPS and GBS as above.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RUNS=${RUNS:-3}
PY=${PY:-/usr/bin/python3}
CORES=$(nproc)
start=$(date +%s)

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cores: $CORES  cpu: $(bash bench/cpu.sh)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
for p in bench/RegressionBench bench/GaussianBench src/Shell; do
  dotnet build "$p" -c Release -nologo -v quiet 2>&1 | grep -E " error |rror\(s\)" | grep -v " 0 Error" || true
done
reg=bench/RegressionBench/bin/Release/net10.0/regression-bench
gauss=bench/GaussianBench/bin/Release/net10.0/gaussian-bench
cli=src/Shell/bin/Release/net10.0/mixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the ms per iteration of a log's median line
ms() { grep -E 'median' "$1" | tail -1 | grep -oE '[0-9.]+ ms per iteration' | head -1 | cut -d' ' -f1; }
# run a NumPy bench with OPENBLAS_NUM_THREADS=1 and 2, keep the faster log in $1
blas=$("$PY" - <<'PY' 2>/dev/null || echo "unknown"
import numpy, os, glob
so = glob.glob(os.path.join(os.path.dirname(numpy.__file__), "core", "_multiarray_umath*.so"))
libs = os.popen("ldd " + so[0]).read() if so else ""
real = [l for l in libs.split() if "blas" in l and l.startswith("/")]
target = os.path.realpath(real[0]) if real else ""
print(("openblas" if "openblas" in (libs + target) else "netlib or other: " + (target or "none")) + f" (NumPy {numpy.__version__})")
PY
)
echo "NumPy BLAS: $blas"
if [[ $blas != openblas* ]]; then
  echo "warning: NumPy does not load OpenBLAS, so the peers are not in the issue's configuration and run several times"
  echo "  slower than they can (Debian: apt-get install libopenblas0-pthread); their figures flatter our ratios"
fi
numpy_best() {
  local out=$1; shift
  if [[ $blas == openblas* ]]; then
    OPENBLAS_NUM_THREADS=1 "$PY" "$@" > "$tmp/np1.txt"
    OPENBLAS_NUM_THREADS=2 "$PY" "$@" > "$tmp/np2.txt"
    local a b; a=$(ms "$tmp/np1.txt"); b=$(ms "$tmp/np2.txt")
    if awk -v a="$a" -v b="$b" 'BEGIN { exit !(a <= b) }'; then cp "$tmp/np1.txt" "$out"; echo "  (OpenBLAS threads 1: $a ms, 2: $b ms; took 1)"
    else cp "$tmp/np2.txt" "$out"; echo "  (OpenBLAS threads 1: $a ms, 2: $b ms; took 2)"; fi
  else
    OPENBLAS_NUM_THREADS=1 "$PY" "$@" > "$out"
  fi
  cat "$out"
}

# the machine bound: measured here unless given
how="measured by bench/machine_bound.py"
if [ -z "${GFLOPS:-}" ] || [ -z "${GBS:-}" ]; then
  if mb=$("$PY" bench/machine_bound.py "$CORES" 2>/dev/null); then
    GFLOPS=${GFLOPS:-$(awk '$1 == "gflops_per_core" { print $2 }' <<< "$mb")}
    GBS=${GBS:-$(awk '$1 == "stream_gbs_total" { print $2 }' <<< "$mb")}
  else
    GFLOPS=${GFLOPS:-82} GBS=${GBS:-60} how="not measured (no NumPy): defaults"
  fi
else
  how="given (GFLOPS, GBS)"
fi
echo "machine bound: $GFLOPS GFLOP/s per core (one-thread DGEMM), $GBS GB/s read for the machine ($how)"

rows=()   # workload|ours|peer|peer name|goal kind|goal|bound ms|bound formula
bound() { awk -v b="$1" -v f="$2" -v c="$CORES" -v g="$GFLOPS" -v m="$GBS" 'BEGIN { x = b / (m * 1e9); y = f / (g * 1e9 * c); printf "%.4f", 1000 * (x > y ? x : y) }'; }

echo "== latent class regression, n = 1,000,000, p = 3, K = 3 (plain EM)"
"$reg" --rows 1000000 --iterations 20 --runs "$RUNS" --seed 7 --accelerate none | tee "$tmp/reg1m.txt"
np=""
if [ "${NUMPY:-1}" != 0 ]; then
  numpy_best "$tmp/npreg.txt" bench/regression_em_numpy_bench.py --rows 1000000 --iterations 4 --runs 3
  np=$(ms "$tmp/npreg.txt")
fi
# bytes: y and the 2 covariates read, W written (p + K doubles a row); FLOPs a row and class: residual 2p,
# log-density 3, E-step 5 (exp counted as one), M-step sums 2 (2 + p + p(p+1)/2): 36 for p = 3
rows+=("latent class regression, 1M rows (K = 3, p = 3)|$(ms "$tmp/reg1m.txt")|$np|NumPy|ratio|20|$(bound $((1000000 * 8 * 6)) $((1000000 * 3 * 36)))|n 8 (p + K) B; n K 36 FLOP")

echo "== latent class regression, n = 100,000 (plain EM)"
"$reg" --rows 100000 --iterations 100 --runs "$RUNS" --seed 7 --accelerate none | tee "$tmp/reg100k.txt"
fx=""
if [ "${R:-1}" != 0 ] && command -v Rscript >/dev/null 2>&1; then
  "$cli" simulate regression --rows 100000 --seed 7 --out "$tmp/reg100k.csv" --quiet
  Rscript bench/regression_flexmix_bench.R "$tmp/reg100k.csv" 3 20 skip-b | tee "$tmp/flexmix.txt"
  fx=$(ms "$tmp/flexmix.txt")
fi
rows+=("latent class regression, 100k rows|$(ms "$tmp/reg100k.txt")|$fx|flexmix|ratio|100|$(bound $((100000 * 8 * 6)) $((100000 * 3 * 36)))|n 8 (p + K) B; n K 36 FLOP")

echo "== sales panel, 100,000 stores x 104 weeks, 4 segments, K = 4 (plain EM, max |dW| each iteration)"
"$reg" --sales --stores 100000 --weeks 104 --segments 4 --k 4 --iterations 100 --runs "$RUNS" --seed 7 | tee "$tmp/sales.txt"
ns=""
if [ "${NUMPY:-1}" != 0 ]; then
  numpy_best "$tmp/npsales.txt" bench/sales_em_numpy_bench.py --stores 100000 --weeks 104 --segments 4 --k 4 --iterations 10 --runs 3
  ns=$(ms "$tmp/npsales.txt")
fi
# bytes: the per-store statistics X'r0 (2), r0'r0 (1) read, W written, W_prev read (3 + 2K doubles a store);
# FLOPs a store and class: X'r0 d 3, log-density 5, E-step 5, M-step sums 8: 21
rows+=("sales panel, 100k stores, K = 4|$(ms "$tmp/sales.txt")|$ns|NumPy|ms|0.4|$(bound $((100000 * 8 * 11)) $((100000 * 4 * 21)))|N 8 (3 + 2K) B; N K 21 FLOP")

if [ "${GAUSS:-1}" != 0 ]; then
  for spec in "full 6" "full 20" "diag 20"; do
    set -- $spec
    cov=$1 d=$2
    echo "== Gaussian mixture, n = 1,000,000, d = $d, K = 5, covariance $cov"
    "$gauss" --rows 1000000 --dims "$d" --components 5 --iterations 5 --runs "$RUNS" --seed 1 --covariance "$cov" --save "$tmp/x.f64" | tee "$tmp/g.txt"
    sk=""
    if [ "${SKLEARN:-1}" != 0 ]; then
      OPENBLAS_NUM_THREADS=1 "$PY" bench/gaussian_sklearn_bench.py "$tmp/x.f64" 1000000 "$d" 5 2 3 "$cov" > "$tmp/sk1.txt"
      if [[ $blas == openblas* ]]; then
        OPENBLAS_NUM_THREADS=2 "$PY" bench/gaussian_sklearn_bench.py "$tmp/x.f64" 1000000 "$d" 5 2 3 "$cov" > "$tmp/sk2.txt"
        if awk -v a="$(ms "$tmp/sk1.txt")" -v b="$(ms "$tmp/sk2.txt")" 'BEGIN { exit !(b < a) }'; then cp "$tmp/sk2.txt" "$tmp/sk1.txt"; fi
      fi
      cat "$tmp/sk1.txt"
      sk=$(ms "$tmp/sk1.txt")
    fi
    rm -f "$tmp/x.f64"
    # full: per row and component a triangular solve d^2, the scatter d(d+1), the rest 3d: n K (2d^2 + 4d) FLOP;
    # diag: n K 6d FLOP; bytes: the n x d data read once (n 8 d) and W written (n 8 K)
    if [ "$cov" = full ]; then f=$((1000000 * 5 * (2 * d * d + 4 * d))); ff="n K (2d^2 + 4d) FLOP"; else f=$((1000000 * 5 * 6 * d)); ff="n K 6d FLOP"; fi
    rows+=("Gaussian $cov d = $d (n = 1M, K = 5)|$(ms "$tmp/g.txt")|$sk|scikit-learn|ratio|20|$(bound $((1000000 * 8 * (d + 5))) $f)|n 8 (d + K) B; $ff")
  done
fi

echo
echo "Kernels against peers and the machine bound: ms per EM iteration, $CORES cores; bound = max(bytes / ($GBS GB/s), FLOPs / ($GFLOPS GFLOP/s x $CORES)); $how"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg); whole run $(( $(date +%s) - start )) s"
echo
echo "| workload | ours | best peer | ratio now | goal | met | bound | ours / bound | bound formula |"
echo "|---|---|---|---|---|---|---|---|---|"
for r in "${rows[@]}"; do
  IFS='|' read -r name ours peer pname gkind goal bnd formula <<< "$r"
  awk -v name="$name" -v ours="$ours" -v peer="$peer" -v pname="$pname" -v gkind="$gkind" -v goal="$goal" -v bnd="$bnd" -v formula="$formula" 'BEGIN {
    ratio = (peer != "" && ours > 0) ? sprintf("%.1fx", peer / ours) : "-"
    pcell = peer != "" ? sprintf("%s (%s)", peer, pname) : "- (" pname " skipped)"
    if (gkind == "ratio") { gcell = ">= " goal "x"; met = (peer != "" ? (peer / ours >= goal ? "yes" : "no") : "-") }
    else { gcell = "<= " goal " ms"; met = (ours <= goal ? "yes" : "no") }
    printf "| %s | %s | %s | %s | %s | %s | %.3f ms | %.0fx | %s |\n", name, ours, pcell, ratio, gcell, met, bnd, ours / bnd, formula }'
done
