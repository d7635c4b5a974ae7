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
