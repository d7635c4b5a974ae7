using System.Collections.Immutable;
using System.Globalization;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Shell.Output.Reports;
using Spectre.Console;

namespace Mixtures.Shell.Output;

/// <summary>The concomitant model's tables, JSON and report blocks, shared by <c>regress</c>, <c>cluster</c> and <c>sales</c>:
/// gamma (with SEs when there are any) and the posterior-weighted mean of each concomitant variable per class.</summary>
public static class ConcomitantOutput
{
    private static string F(double v, string fmt = "F4") => double.IsFinite(v) ? NumberText.Fixed(v, fmt) : "-";
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string P(double p) => p < 1e-4 ? "<1e-4" : F(p, "F4");

    /// <summary>How the SEs of gamma were computed when the full observed information was available.</summary>
    public const string FullNote =
        "SEs of gamma from the full observed information of log L (a numerical Hessian, Richardson-extrapolated central differences, in the components' coordinates and gamma), so they account for the uncertainty of the means and covariances";

    /// <summary>The note for gamma's SEs: <see cref="FullNote"/> or <see cref="ConditionalNote"/>.</summary>
    public static string GammaNote(bool full) => full ? FullNote : ConditionalNote;

    /// <summary>What the SEs of cluster's gamma are (and are not) when only the conditional information was available.</summary>
    public const string ConditionalNote =
        "SEs of gamma from the information of gamma given the Gaussian components' parameters (held at their estimates; the full numerical information was not available here): they ignore the uncertainty of the means and covariances, so they are lower bounds";

    /// <summary>The gamma table: one row per class k = 2..K and term, with SE, z, p and 95% interval when <paramref name="gamma"/>
    /// has them (else "-"); <paramref name="unit"/> names the class ("class" or "segment").</summary>
    public static void PrintGamma(IAnsiConsole console, IReadOnlyList<string> terms, MixingWeights weights, ImmutableArray<ImmutableArray<ParameterEstimate>> gamma,
        string unit = "class", string? note = null)
    {
        if (!weights.HasCoefficients || weights.K < 2) return;   // K = 1: gamma_1 = 0, nothing to show
        var gt = new Table().Title(Markup.Escape($"Concomitant model: Pr[{unit} k | z] = softmax_k(z'gamma_k), gamma_1 = 0 (pi: the mean prior)"))
            .AddColumns(unit, "term", "gamma", "SE", "z", "Pr(>|z|)", "95% CI");
        for (var c = 1; c < weights.K; c++)
        for (var j = 0; j < weights.CoefficientCount; j++)
        {
            var g = !gamma.IsDefaultOrEmpty ? gamma[c - 1][j] : null;
            gt.AddRow(j == 0 ? I(c + 1) : "", Markup.Escape(terms[j]), F(weights.Gamma(c, j)),
                g is null ? "-" : F(g.StdError), g is null ? "-" : F(g.Z, "F2"), g is null ? "-" : P(g.PValue), g is null ? "-" : $"[[{F(g.Lower)}, {F(g.Upper)}]]");
        }
        if (note is not null) gt.Caption(Markup.Escape(note));
        TableLayout.Write(console, gt);
    }

    /// <summary>The table of each concomitant variable's posterior-weighted mean (a level's share) per class, with the overall value.</summary>
    public static void PrintMeans(IAnsiConsole console, ImmutableArray<ConcomitantMean> means, int K, string unit = "class")
    {
        if (means.IsDefaultOrEmpty) return;
        var t = new Table().Title(Markup.Escape($"Concomitant variables by {unit}: posterior-weighted mean (a level: its share)"))
            .AddColumns(["variable", .. Enumerable.Range(1, K).Select(k => $"{unit} {k}"), "all"]);
        foreach (var m in means)
            t.AddRow([Markup.Escape(m.Label), .. m.ByClass.Select(v => F(v)), F(m.Overall)]);
        TableLayout.Write(console, t);
    }

    /// <summary>The means as a report table.</summary>
    public static ReportTable MeansReport(ImmutableArray<ConcomitantMean> means, int K, string unit = "class") =>
        new($"Concomitant variables by {unit}: the posterior-weighted mean of each (for a level: its share)",
            ["variable", .. Enumerable.Range(1, K).Select(k => $"{unit} {k}"), "all"],
            means.Select(m => (IReadOnlyList<string>)[m.Label, .. m.ByClass.Select(v => F(v)), F(m.Overall)]).ToList());

    /// <summary>gamma as a report table (SEs when there are any).</summary>
    public static ReportTable GammaReport(IReadOnlyList<string> terms, MixingWeights weights, ImmutableArray<ImmutableArray<ParameterEstimate>> gamma, string unit = "class") =>
        new($"Concomitant model: Pr[{unit} k | z] = softmax_k(z'gamma_k), gamma_1 = 0",
            [unit, "term", "gamma", "SE", "95% interval"],
            Enumerable.Range(1, Math.Max(0, weights.K - 1)).SelectMany(c => Enumerable.Range(0, weights.CoefficientCount).Select(j =>
            {
                var g = !gamma.IsDefaultOrEmpty ? gamma[c - 1][j] : null;
                return (IReadOnlyList<string>)[j == 0 ? I(c + 1) : "", terms[j], F(weights.Gamma(c, j)), g is null ? "-" : F(g.StdError),
                    g is null ? "-" : $"[{F(g.Lower)}, {F(g.Upper)}]"];
            })).ToList());

    /// <summary>Class <paramref name="c"/>'s (0-based) concomitant means for a profile entry in JSON, or null without concomitants.</summary>
    public static IReadOnlyList<ConcomitantMeanJson>? MeansJson(ImmutableArray<ConcomitantMean> means, int c) =>
        means.IsDefaultOrEmpty ? null : means.Select(m => new ConcomitantMeanJson(m.Variable, m.Level, Finite(m.ByClass[c]))).ToList();

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}

/// <summary>A concomitant variable's posterior-weighted mean in a class (<see cref="Level"/> given: the share of units with that level).</summary>
public sealed record ConcomitantMeanJson(string Variable, string? Level, double? Mean);
