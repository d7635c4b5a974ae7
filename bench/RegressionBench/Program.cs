// Latent class regression benchmark: EM iterations of the regression family on simulated rows.
//   dotnet run --project bench/RegressionBench -c Release -- [--rows 1000000] [--iterations 100] [--runs 5] [--seed 1]
// Data: the worked example's truth (p = 3: intercept, x1, x2; K = 3), simulated in memory. Timed: one EM run of
// exactly --iterations iterations (tolerance 0, no minimum prior) from a random partition, i.e. the
// M-step (weighted least squares on the rows' sufficient statistics + ML variances), the log-densities
// and the generic E-step, --runs times after one warm-up run (wall and process CPU time; --phases first
// times each part of an iteration separately); the data set is built (sufficient
// statistics) once and timed separately. Prints every run, the median and the final log-likelihood.
using System.Diagnostics;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

var rows = Arg("--rows", 1_000_000);
var iterations = Arg("--iterations", 100);
var runs = Arg("--runs", 5);
var seed = (ulong)Arg("--seed", 1);

Console.WriteLine($"latent class regression EM: n = {rows:N0} rows, p = 3, K = 3, {iterations} iterations, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
var sw = Stopwatch.StartNew();
var sample = RegressionSimulator.Simulate(RegressionTruth.Example, rows, seed);
var X = sample.Design;
Console.WriteLine($"simulate: {sw.Elapsed.TotalSeconds:F2} s");
sw.Restart();
var data = LatentClassRegression.Data(sample.Y, X);
Console.WriteLine($"sufficient statistics (RegressionData.FromRows): {sw.Elapsed.TotalSeconds:F2} s");

var proc = Process.GetCurrentProcess();
double Cpu() { proc.Refresh(); return proc.TotalProcessorTime.TotalSeconds; }

if (args.Contains("--phases"))
{
    // CPU time of each part of an iteration, 20 calls each, on a fixed random partition
    var family = LatentClassRegression.Family(VarianceModel.PerClass);
    var W = family.RandomResponsibilities(data, 3, Mixtures.Domain.Random.Seeds.Generator(seed));
    var comps = family.Fit(data, W).Value();
    var L = new double[rows * 3];
    var Wn = new double[rows * 3];
    var logPi = new[] { Math.Log(0.3), Math.Log(0.3), Math.Log(0.4) };
    void Phase(string name, Action a)
    {
        a();
        var c0 = Cpu(); var w0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < 20; i++) a();
        Console.WriteLine($"  {name}: {1000 * (Cpu() - c0) / 20:F1} ms CPU, {Stopwatch.GetElapsedTime(w0).TotalMilliseconds / 20:F1} ms wall per call");
    }
    Phase("M-step (family.Fit)", () => family.Fit(data, W));
    Phase("pi (MixingWeights.FromColumnMeans)", () => Mixtures.Domain.Model.MixingWeights.FromColumnMeans(W));
    Phase("log-densities", () => family.LogDensities(data, comps, L));
    Phase("E-step (EmLoop.EStepInto)", () => EmLoop.EStepInto(L, logPi, rows, 3, Wn));
}

var settings = new RegressionSettings(VarianceModel.PerClass, Seed: seed, Tolerance: 0, MaxIterations: iterations, MinPrior: 0);
var times = new List<double>();
double logL = double.NaN;
for (var r = 0; r <= runs; r++)
{
    var cpu0 = Cpu();
    sw.Restart();
    var fit = LatentClassRegression.EM(3, data, settings).Value();
    var t = sw.Elapsed.TotalSeconds;
    var cpu = Cpu() - cpu0;
    if (fit.Iterations != iterations) throw new InvalidOperationException($"ran {fit.Iterations} iterations");
    logL = fit.LogLikelihood;
    Console.WriteLine($"{(r == 0 ? "warm-up" : $"run {r}")}: {t:F3} s wall, {cpu:F3} s CPU ({1000 * t / iterations:F2} ms per iteration)");
    if (r > 0) times.Add(t);
}
times.Sort();
var median = times[times.Count / 2];
Console.WriteLine($"median of {runs}: {median:F3} s for {iterations} iterations ({1000 * median / iterations:F2} ms per iteration); final log L = {logL:R}");

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
