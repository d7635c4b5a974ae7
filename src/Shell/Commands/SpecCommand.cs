using System.CommandLine;
using LanguageExt.Common;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>mixtures spec &lt;function&gt; data.csv ...</c>: evaluates one spec function of the sales model
/// (LogL, EStep, MStep, EM, Estimate) on given inputs and prints the result as JSON with full precision,
/// so a student's intermediate results can be checked one function at a time.
/// </summary>
public static class SpecCommand
{
    /// <summary>The five spec functions, in spec order.</summary>
    public static readonly string[] Functions = ["LogL", "EStep", "MStep", "EM", "Estimate"];

    /// <summary>Command-line values; null means "not given".</summary>
    public sealed record Settings(
        string Function, string File, string? Theta = null, string? Pi = null, string? Weights = null, int? K = null,
        ulong? Seed = null, int? Starts = null, double? Tol = null, int? MaxIter = null, string? Accelerate = null,
        string? Sep = null, bool DecimalComma = false);

    public static Command Build()
    {
        var function = new Argument<string>("function") { Description = "LogL, EStep, MStep, EM or Estimate (any case)." };
        var file = new Argument<string>("data") { Description = "Sales CSV (Price,Store1,...,StoreN; one row per week)." };
        var theta = new Option<string?>("--theta") { Description = "theta as JSON: K pairs [[alpha1,beta1],...] or the flat vector [alpha1,beta1,...,alphaK,betaK] (LogL, EStep; EM start)." };
        var pi = new Option<string?>("--pi") { Description = "pi as JSON: [pi1,...,piK], summing to 1 (LogL, EStep; EM start)." };
        var weights = new Option<string?>("--weights") { Description = "CSV of W: one row per store, one column per segment, rows summing to 1 (MStep; EM start)." };
        var k = new Option<int?>("--k") { Description = "Number of segments K (EM, Estimate)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the random start (EM) or master seed of the starts (Estimate); default 1." };
        var starts = new Option<int?>("--starts") { Description = $"Random starts (Estimate; split starts from K-1 are added); default {SalesModel.DefaultStarts}." };
        var tol = new Option<double?>("--tol") { Description = "Stop when max |W_new - W_old| < tol (EM, Estimate); default 1e-8." };
        var maxIter = new Option<int?>("--max-iter") { Description = "Maximum EM iterations (EM, Estimate); default 2000." };
        var accelerate = new Option<string?>("--accelerate") { Description = "none (plain EM, the spec's iteration) or squarem (EM, Estimate); default none for EM, squarem for Estimate." };
        var sep = new Option<string?>("--sep") { Description = "Separator of the data file: , ; tab or | (default: comma, or semicolon with --decimal-comma)." };
        var decimalComma = InputOptions.DecimalComma();
        var cmd = new Command("spec",
            "Evaluate one spec function of the sales model on a data file and print the result as JSON (full precision):\n" +
            "  LogL     --theta --pi            log-likelihood\n" +
            "  EStep    --theta --pi            N x K posterior probabilities W\n" +
            "  MStep    --weights W.csv         theta, pi from W\n" +
            "  EM       --k K [--seed S] | --theta --pi | --weights W0.csv   one EM run (M then E until max |dW| < tol)\n" +
            "  Estimate --k K [--starts N] [--seed S]                       best of several starts")
        {
            function, file, theta, pi, weights, k, seed, starts, tol, maxIter, accelerate, sep, decimalComma,
        };
        cmd.Options.Add(ThreadsOption.Create());
        cmd.SetAction(r => Run(new Settings(r.GetValue(function)!, r.GetValue(file)!, r.GetValue(theta), r.GetValue(pi), r.GetValue(weights),
            r.GetValue(k), r.GetValue(seed), r.GetValue(starts), r.GetValue(tol), r.GetValue(maxIter), r.GetValue(accelerate), r.GetValue(sep), r.GetValue(decimalComma))));
        return cmd;
    }

    public static int Run(Settings s) => Cli.Run(() =>
        from json in Evaluate(s)
        select Print(json));

    private static int Print(string json)
    {
        Console.Out.Write(json);
        return ExitCodes.Ok;
    }

    /// <summary>Reads the inputs, evaluates the function and returns the JSON text (or the one failure to report).</summary>
    public static LanguageExt.Fin<string> Evaluate(Settings s) =>
        from function in ParseFunction(s.Function)
        from _ in CheckOptions(function, s)
        from accelerate in s.Accelerate is null
            ? LanguageExt.Fin<Acceleration>.Succ(function == "Estimate" ? Acceleration.Squarem : Acceleration.None)
            : SearchOptions.ParseAccelerate(s.Accelerate)
        from sep in DataTableCsv.ParseSeparator(s.Sep)
        from input in SalesCsv.Read(s.File, DataTableCsv.Separator(sep), InputOptions.Numbers(s.DecimalComma))
        from output in Dispatch(function, s with { Accelerate = accelerate.Label() }, input)
        select Json.Serialize(output);

    private static LanguageExt.Fin<string> ParseFunction(string name) =>
        Functions.FirstOrDefault(f => f.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)) is { } f
            ? f
            : LanguageExt.Fin<string>.Fail(Failure.Usage($"unknown spec function '{name}' (use one of {string.Join(", ", Functions)})"));

    /// <summary>Every option the function needs is there and none it ignores was given (all problems at once).</summary>
    private static LanguageExt.Fin<LanguageExt.Unit> CheckOptions(string f, Settings s)
    {
        bool Given(object? o) => o is not null;
        var usesParams = f is "LogL" or "EStep" or "EM";
        var usesWeights = f is "MStep" or "EM";
        var usesK = f is "EM" or "Estimate";
        var usesRun = f is "EM" or "Estimate";
        var emStarts = new[] { Given(s.Theta) || Given(s.Pi), Given(s.Weights), Given(s.Seed) }.Count(x => x);
        return Cli.Check(
            (!(f is "LogL" or "EStep") || (Given(s.Theta) && Given(s.Pi)), $"{f} needs --theta and --pi"),
            (f != "MStep" || Given(s.Weights), "MStep needs --weights (a CSV of W, one row per store)"),
            (f != "Estimate" || Given(s.K), "Estimate needs --k"),
            (f != "EM" || Given(s.K) || Given(s.Theta) || Given(s.Weights), "EM needs --k (random start), --theta with --pi, or --weights (given start)"),
            (f != "EM" || emStarts <= 1, "EM starts from one of: --seed (random start), --theta with --pi, or --weights; give only one"),
            (f != "EM" || Given(s.Theta) == Given(s.Pi), "an EM start from parameters needs both --theta and --pi"),
            (usesParams || (!Given(s.Theta) && !Given(s.Pi)), $"{f} does not use --theta or --pi"),
            (usesWeights || !Given(s.Weights), $"{f} does not use --weights"),
            (usesK || !Given(s.K), $"{f} does not use --k (K is the length of theta, pi or the weights' rows)"),
            (f == "Estimate" || !Given(s.Starts), $"{f} does not use --starts"),
            (usesRun || (!Given(s.Seed) && !Given(s.Tol) && !Given(s.MaxIter) && !Given(s.Accelerate)), $"{f} does not use --seed, --tol, --max-iter or --accelerate"),
            (s.K is null || s.K >= 1, $"--k must be at least 1 (got {s.K})"),
            (s.Starts is null || s.Starts >= 1, $"--starts must be at least 1 (got {s.Starts})"),
            (s.Tol is null || (s.Tol > 0 && double.IsFinite(s.Tol.Value)), $"--tol must be positive (got {s.Tol})"),
            (s.MaxIter is null || s.MaxIter >= 1, $"--max-iter must be at least 1 (got {s.MaxIter})"));
    }

    private static LanguageExt.Fin<SpecOutput> Dispatch(string f, Settings s, SalesInput input)
    {
        var y = input.LogSales;
        var X = SalesModel.Design(input.Prices);
        var data = SpecData.From(input);
        var options = new EmOptions(s.Tol ?? EmOptions.Default.Tolerance, s.MaxIter ?? EmOptions.Default.MaxIterations,
            Accelerate: s.Accelerate == "squarem" ? Acceleration.Squarem : Acceleration.None);
        return f switch
        {
            "LogL" =>
                from p in Parameters(s)
                select new SpecOutput(f, data, new SpecInputsEcho(SpecOutput.Pairs(p.Theta), p.Pi.Pi.ToArray()), p.Theta.K,
                    LogL: SalesModel.LogL(p.Theta, p.Pi, y, X)),
            "EStep" =>
                from p in Parameters(s)
                select new SpecOutput(f, data, new SpecInputsEcho(SpecOutput.Pairs(p.Theta), p.Pi.Pi.ToArray()), p.Theta.K,
                    W: SpecOutput.Rows(SalesModel.EStep(p.Theta, p.Pi, y, X)), LogL: SalesModel.LogL(p.Theta, p.Pi, y, X),
                    Note: "W[i][k] = Pr[store i in segment k | data]; logL is at the given theta, pi"),
            "MStep" =>
                from W in SpecInputs.ReadWeights(s.Weights!, input.Stores)
                from m in SalesModel.MStep(y, X, W)
                select new SpecOutput(f, data, new SpecInputsEcho(Weights: Path.GetFileName(s.Weights)), W.ColumnCount,
                    Theta: SpecOutput.Pairs(m.theta), Pi: m.pi.Pi.ToArray(), LogL: SalesModel.LogL(m.theta, m.pi, y, X),
                    Note: "segments in the order of the weight columns; logL is at the new theta, pi"),
            "EM" => RunEM(s, input, y, X, options, data),
            _ =>
                from __ in KFits(s.K!.Value, input)
                from e in SalesModel.Estimate(s.K!.Value, y, X, s.Starts ?? SalesModel.DefaultStarts, s.Seed ?? 1, options)
                select new SpecOutput(f, data, new SpecInputsEcho(Starts: s.Starts ?? SalesModel.DefaultStarts, Seed: s.Seed ?? 1, Tol: options.Tolerance,
                        MaxIterations: options.MaxIterations, Algorithm: options.Accelerate.Label()),
                    e.K, SpecOutput.Pairs(e.Theta), e.Pi.Pi.ToArray(), e.LogLikelihood, Iterations: e.Best.Iterations, Converged: e.Best.Converged,
                    FreeParameters: e.FreeParameters, Observations: e.Observations, Bic: e.Bic, StartsAtBest: e.StartsAtBest,
                    Starts: e.Starts.Select(o => new SalesResultsStart(o.Start.ToString(), double.IsNaN(o.LogLikelihood) ? null : o.LogLikelihood, o.Iterations, o.Converged, o.ScreenedOut, o.Failure)).ToList(),
                    Note: $"best start: {e.WinningStart}; segments by ascending alpha; BIC = k ln(N T) - 2 logL with k = 3K - 1"),
        };
    }

    private static LanguageExt.Fin<SpecOutput> RunEM(Settings s, SalesInput input, Matrix<double> y, Matrix<double> X, EmOptions options, SpecData data)
    {
        LanguageExt.Fin<(SalesFit Fit, SpecInputsEcho Echo)> run;
        if (s.Theta is not null)
            run = from p in Parameters(s)
                  from __ in SameK(s.K, p.Theta.K, "--theta")
                  from fit in SalesModel.EM(p.Theta, p.Pi, y, X, options)
                  select (fit, new SpecInputsEcho(SpecOutput.Pairs(p.Theta), p.Pi.Pi.ToArray(), Tol: options.Tolerance, MaxIterations: options.MaxIterations, Algorithm: options.Accelerate.Label(), Start: "given theta, pi (W0 = EStep(theta, pi))"));
        else if (s.Weights is not null)
            run = from W0 in SpecInputs.ReadWeights(s.Weights, input.Stores)
                  from __ in SameK(s.K, W0.ColumnCount, "--weights")
                  from fit in SalesModel.EM(W0, y, X, options)
                  select (fit, new SpecInputsEcho(Weights: Path.GetFileName(s.Weights), Tol: options.Tolerance, MaxIterations: options.MaxIterations, Algorithm: options.Accelerate.Label(), Start: "given W0"));
        else
            run = from __ in KFits(s.K!.Value, input)
                  from fit in SalesModel.EM(s.K!.Value, y, X, options, s.Seed ?? 1)
                  select (fit, new SpecInputsEcho(Seed: s.Seed ?? 1, Tol: options.Tolerance, MaxIterations: options.MaxIterations, Algorithm: options.Accelerate.Label(), Start: "random partition of the stores from the seed"));
        return run.Map(r => new SpecOutput("EM", data, r.Echo, r.Fit.K, SpecOutput.Pairs(r.Fit.Theta), r.Fit.Pi.Pi.ToArray(), r.Fit.LogLikelihood,
            Iterations: r.Fit.Iterations, Converged: r.Fit.Converged, Trace: r.Fit.Trace.ToArray(),
            Note: "segments by ascending alpha; logL is at the final theta, pi; trace is logL after each iteration"));
    }

    private static LanguageExt.Fin<(Theta Theta, MixingWeights Pi)> Parameters(Settings s) =>
        from theta in SpecInputs.ParseTheta(s.Theta!)
        from pi in SpecInputs.ParsePi(s.Pi!)
        from _ in theta.K == pi.K
            ? LanguageExt.Fin<LanguageExt.Unit>.Succ(unit)
            : LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Usage($"--theta has {theta.K} segment(s) but --pi has {pi.K} weight(s)"))
        select (theta, pi);

    private static LanguageExt.Fin<LanguageExt.Unit> SameK(int? k, int given, string option) =>
        k is null || k == given
            ? LanguageExt.Fin<LanguageExt.Unit>.Succ(unit)
            : LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Usage($"--k is {k} but {option} has {given} segment(s)"));

    private static LanguageExt.Fin<LanguageExt.Unit> KFits(int k, SalesInput input) =>
        k <= input.Stores
            ? LanguageExt.Fin<LanguageExt.Unit>.Succ(unit)
            : LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Data($"{input.File}: {input.Stores} store(s) but K = {k} segments requested (K cannot exceed the number of stores)"));
}
