using System.CommandLine;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;
using Mixtures.Shell.Output;

namespace Mixtures.Shell.Commands;

/// <summary><c>mixtures simulate regression</c>: the worked example's latent class regression data.</summary>
public static class SimulateRegressionCommand
{
    public sealed record Settings(int Rows, int RowsPerGroup, ulong Seed, string Out, bool Quiet, string Family = "gaussian", int? Trials = null);

    public static Command Build()
    {
        var rows = new Option<int>("--rows") { Description = "Number of rows n.", DefaultValueFactory = _ => RegressionTruth.ExampleRows };
        var perGroup = new Option<int>("--rows-per-group") { Description = "Rows sharing one class (adds a group column when above 1).", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every draw (classes, covariates, noise).", DefaultValueFactory = _ => RegressionTruth.ExampleSeed };
        var output = new Option<string>("--out") { Description = "Output CSV: y, x1, x2, [group], true_class.", Required = true };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the truth." };
        var family = new Option<string>("--family") { Description = "gaussian (the worked example), poisson or binomial (see the command's description).", DefaultValueFactory = _ => "gaussian" };
        var trials = new Option<int?>("--trials") { Description = "With --family binomial: trials per row (default 10; 1 gives 0/1 responses). Written as the column trials." };
        var cmd = new Command("regression",
            "Simulate the worked example: x1, x2 ~ N(0,1); class ~ (0.45, 0.35, 0.20); y = x'beta_c + N(0, sigma_c^2) with " +
            "beta = [5,2,0], [3,-1,2.5], [1.5,0,-2] and sigma = 1, 1.3, 0.8. With --family poisson: x1 ~ N(0,1), class ~ (0.6, 0.4), " +
            "y ~ Poisson(exp(x'beta_c)), beta = [1,0.5], [2.5,-0.5]; with --family binomial: class ~ (0.5, 0.5), y ~ Binomial(trials, p_c), " +
            "logit p_c = x'beta_c, beta = [-1,1.5], [1,-0.5].")
        {
            rows, perGroup, seed, output, quiet, family, trials,
        };
        cmd.SetAction(r => Run(new Settings(r.GetValue(rows), r.GetValue(perGroup), r.GetValue(seed), r.GetValue(output)!, r.GetValue(quiet),
            r.GetValue(family)!, r.GetValue(trials))));
        return cmd;
    }

    public static int Run(Settings s) => Cli.Run(() =>
        from family in RegressCommand.ParseFamily(s.Family)
        from code in family.Match(Some: f => RunGlm(s, f), None: () => RunGaussian(s))
        select code);

    private static LanguageExt.Fin<int> RunGlm(Settings s, Mixtures.Domain.Regression.GlmResponse response) =>
        from _ in Cli.Check(
            (s.Rows >= 1, $"--rows must be at least 1 (got {s.Rows})"),
            (s.RowsPerGroup >= 1, $"--rows-per-group must be at least 1 (got {s.RowsPerGroup})"),
            (s.Trials is null || response == Mixtures.Domain.Regression.GlmResponse.Binomial, "--trials is for --family binomial"),
            (s.Trials is null || s.Trials >= 1, $"--trials must be at least 1 (got {s.Trials})"),
            SimulateCommand.RowsCheck("--rows", s.Rows))
        from _o in Outputs.Check([], [Outputs.To("--out", s.Out)])
        let truth = response == Mixtures.Domain.Regression.GlmResponse.Poisson ? GlmTruth.PoissonExample : GlmTruth.BinomialExample(s.Trials ?? 10)
        let sample = GlmSimulator.Simulate(truth, s.Rows, s.Seed, s.RowsPerGroup)
        from __ in Outputs.Commit([new PendingFile(s.Out, st => RegressionCsvWriters.Sample(st, sample))])
        select DoneGlm(s, sample);

    private static int DoneGlm(Settings s, GlmSample sample)
    {
        if (!s.Quiet)
            Console.WriteLine($"wrote {s.Out} ({sample.Rows} rows{(s.RowsPerGroup > 1 ? $" in groups of {s.RowsPerGroup}" : "")}, seed {s.Seed}); " +
                              $"truth: {sample.Truth.Response.Name()}{(sample.Truth.Response == Mixtures.Domain.Regression.GlmResponse.Binomial ? $" with {sample.Truth.Trials} trials" : "")}, " +
                              $"{sample.Truth.Classes}, {sample.Truth.Pi}");
        return ExitCodes.Ok;
    }

    private static LanguageExt.Fin<int> RunGaussian(Settings s) =>
        from _t in Cli.Check((s.Trials is null, "--trials is for --family binomial"))
        from _ in Cli.Check(
            (s.Rows >= 1, $"--rows must be at least 1 (got {s.Rows})"),
            (s.RowsPerGroup >= 1, $"--rows-per-group must be at least 1 (got {s.RowsPerGroup})"),
            SimulateCommand.RowsCheck("--rows", s.Rows))
        from _o in Outputs.Check([], [Outputs.To("--out", s.Out)])
        let sample = RegressionSimulator.Simulate(RegressionTruth.Example, s.Rows, s.Seed, s.RowsPerGroup)
        from __ in Outputs.Commit([new PendingFile(s.Out, st => RegressionCsvWriters.Sample(st, sample))])
        select Done(s, sample);

    private static int Done(Settings s, RegressionSample sample)
    {
        if (!s.Quiet)
            Console.WriteLine($"wrote {s.Out} ({sample.Rows} rows{(s.RowsPerGroup > 1 ? $" in groups of {s.RowsPerGroup}" : "")}, seed {s.Seed}); " +
                              "truth: beta = [5, 2, 0], [3, -1, 2.5], [1.5, 0, -2], sigma = [1, 1.3, 0.8], pi = [0.45, 0.35, 0.2]");
        return ExitCodes.Ok;
    }
}
