#!/usr/bin/env bash
# Prints the CPU as the benchmarks' headers give it: the model name, the family and model numbers, and for AMD the
# core generation they mean (Zen 4 runs a 512-bit vector operation as two 256-bit halves; EPYC Zen 5 in one, so the
# AVX-512 kernels' speed differs by up to 2x between the two on the same "AMD EPYC" machine kind; bench/README.md).
# Family 26 is read as Zen 5 (a later generation may share the number). "AVX-512" is the hardware's flag: whether the
# runtime uses it (not with DOTNET_EnableAVX512F=0) is printed by gaussian-bench's first line.
name=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
family=$(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
model=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
vendor=$(grep -m1 'vendor_id' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
gen=""
if [ "$vendor" = AuthenticAMD ]; then
  case "$family" in
    23) gen="Zen 1/2" ;;
    25) if [ "$model" -ge 16 ] 2>/dev/null && [ "$model" -le 31 ] || [ "$model" -ge 96 ] 2>/dev/null; then gen="Zen 4"; else gen="Zen 3"; fi ;;
    26) gen="Zen 5" ;;
  esac
fi
avx512=$(grep -qm1 ' avx512f' /proc/cpuinfo && echo "AVX-512" || echo "no AVX-512")
echo "$name (family $family model $model${gen:+, $gen}, $avx512)"
