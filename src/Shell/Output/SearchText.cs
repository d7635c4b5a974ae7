using System.Globalization;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Spectre.Console;

namespace Mixtures.Shell.Output;

/// <summary>How a search ran and how far its optima can be trusted, in the same words in every table and report.</summary>
public static class SearchText
{
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>"EM with SQUAREM acceleration" or "plain EM".</summary>
    public static string Algorithm(EmOptions o) => Algorithm(o.Algorithm, o.NewtonAfter);

    /// <summary>The algorithm of <see cref="EmOptions.Algorithm"/> in words.</summary>
    public static string Algorithm(string label, int newtonAfter = EmOptions.DefaultNewtonAfter) => label switch
    {
        "squarem+newton" => $"EM with SQUAREM acceleration and trust-region Newton steps after every {newtonAfter} EM steps short of convergence (neither lowers log L)",
        "squarem" => "EM with SQUAREM acceleration (never lowers log L)",
        "anderson" => "EM with Anderson acceleration (never lowers log L)",
        _ => "plain EM",
    };

    /// <summary>The starts of every K in words.</summary>
    public static string Starts(StartPlan plan, IEnumerable<StartKind> kinds, bool screened) =>
        $"{plan.Starts} random starts per K ({string.Join(", ", kinds.Select(k => k.Label()))} in turn)" +
        (plan.SplitStarts ? " and the K-1 split starts from the best K-1 fit" : "") +
        (screened ? $", screened by {plan.ScreenIterations} EM steps, the best {plan.Finalists}{(plan.SplitStarts ? " and the best split start" : "")} run to convergence" : ", each run to convergence");

    /// <summary>"3/33": runs at the best log L of the runs taken to the end.</summary>
    public static string AtBest(int atBest, int runs) => $"{I(atBest)}/{I(runs)}";

    /// <summary>The flag column of a K: empty, "fragile", "below K-1" or both (console markup).</summary>
    public static string Flags(bool fragile, string? belowPrevious) =>
        string.Join(" ", new[] { fragile ? "[yellow]fragile[/]" : null, belowPrevious is not null ? "[red]below K-1[/]" : null }.Where(s => s is not null));

    /// <summary>A report cell: "fragile", "below K-1: ..." or empty (plain text).</summary>
    public static string Note(bool fragile, string? belowPrevious) =>
        string.Join("; ", new[] { fragile ? "fragile (few runs reached this optimum)" : null, belowPrevious }.Where(s => s is not null));

    /// <summary>The explanation lines under a model-selection table (plain text).</summary>
    public static IEnumerable<string> Notes(IEnumerable<(int K, int AtBest, int Runs, bool Fragile, string? BelowPrevious)> ks)
    {
        foreach (var k in ks)
        {
            if (k.Fragile)
                yield return $"K = {I(k.K)}: fragile optimum: the best log L was reached by {I(k.AtBest)} of {I(k.Runs)} runs; more starts (--starts) may find a higher one";
            if (k.BelowPrevious is not null)
                yield return $"K = {I(k.K)}: {k.BelowPrevious}";
        }
    }

    /// <summary>Prints <see cref="Notes"/> as dim lines.</summary>
    public static void PrintNotes(IAnsiConsole console, IEnumerable<(int K, int AtBest, int Runs, bool Fragile, string? BelowPrevious)> ks)
    {
        foreach (var line in Notes(ks)) console.MarkupLine($"  [yellow]{Markup.Escape(line)}[/]");
    }
}
