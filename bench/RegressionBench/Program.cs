// Latent class regression benchmark: EM iterations of the regression family on simulated rows (or, with --sales, on
// a simulated sales panel).
//   dotnet run --project bench/RegressionBench -c Release -- [--rows 1000000] [--iterations 100] [--runs 5] [--seed 1]
//       [--accelerate squarem|none] [--phases] [--warmup-seconds 2] [--threads N (all cores)]
//   ... -- --sales [--stores 100000] [--weeks 104] [--segments 4] [--k 4] [--iterations 50] [--accelerate none|squarem]
// Rows: the worked example's truth (p = 3: intercept, x1, x2; K = 3), simulated in memory. Timed: one EM run of
// exactly --iterations iterations (tolerance 0, no minimum prior) from a random partition (made before the timer, as
// LatentClassRegression.EM's first start: the same run), i.e. the
// M-step (weighted least squares on the rows' sufficient statistics + ML variances), the log-densities
// and the E-step (one fused sweep per E-step for single rows and the panel), --runs times after warm-up runs (wall
// and process CPU time; --phases first times each part of an iteration separately); the data set is built (sufficient
// statistics) once and timed separately. Prints every run, the median and the final log-likelihood. The warm-up runs
// repeat until they have taken --warmup-seconds (2) in all, so that the runtime's tiered JIT has compiled the hot
// methods (its own exp and log among them) at full optimisation before the timed runs: with a single short warm-up the
// first timed run was often half again as slow as the rest.
// Sales (--sales): --stores x --weeks log sales from a random truth of --segments segments (SalesSimulator), the
// per-store statistics built once; timed as above with K = --k and the sales model's stopping measure
// max |W_new - W_old| (tolerance 0, so every iteration runs). --accelerate none times plain EM iterations (what the
// NumPy and flexmix comparisons run); squarem (the default for rows, as the estimation pipeline) counts M-steps.
using System.Diagnostics;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

var sales = args.Contains("--sales");
var rows = Arg("--rows", 1_000_000);
var iterations = Arg("--iterations", sales ? 50 : 100);
var runs = Arg("--runs", 5);
var seed = (ulong)Arg("--seed", 1);
var accelerate = Text("--accelerate", sales ? "none" : "squarem") switch
{
    "none" => Acceleration.None,
    "squarem" => Acceleration.Squarem,
    var a => throw new ArgumentException($"--accelerate {a}: none or squarem"),
};

var proc = Process.GetCurrentProcess();
double Cpu() { proc.Refresh(); return proc.TotalProcessorTime.TotalSeconds; }
var sw = Stopwatch.StartNew();

RegressionData data;
RegressionFamily family;
int K;
if (sales)
{
    var stores = Arg("--stores", 100_000);
    var weeks = Arg("--weeks", 104);
    var segments = Arg("--segments", 4);
    K = Arg("--k", 4);
    Console.WriteLine($"sales model EM: {stores:N0} stores x {weeks} weeks, {segments} true segments, K = {K}, {iterations} iterations " +
                      $"({accelerate.Label()}), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    var sample = SalesSimulator.Simulate(SalesSimulator.RandomTruth(segments, seed), stores, weeks, seed);
    Console.WriteLine($"simulate: {sw.Elapsed.TotalSeconds:F2} s");
    sw.Restart();
    data = SalesModel.Data(sample.Sales.Map(Math.Log), SalesModel.Design(sample.Prices));
    Console.WriteLine($"per-store statistics (RegressionData.Panel): {sw.Elapsed.TotalSeconds:F2} s");
    family = SalesModel.Family;
}
else
{
    K = 3;
    Console.WriteLine($"latent class regression EM: n = {rows:N0} rows, p = 3, K = 3, {iterations} iterations ({accelerate.Label()}), " +
                      $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
    var sample = RegressionSimulator.Simulate(RegressionTruth.Example, rows, seed);
    Console.WriteLine($"simulate: {sw.Elapsed.TotalSeconds:F2} s");
    sw.Restart();
    data = LatentClassRegression.Data(sample.Y, sample.Design);
    Console.WriteLine($"sufficient statistics (RegressionData.FromRows): {sw.Elapsed.TotalSeconds:F2} s");
    family = LatentClassRegression.Family(VarianceModel.PerClass);
}
var n = data.Units;

if (args.Contains("--phases"))
{
    // CPU time of each part of an iteration, 20 calls each, on a fixed random partition
    var W = family.RandomResponsibilities(data, K, Mixtures.Domain.Random.Seeds.Generator(seed));
    var Wa = W.ToColumnMajorArray();
    var comps = family.Fit(data, W).Value();
    var L = new double[n * K];
    var Wn = new double[n * K];
    var logPi = MixingWeights.Normalised(Enumerable.Range(1, K).Select(k => (double)k)).LogPi();
    void Phase(string name, Action a)
    {
        a();
        var c0 = Cpu(); var w0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < 20; i++) a();
        Console.WriteLine($"  {name}: {1000 * (Cpu() - c0) / 20:F2} ms CPU, {Stopwatch.GetElapsedTime(w0).TotalMilliseconds / 20:F2} ms wall per call");
    }
    Console.WriteLine("unfused iteration:");
    Phase("M-step (family.Fit)", () => family.Fit(data, Wa, K));
    Phase("pi (MixingWeights.FromColumnMeans)", () => MixingWeights.FromColumnMeans(Wa, n, K));
    Phase("log-densities", () => family.LogDensities(data, comps, L));
    Phase("E-step with max |dW| (EmLoop.EStepInto)", () => EmLoop.EStepInto(L, logPi, n, K, Wn, Wa, out _));
    if (family.FusedStatistics(data, K) is > 0 and var length)
    {
        Console.WriteLine("fused iteration:");
        var stats = new double[length];
        Phase("sweep with max |dW| (family.FusedStep)", () => family.FusedStep(data, comps, logPi, n, K, Wn, Wa, out _, stats));
        Phase("M-step from the sums (family.FitStatistics)", () => family.FitStatistics(data, stats, K));
        Phase("pi (MixingWeights.FromColumnMeans)", () => MixingWeights.FromColumnMeans(Wn, n, K));
    }
}

var options = new EmOptions(Tolerance: 0, MaxIterations: iterations, Accelerate: accelerate,
    NewtonAfter: accelerate == Acceleration.Squarem ? EmOptions.DefaultNewtonAfter : 0);
var W0 = family.RandomResponsibilities(data, K, Mixtures.Domain.Random.Seeds.Generator(seed));
var settings = new RegressionSettings(VarianceModel.PerClass, Seed: seed, Tolerance: 0, MaxIterations: iterations, MinPrior: 0, Accelerate: accelerate);
// Rows: LatentClassRegression.EM's first start (the same kind and seed, so the same run), made once outside the timer,
// as the NumPy bench builds its W0 before timing (a random partition of 1M rows takes about 0.1 s).
var rowKind = family.StartKinds[0];
var rowStart = sales ? null : Estimation.MakeStart(family, data, 3, rowKind, Mixtures.Domain.Random.Seeds.Generator(Mixtures.Domain.Random.Seeds.Derive(seed, 3, 0)));
var times = new List<double>();
double logL = double.NaN;
var warmupSeconds = Arg("--warmup-seconds", 2);
var threads = Arg("--threads", Parallelism.Threads);
var warmed = 0.0;
var warmups = 0;
for (var r = 0; r <= runs; r++)
{
    var cpu0 = Cpu();
    sw.Restart();
    var fit = Parallelism.WithThreads(threads, () => sales
        ? EmLoop.Run(family, data, W0, options, new StartInfo(StartKind.RandomPartition, 0)).Value()
        : EmLoop.Run(family, data, rowStart!, settings.EmOptions, new StartInfo(rowKind, 0)).Value());
    var t = sw.Elapsed.TotalSeconds;
    var cpu = Cpu() - cpu0;
    if (fit.Iterations != iterations) throw new InvalidOperationException($"ran {fit.Iterations} iterations");
    logL = fit.LogLikelihood;
    Console.WriteLine($"{(r == 0 ? $"warm-up {++warmups}" : $"run {r}")}: {t:F3} s wall, {cpu:F3} s CPU ({1000 * t / iterations:F2} ms per iteration)");
    if (r > 0) times.Add(t);
    else if ((warmed += t) < warmupSeconds) r = -1;
}
times.Sort();
var median = times[times.Count / 2];
Console.WriteLine($"median of {runs}: {median:F3} s for {iterations} iterations ({1000 * median / iterations:F3} ms per iteration); final log L = {logL:R}");

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}

string Text(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
