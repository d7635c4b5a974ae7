# Shared by the benchmark scripts (source it): timeit <label> <runs> <command...> prints the mean wall time of
# the whole process with hyperfine (one warm-up run from 3 runs on), or every run's time with /usr/bin/time.
timeit() {
  local label=$1 runs=$2; shift 2
  echo "== $label"
  if command -v hyperfine >/dev/null 2>&1; then
    local warm=0
    [ "$runs" -ge 3 ] && warm=1
    hyperfine --style basic --shell none --warmup "$warm" --runs "$runs" -- "$(printf '%q ' "$@")"
  else
    local i
    for ((i = 1; i <= runs; i++)); do /usr/bin/time -f "  wall %e s  user %U s  max RSS %M KB" "$@" >/dev/null; done
  fi
}

# The 1, 5 and 15 minute load averages (printed beside every figure: the machine may be shared).
load() { cut -d' ' -f1-3 /proc/loadavg; }

# bench_header: the date, cores, CPU, commit and load average, as the first lines of a benchmark's output.
bench_header() {
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cores: $(nproc)  cpu: $(bash bench/cpu.sh)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')  load average: $(load)"
}

# build_release <project...>: builds each project in Release, printing only errors.
build_release() {
  local p
  for p in "$@"; do
    dotnet build "$p" -c Release -nologo -v quiet 2>&1 | grep -E " error |[1-9][0-9]* Error\(s\)" || true
  done
}

# stream_tmp <name>: sets tmp to a new temporary directory for a streaming benchmark (in $TMPDIR or /tmp), removed at
# exit unless KEEP=1. Call it directly, not in $(...): the exit trap belongs to the calling shell.
stream_tmp() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  [ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
}
