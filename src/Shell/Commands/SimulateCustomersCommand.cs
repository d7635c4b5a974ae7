using System.CommandLine;
using Mixtures.Domain.Simulate;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary><c>mixtures simulate customers</c>: a tab-separated customer-spending file for <c>mixtures cluster</c>.</summary>
public static class SimulateCustomersCommand
{
    public sealed record Settings(int Rows, ulong Seed, string Out, bool Quiet);

    public static Command Build()
    {
        var rows = new Option<int>("--rows") { Description = "Number of customers.", DefaultValueFactory = _ => 2240 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random draw.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output file (tab-separated, with header).", Required = true };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing." };
        var cmd = new Command("customers",
            "Simulate customer spending: ID, Year_Birth, Income (about 1% missing), Kidhome, Recency and six Mnt* spending columns with many exact zeros, " +
            "from six segments (low engagement, narrow buyers of wine, meat and gold only, occasional, wine lovers, meat and fish, premium).")
        {
            rows, seed, output, quiet,
        };
        cmd.SetAction(r => Run(new Settings(r.GetValue(rows), r.GetValue(seed), r.GetValue(output)!, r.GetValue(quiet))));
        return cmd;
    }

    public static int Run(Settings s) => Cli.Run(() =>
        from _ in Cli.Check((s.Rows >= 1, $"--rows must be at least 1 (got {s.Rows})"), SimulateCommand.RowsCheck("--rows", s.Rows))
        from _o in Outputs.Check([], [Outputs.To("--out", s.Out)])
        let sample = CustomerSimulator.Simulate(s.Rows, s.Seed)
        from __ in Outputs.Commit([new PendingFile(s.Out, st => CustomerTsvWriter.Write(st, sample))])
        select Done(s, sample));

    private static int Done(Settings s, CustomerSample sample)
    {
        if (!s.Quiet)
        {
            Console.WriteLine($"wrote {s.Out} ({sample.Customers.Length} customers, seed {s.Seed})");
            foreach (var (seg, k) in sample.Segments.Select((g, k) => (g, k)))
                Console.WriteLine($"  segment {k + 1} ({seg.Name}): {sample.Customers.Count(c => c.Segment == k)} customers");
        }
        return ExitCodes.Ok;
    }
}
