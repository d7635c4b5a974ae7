// Gaussian mixture benchmark: EM iterations of the Gaussian family (full covariance) on simulated rows.
//   dotnet run --project bench/GaussianBench -c Release -- [--rows 1000000] [--dims 6] [--components 5]
//       [--iterations 20] [--runs 3] [--seed 1] [--covariance full] [--save data.f64] [--phases] [--warmup-seconds 2]
//       [--threads N (all cores)] [--accelerate none|squarem|anderson (none)]
// Data: K well-spread Gaussians in d dimensions (random means, correlated covariances), simulated in
// memory straight into the column-major n x d array GaussianData keeps (no copy). Timed: one EM run of
// exactly --iterations iterations (tolerance 0, so it never stops early) from random responsibilities,
// i.e. per iteration the M-step (weighted means and scatter, Cholesky), pi, the log-densities and the
// generic E-step, in the single-buffer loop of the log-likelihood stop rule (--accelerate squarem or anderson: that
// loop's iterations are its M-steps, each SQUAREM cycle adding the E-steps of its extrapolated points, and the
// figures are per M-step). The figure is iterations 2 to
// --iterations (from the end of the first to the end of the last, as the loop's progress reports tell them):
// the first iteration's M-step starts from the random responsibilities alone (two passes over the data, where
// every later M-step takes the moments the previous sweep summed), which is the start, as scikit-learn's side
// (bench/gaussian_sklearn_bench.py) times its iterations after an untimed fit with max_iter=1; the whole run's
// figure, that M-step included, is printed beside it. --runs times after
// warm-up runs that repeat until they have taken --warmup-seconds (2) in all, so that the tiered JIT has compiled the
// hot methods (the runtime's exp and log among them) at full optimisation before the timed runs (with one short
// warm-up run the first timed run was often half again as slow as the rest). Prints ms per iteration (median), the final log-likelihood and a checksum of the means
// (to compare runs with different thread counts), and the peak working set (VmHWM) against the size
// of the data matrix. --save writes the data as raw little-endian float64, column-major, for the
// scikit-learn side of bench/gaussian_bench.sh.
using Mixtures.Domain;
using System.Diagnostics;
using MathNet.Numerics.Distributions;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;

var n = Arg("--rows", 1_000_000);
var d = Arg("--dims", 6);
var K = Arg("--components", 5);
var iterations = Arg("--iterations", 20);
var runs = Arg("--runs", 3);
var seed = (ulong)Arg("--seed", 1);
var type = CovarianceTypes.Parse(Str("--covariance", "full")) ?? throw new ArgumentException("bad --covariance");
var threads = Arg("--threads", Parallelism.Threads);
var accelerate = Str("--accelerate", "none") switch
{
    "none" => Acceleration.None,
    "squarem" => Acceleration.Squarem,
    "anderson" => Acceleration.Anderson,
    var other => throw new ArgumentException($"--accelerate takes none, squarem or anderson, not '{other}'")
};
var dataBytes = (long)n * d * sizeof(double);

Console.WriteLine($"gaussian mixture EM: n = {n:N0}, d = {d}, K = {K}, covariance {type.Name()}, {iterations} iterations, " +
                  $"{Environment.ProcessorCount} cores ({threads} threads), .NET {Environment.Version}, " +
                  $"{(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512 in use" : "no AVX-512 in use")}, data matrix {dataBytes / 1e6:F0} MB");
var baseline = PeakWorkingSet();
var sw = Stopwatch.StartNew();
var x = Simulate(n, d, K, seed);
Console.WriteLine($"simulate: {sw.Elapsed.TotalSeconds:F2} s");
if (Str("--save", "") is { Length: > 0 } save)
{
    using var f = File.Create(save);
    f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()));
    Console.WriteLine($"saved {save}");
}
var data = GaussianData.FromColumnMajor(n, d, x).Value();
var family = new GaussianFamily(type, GaussianFamily.DefaultRegCovar, GaussianInit.Random);
var options = new EmOptions(0.0, iterations, 0.0, StopRule.LogLikelihoodChange, accelerate);

var proc = Process.GetCurrentProcess();
double Cpu() { proc.Refresh(); return proc.TotalProcessorTime.TotalSeconds; }

if (args.Contains("--phases"))
{
    var W = family.RandomResponsibilities(data, K, Seeds.Generator(seed));
    var w = W.AsColumnMajorArray();
    var comps = family.Fit(data, W).Value();
    var L = new double[n * K];
    var logPi = Enumerable.Repeat(Math.Log(1.0 / K), K).ToArray();
    void Phase(string name, Action a)
    {
        a();
        var c0 = Cpu(); var w0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < 5; i++) a();
        Console.WriteLine($"  {name}: {1000 * (Cpu() - c0) / 5:F1} ms CPU, {Stopwatch.GetElapsedTime(w0).TotalMilliseconds / 5:F1} ms wall per call");
    }
    Phase("M-step from responsibilities alone (GaussianFamily.Fit: moments, then the scatter about the new means, Cholesky)", () => family.Fit(data, W));
    Phase("M-step of an EM iteration (GaussianFamily.Fit centred at the current means: one sweep, Cholesky)", () => family.Fit(data, w, K, comps));
    Phase("pi (MixingWeights.FromColumnMeans)", () => MixingWeights.FromColumnMeans(W));
    Phase("log-densities (forward substitution)", () => family.LogDensities(data, comps, L));
    Phase("E-step (EmLoop.EStepInto, in place)", () => EmLoop.EStepInto(L, logPi, n, K, L));
    GC.KeepAlive(w);
}

if (iterations < 2) throw new ArgumentException("--iterations must be at least 2: the first iteration is not timed");
var times = new List<double>();
var cpus = new List<double>();
var wholeTimes = new List<double>();
var wholeCpus = new List<double>();
long afterFirstRun = 0;
EmFit<GaussianComponents>? fit = null;
var warmupSeconds = Arg("--warmup-seconds", 2);
var warmed = 0.0;
var warmups = 0;
for (var r = 0; r <= runs; r++)
{
    // W0 is built outside the timing and handed over to the loop (its only n x K buffer)
    var W0 = family.RandomResponsibilities(data, K, Seeds.Generator(Seeds.Derive(seed, (ulong)K, 0)));
    var buffer = W0.AsColumnMajorArray();
    W0 = null;
    // the clock and CPU time at the end of the first iteration and of the last, told by the loop's progress report
    // (made at an EM run's first iteration, at its last and every 100 ms between, on the calling thread; the others
    // are not used)
    var (firstWall, firstCpu, lastWall, lastCpu) = (0L, 0.0, 0L, 0.0);
    var timed = options with
    {
        Progress = p =>
        {
            if (p.Iteration == 1) (firstWall, firstCpu) = (Stopwatch.GetTimestamp(), Cpu());
            else if (p.Iteration == iterations) (lastWall, lastCpu) = (Stopwatch.GetTimestamp(), Cpu());
        }
    };
    var cpu0 = Cpu();
    sw.Restart();
    var runBuffer = buffer;
    fit = Parallelism.WithThreads(threads, () => EmLoop.RunInPlace(family, data, runBuffer, n, K, timed, new StartInfo(StartKind.Random, 0)).Value());
    var whole = sw.Elapsed.TotalMilliseconds;
    var wholeCpu = (Cpu() - cpu0) * 1000;
    if (fit.Iterations != iterations) throw new InvalidOperationException($"ran {fit.Iterations} iterations");
    if (firstWall == 0 || lastWall == 0) throw new InvalidOperationException("the EM run did not report its first and last iterations");
    var wall = Stopwatch.GetElapsedTime(firstWall, lastWall).TotalMilliseconds / (iterations - 1);
    var cpu = (lastCpu - firstCpu) * 1000 / (iterations - 1);
    Console.WriteLine($"{(r == 0 ? $"warm-up {++warmups}" : $"run {r}")}: {wall:F1} ms per iteration wall, {cpu:F1} ms CPU " +
                      $"(iterations 2 to {iterations}; the whole run {whole / iterations:F1} ms per iteration wall)");
    if (r > 0) { times.Add(wall); cpus.Add(cpu); wholeTimes.Add(whole / iterations); wholeCpus.Add(wholeCpu / iterations); }
    if (r == 0 && warmups == 1) afterFirstRun = PeakWorkingSet();
    fit = r == runs ? fit : null;
    // the previous run's buffer is garbage now: collect it so runs do not pile up (outside the timing)
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    if (r == 0 && (warmed += whole / 1000) < warmupSeconds) r = -1;
}
times.Sort();
cpus.Sort();
wholeTimes.Sort();
wholeCpus.Sort();
var means = fit!.Mixture.Components.Means;
var checksum = means.Select((m, i) => m * (i + 1)).Sum();
var hwm = afterFirstRun;
Console.WriteLine($"whole runs (with the start's M-step from W0, which scikit-learn's side does not time): " +
                  $"{wholeTimes[wholeTimes.Count / 2]:F1} ms per iteration wall ({wholeCpus[wholeCpus.Count / 2]:F1} ms CPU), median");
Console.WriteLine($"median: {times[times.Count / 2]:F1} ms per iteration wall ({cpus[cpus.Count / 2]:F1} ms CPU), iterations 2 to {iterations}");
Console.WriteLine($"log L after {iterations} iterations: {fit.LogLikelihood:R}  means checksum: {checksum:R}");
Console.WriteLine($"peak working set (VmHWM) through data simulation and the first EM run: {hwm / 1e6:F0} MB = {(double)hwm / dataBytes:F2} x the data matrix ({dataBytes / 1e6:F0} MB); " +
                  $"the runtime before the data: {baseline / 1e6:F0} MB" + (args.Contains("--phases") ? " (--phases allocates extra buffers: measure without it)" : ""));

static double[] Simulate(int n, int d, int K, ulong seed)
{
    var rng = Seeds.Generator(Seeds.Derive(seed, 1));
    var means = new double[K, d];
    var factors = new double[K, d, d];
    for (var k = 0; k < K; k++)
    for (var a = 0; a < d; a++)
    {
        means[k, a] = 6 * (rng.NextDouble() - 0.5);
        for (var b = 0; b <= a; b++) factors[k, a, b] = a == b ? 0.5 + rng.NextDouble() : 0.6 * (rng.NextDouble() - 0.5);
    }
    var x = new double[(long)n * d];
    // chunks of rows from their own streams, so the data do not depend on the thread count
    const int chunk = 65536;
    Parallel.For(0, (n + chunk - 1) / chunk, c =>
    {
        var g = Seeds.Generator(Seeds.Derive(seed, 2, (ulong)c));
        var z = new double[d];
        for (var i = c * chunk; i < Math.Min(n, (c + 1) * chunk); i++)
        {
            var k = g.Next(K);
            for (var a = 0; a < d; a++) z[a] = Normal.Sample(g, 0, 1);
            for (var a = 0; a < d; a++)
            {
                var v = means[k, a];
                for (var b = 0; b <= a; b++) v += factors[k, a, b] * z[b];
                x[(long)a * n + i] = v;
            }
        }
    });
    return x;
}

static long PeakWorkingSet()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    return Process.GetCurrentProcess().PeakWorkingSet64;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}

string Str(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
