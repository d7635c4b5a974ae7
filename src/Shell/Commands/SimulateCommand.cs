using System.CommandLine;

using Mixtures.Domain.Simulate;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary><c>mixtures simulate sales</c>: write a simulated sales file and its truth.</summary>
public static class SimulateCommand
{
    public sealed record SalesSettings(int Stores, int Weeks, int Segments, ulong Seed, string Out, bool Quiet);

    public static Command Build()
    {
        var sim = new Command("simulate", "Write simulated data sets from a stated true model.");
        sim.Subcommands.Add(BuildSales());
        return sim;
    }

    private static Command BuildSales()
    {
        var stores = new Option<int>("--stores") { Description = "Number of stores N.", DefaultValueFactory = _ => 300 };
        var weeks = new Option<int>("--weeks") { Description = "Number of weeks T.", DefaultValueFactory = _ => 52 };
        var segments = new Option<int>("--segments") { Description = "True number of segments K.", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice (truth, prices, segments, noise).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output CSV; the truth is written beside it as <name>.truth.json.", Required = true };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the truth." };
        var cmd = new Command("sales",
            "Simulate a sales panel: alpha[c] = 2 + 1.5 c + U(-0.25,0.25), beta[c] ~ U(-3,-0.5), pi ~ normalised U(1,2), " +
            "p_t ~ U(1,3) rounded to cents, log S_it = alpha[c] + beta[c] log p_t + N(0,1).")
        {
            stores, weeks, segments, seed, output, quiet,
        };
        cmd.SetAction(r => RunSales(new SalesSettings(r.GetValue(stores), r.GetValue(weeks), r.GetValue(segments), r.GetValue(seed), r.GetValue(output)!, r.GetValue(quiet))));
        return cmd;
    }

    public static int RunSales(SalesSettings s) => Cli.Run(() =>
        from _ in Cli.Check(
            (s.Stores >= 1, $"--stores must be at least 1 (got {s.Stores})"),
            (s.Weeks >= 3, $"--weeks must be at least 3 (got {s.Weeks})"),
            (s.Segments >= 1 && s.Segments <= s.Stores, $"--segments must be between 1 and the number of stores (got {s.Segments})"))
        let sample = SalesSimulator.Simulate(SalesSimulator.RandomTruth(s.Segments, s.Seed), s.Stores, s.Weeks, s.Seed)
        let truthPath = SalesTruthJson.PathFor(s.Out)
        from __ in AtomicFile.Write(s.Out, st => SalesCsvWriter.Write(st, sample))
        from ___ in AtomicFile.WriteText(truthPath, Json.Serialize(SalesTruthJson.From(sample)))
        select Done(s, sample, truthPath));

    private static int Done(SalesSettings s, SalesSample sample, string truthPath)
    {
        if (!s.Quiet)
        {
            Console.WriteLine($"wrote {s.Out} ({sample.Stores} stores x {sample.Weeks} weeks) and {truthPath}");
            Console.WriteLine($"truth: K = {sample.Truth.K}, {sample.Truth.Theta}, {sample.Truth.Pi}");
        }
        return ExitCodes.Ok;
    }
}
