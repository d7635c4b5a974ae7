using System.Globalization;
using Mixtures.Domain.Gaussian;
using Mixtures.Data;
using Spectre.Console;

namespace Mixtures.Shell.Output;

/// <summary>Console tables for <c>mixtures cluster</c>.</summary>
public static class ClusterTables
{
    private static string F(double v, string fmt = "F2") => double.IsFinite(v) ? NumberText.Fixed(v, fmt) : "-";
    private static string P(double v) => double.IsFinite(v) ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static void Print(DataTable table, GaussianEstimate est, IReadOnlyList<ClusterProfile> profiles, ConfidenceSummary confidence,
        IAnsiConsole? output = null)
    {
        var console = output ?? AnsiConsole.Console;
        var s = est.Settings;
        console.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(table.File))}[/]: {table.Rows} rows ({table.SeparatorName}-separated)" +
                           (table.DroppedRows > 0 ? $", {table.DroppedRows} rows with a missing or non-numeric value dropped" : "") +
                           $"; columns {Markup.Escape(string.Join(", ", table.NumericColumns))}");
        console.WriteLine($"model: Gaussian mixture, covariance {s.Covariance.Name()} (mclust {s.Covariance.MclustName()}), reg-covar {s.RegCovar.ToString("G", CultureInfo.InvariantCulture)}, " +
                          (s.Standardize ? "fitted on standardized columns (mean, population sd)" : "fitted on the columns as they are") +
                          $"; seed {s.Seed}");
        console.WriteLine($"search: {SearchText.Algorithm(s.EmOptions)}; {SearchText.Starts(s.Estimation.Plan, s.Family.StartKinds, est.Estimation.Screened)}");
        console.WriteLine(ClusterText.StopRule(s));

        var crit = RegressionModelJson.CriterionName(s.Select).ToUpperInvariant();
        var icl = s.Select == Mixtures.Domain.Em.SelectionCriterion.Icl;
        if (est.Estimation.WeightedObservations is { } wn)
            console.WriteLine($"observation weights: log L = sum_i w_i log f(x_i); {ObservationWeightsJson.SampleSizeText(table.Rows, wn, null)}; sizes (%), means, shares and confidences below are weighted");
        var kt = new Table().Title($"Model selection (lower {crit} is better)")
            .AddColumns(["K", "log L", "k", "BIC", "AIC", .. icl ? new[] { "ICL" } : [], "iterations", "converged", "starts at best", "degenerate", "flags", ""]);
        foreach (var r in est.Path)
        {
            if (r.Estimate is not { } e)
            {
                kt.AddRow([I(r.K), "-", "-", "-", "-", .. icl ? new[] { "-" } : [], "-", "-", "-", "-", "", Markup.Escape($"failed: {r.Failure}")]);
                continue;
            }
            var deg = r.HasProblems ? "[yellow]yes[/]" : "no";
            if (r.RejectedStarts > 0) deg += $" ({r.RejectedStarts}/{e.Starts.Count(o => o.Failure is null)} starts)";
            kt.AddRow([I(r.K), F(e.LogLikelihood), I(e.FreeParameters), F(e.Bic), F(e.Aic), .. icl ? new[] { F(e.Icl) } : [], I(e.Best.Iterations), e.Best.Converged ? "yes" : "[yellow]no[/]",
                SearchText.AtBest(e.StartsAtBest, e.Runs), deg, SearchText.Flags(e.Fragile, r.BelowPrevious), r.K == est.SelectedK ? "[green]<- selected[/]" : ""]);
        }
        kt.Caption(Markup.Escape(ClusterText.Criterion(s.Standardize, s.Select, est.Concomitant?.Q ?? 0) + ". " + ClusterText.DegenerateRule(s) + "."));
        TableLayout.Write(console, kt);
        SearchText.PrintNotes(console, est.Path.Where(r => r.Ok).Select(r => (r.K, r.Estimate!.StartsAtBest, r.Estimate.Runs, r.Estimate.Fragile, r.BelowPrevious)));
        foreach (var r in est.Path.Where(r => r.HasProblems))
            console.MarkupLine($"  K = {r.K}: {Markup.Escape(string.Join("; ", r.Problems))}");
        console.MarkupLine($"selected K = [bold]{est.SelectedK}[/] (lowest {crit}{(s.AllowDegenerate ? "" : " among fits without a collapsed component")})");

        var cols = est.Model.Columns;
        var sizes = new Table().Title($"Clusters (K = {est.SelectedK}): size and mean of each column in original units (rows assigned to their most probable cluster)")
            .AddColumns(new[] { "cluster", "size", "%", "weight" }.Concat(cols.Select(Markup.Escape)).ToArray());
        foreach (var p in profiles)
            sizes.AddRow(new[] { I(p.Cluster), I(p.Size), P(p.Fraction), F(est.Model.Weights.Pi[p.Cluster - 1], "F3") }.Concat(p.Means.Select(m => F(m))).ToArray());
        TableLayout.Write(console, sizes);

        var shares = new Table().Title("Share of each column's total").AddColumns(new[] { "cluster" }.Concat(cols.Select(Markup.Escape)).ToArray());
        foreach (var p in profiles)
            shares.AddRow(new[] { I(p.Cluster) }.Concat(p.ShareOfTotal.Select(P)).ToArray());
        TableLayout.Write(console, shares);

        var conf = new Table().Title("Assignment confidence (posterior probability of the assigned cluster)")
            .AddColumns("mean", "median", "min", $"% above {confidence.Threshold.ToString("G", CultureInfo.InvariantCulture)}");
        conf.AddRow(F(confidence.Mean, "F4"), F(confidence.Median, "F4"), F(confidence.Min, "F4"), P(confidence.FractionAbove));
        TableLayout.Write(console, conf);
        var per = new Table().Title("Mean confidence per cluster").AddColumns(profiles.Select(p => I(p.Cluster)).ToArray());
        per.AddRow(profiles.Select(p => F(p.MeanConfidence, "F4")).ToArray());
        TableLayout.Write(console, per);
    }
}
