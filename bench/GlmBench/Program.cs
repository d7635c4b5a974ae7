// Poisson mixture benchmark: EM iterations of the GLM family on simulated rows.
//   dotnet run --project bench/GlmBench -c Release -- [--rows 1000000] [--iterations 20] [--runs 3] [--seed 7] [--phases] [--csv file]
// Data: log mu = x'beta_c, x = (1, x1, x2) with x1, x2 ~ N(0, 1) (p = 3), K = 3 classes, beta = (1, 0.5, -0.3),
// (2, -0.4, 0.2), (0.2, 0.3, 0.6), pi = (0.4, 0.35, 0.25), simulated in memory (GlmSimulator). Timed: one plain EM run of
// exactly --iterations iterations (tolerance 0, no minimum prior, no acceleration) from a random partition: per
// iteration the M-step (weighted IRLS for every class to its stop rule, warm-started from R glm's mu = y + 0.1 as
// flexmix's glm.fit is), the log-densities and the generic E-step; --runs times after one warm-up run.
// --phases times the parts of an iteration; --csv writes the rows (y, x1, x2) for bench/glm_flexmix_bench.R.
using System.Diagnostics;
using System.Globalization;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

var rows = Arg("--rows", 1_000_000);
var iterations = Arg("--iterations", 20);
var runs = Arg("--runs", 3);
var seed = (ulong)Arg("--seed", 7);
var truth = new GlmTruth(GlmResponse.Poisson, GlmComponents.Of([1.0, 0.5, -0.3], [2.0, -0.4, 0.2], [0.2, 0.3, 0.6]), MixingWeights.Of([0.4, 0.35, 0.25]));

Console.WriteLine($"Poisson mixture EM: n = {rows:N0} rows, p = 3, K = 3, {iterations} iterations, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
var sw = Stopwatch.StartNew();
var sample = GlmSimulator.Simulate(truth, rows, seed);
var data = GlmData.Of(GlmResponse.Poisson, sample.Y, LatentClassRegression.Design(sample.Covariates)).Value();
Console.WriteLine($"simulate and check: {sw.Elapsed.TotalSeconds:F2} s");
var csvAt = Array.IndexOf(args, "--csv");
if (csvAt >= 0)
{
    using var w = new StreamWriter(args[csvAt + 1]) { NewLine = "\n" };
    w.WriteLine("y,x1,x2");
    for (var i = 0; i < rows; i++)
        w.WriteLine(string.Join(",", sample.Y[i].ToString("R", CultureInfo.InvariantCulture),
            sample.Covariates[i, 0].ToString("R", CultureInfo.InvariantCulture), sample.Covariates[i, 1].ToString("R", CultureInfo.InvariantCulture)));
    Console.WriteLine($"wrote {args[csvAt + 1]}");
}

var proc = Process.GetCurrentProcess();
double Cpu() { proc.Refresh(); return proc.TotalProcessorTime.TotalSeconds; }
var family = GlmRegression.Family;

if (args.Contains("--phases"))
{
    var W = family.RandomResponsibilities(data, 3, Mixtures.Domain.Random.Seeds.Generator(seed));
    var Wa = W.ToColumnMajorArray();
    var comps = family.Fit(data, Wa, 3).Value();
    var L = new double[rows * 3];
    var Wn = new double[rows * 3];
    var logPi = new[] { Math.Log(0.3), Math.Log(0.3), Math.Log(0.4) };
    void Phase(string name, Action a)
    {
        a();
        var c0 = Cpu(); var w0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < 5; i++) a();
        Console.WriteLine($"  {name}: {1000 * (Cpu() - c0) / 5:F1} ms CPU, {Stopwatch.GetElapsedTime(w0).TotalMilliseconds / 5:F1} ms wall per call");
    }
    Phase("M-step (family.Fit: weighted IRLS, 3 classes)", () => family.Fit(data, Wa, 3));
    Phase("log-densities", () => family.LogDensities(data, comps, L));
    Phase("E-step (EmLoop.EStepInto)", () => EmLoop.EStepInto(L, logPi, rows, 3, Wn));
}

var settings = new GlmSettings(Seed: seed, Tolerance: 0, MaxIterations: iterations, MinPrior: 0, Accelerate: Acceleration.None);
var times = new List<double>();
var logL = double.NaN;
for (var r = 0; r <= runs; r++)
{
    var cpu0 = Cpu();
    sw.Restart();
    var fit = GlmRegression.EM(3, data, settings).Value();
    var t = sw.Elapsed.TotalSeconds;
    var cpu = Cpu() - cpu0;
    if (fit.Iterations != iterations) throw new InvalidOperationException($"ran {fit.Iterations} iterations");
    logL = fit.LogLikelihood;
    Console.WriteLine($"{(r == 0 ? "warm-up" : $"run {r}")}: {t:F3} s wall, {cpu:F3} s CPU ({1000 * t / iterations:F1} ms per iteration)");
    if (r > 0) times.Add(t);
}
times.Sort();
var median = times[times.Count / 2];
Console.WriteLine($"median of {runs}: {median:F3} s for {iterations} iterations ({1000 * median / iterations:F1} ms per iteration); final log L = {logL:R}");

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
