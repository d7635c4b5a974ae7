using System.CommandLine;
using Mixtures.Domain.Simulate;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary><c>mixtures simulate ltv</c>: the customer lifetime-value file with hidden segments (data/ltv.csv).</summary>
public static class SimulateLtvCommand
{
    public static Command Build()
    {
        var n = new Option<int>("--rows", "--n") { Description = "Number of customers (rows), as --rows of the other simulate commands; --n is kept as an alias.", DefaultValueFactory = _ => LifetimeValueSimulator.ExampleRows };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random draw.", DefaultValueFactory = _ => LifetimeValueSimulator.ExampleSeed };
        var output = new Option<string>("--out") { Description = "Output CSV.", Required = true };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print a summary." };
        var cmd = new Command("ltv",
            "Simulate customers: segment Standard/Premium/Enterprise with p = 0.7/0.2/0.1, tenure ~ U(1,36), spend ~ U(20,200), orders ~ Poisson(5); " +
            "LTV = 50 + 10 tenure + 2 spend (Standard), 200 + 5 tenure^1.5 + 3 spend (Premium), 1000 + 50 tenure + 10 spend (Enterprise), " +
            "plus N(0, sd^2) noise with sd = 30, 50, 200.")
        {
            n, seed, output, quiet,
        };
        cmd.SetAction(r => Run(r.GetValue(n), r.GetValue(seed), r.GetValue(output)!, r.GetValue(quiet)));
        return cmd;
    }

    public static int Run(int n, ulong seed, string output, bool quiet) => Cli.Run(() =>
        from _ in Cli.Check((n >= 1, $"--rows must be at least 1 (got {n})"), SimulateCommand.RowsCheck("--rows", n))
        from _o in Outputs.Check([], [Outputs.To("--out", output)])
        let sample = LifetimeValueSimulator.Simulate(n, seed)
        from __ in Outputs.Commit([new PendingFile(output, s => LifetimeValueCsvWriter.Write(s, sample))])
        select Done(output, sample, quiet));

    private static int Done(string output, LifetimeValueSample sample, bool quiet)
    {
        if (!quiet)
            Console.WriteLine($"wrote {output}: {sample.Rows} customers (" +
                string.Join(", ", LifetimeValueSimulator.Segments.Select((name, s) => $"{name} {sample.Segment.Count(x => x == s)}")) + $"), seed {sample.Seed}");
        return ExitCodes.Ok;
    }
}
