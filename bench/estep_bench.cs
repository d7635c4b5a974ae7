// The shared E-step alone (bench/README.md, "The shared E-step"): EmLoop.EStepInto in place on n x K log-densities
// drawn uniformly in [-50, -20], best of many calls, in ns per row, on one thread (Parallelism.WithThreads(1)), at
// n = 32,768 (the buffers stay in cache) and n = 1,000,000, K = 3 and 5. A file-based program:
//   dotnet run bench/estep_bench.cs -c Release
// Build it at two commits to compare them (the figures move by 10-20% from run to run on a shared machine: take the
// best of a few alternated runs).
#:project ../src/Domain/Domain.csproj
using System.Diagnostics;
using Mixtures.Domain.Em;

foreach (var n in new[] { 32768, 1_000_000 })
foreach (var K in new[] { 3, 5 })
{
    var rng = new Random(1);
    var L0 = new double[n * K];
    for (var i = 0; i < L0.Length; i++) L0[i] = -rng.NextDouble() * 30 - 20;
    var logPi = Enumerable.Repeat(Math.Log(1.0 / K), K).ToArray();
    var L = new double[n * K];
    var best = double.MaxValue;
    var reps = n < 100_000 ? 2000 : 40;
    for (var rep = 0; rep < reps; rep++)
    {
        Array.Copy(L0, L, L.Length);
        var sw = Stopwatch.StartNew();
        Parallelism.WithThreads(1, () => EmLoop.EStepInto(L, logPi, n, K, L));
        best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"n = {n,9:N0}, K = {K}: E-step in place, one thread, best of {reps}: {best * 1e6 / n:F2} ns per row");
}
