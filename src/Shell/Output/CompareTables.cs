using System.Globalization;
using Mixtures.Domain.Comparison;
using Mixtures.Data;
using Mixtures.Shell.Output.Reports;
using Spectre.Console;

namespace Mixtures.Shell.Output;

/// <summary>The tables of <c>mixtures compare</c>, as rows of text shared by the console and the report.</summary>
public static class CompareTables
{
    public static string F(double? v, string fmt = "F2") => v is { } d ? NumberText.Fixed(d, fmt) : "n/a";
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Held-out accuracy: one row per model and scope (all test rows, then each segment).</summary>
    public static ReportTable Accuracy(CompareInput input, ComparisonResult r)
    {
        var rows = new List<IReadOnlyList<string>>();
        var highlight = new HashSet<int>();
        var best = r.Scores.Where(s => !s.InSampleDiagnostic).MinBy(s => s.Overall.Mae)!.Model;
        foreach (var s in r.Scores)
        {
            if (s.Model == best) highlight.Add(rows.Count);
            rows.Add([CompareFigures.Label(s.Model), "all", I(s.Overall.Rows), F(s.Overall.Mae), F(s.Overall.Rmse), F(s.Overall.R2, "F4")]);
            for (var j = 0; j < s.BySegment.Length; j++)
            {
                var m = s.BySegment[j];
                rows.Add(["", input.Data.SegmentNames[j], I(m?.Rows ?? 0), F(m?.Mae), F(m?.Rmse), F(m?.R2, "F4")]);
            }
        }
        return new ReportTable(
            $"Held-out accuracy on {r.Split.Test.Length} test rows (fitted on {r.Split.Train.Length} training rows): lower MAE and RMSE, higher R^2 are better",
            ["model", "segment", "test rows", "MAE", "RMSE", "R^2"], rows, highlight);
    }

    /// <summary>Coefficients of every fit: pooled, each segment, each latent class.</summary>
    public static ReportTable Coefficients(CompareInput input, ComparisonResult r)
    {
        var names = input.Coefficients;
        var rows = new List<IReadOnlyList<string>>();
        IReadOnlyList<string> Row(string model, string who, string size, IEnumerable<double>? beta, double? sigma) =>
            [model, who, size, .. beta?.Select(b => F(b, "F4")) ?? names.Select(_ => "-"), F(sigma, "F4")];
        rows.Add(Row("pooled", "all", $"{r.Pooled.Rows} rows", r.Pooled.Beta, r.Pooled.Sigma));
        foreach (var s in r.Segments)
            rows.Add(s.Fit is { } f
                ? Row("per-segment", s.Name, $"{s.TrainRows} rows", f.Beta, f.Sigma)
                : Row("per-segment", s.Name, $"{s.TrainRows} rows: uses pooled", r.Pooled.Beta, r.Pooled.Sigma));
        var mix = r.Selected.Estimate!.Best.Mixture;
        for (var c = 0; c < mix.Components.K; c++)
            rows.Add(Row("latent-class", $"class {c + 1}" + (c == r.MostLikelyClass ? " (largest pi)" : ""), $"pi = {F(mix.Weights.Pi[c], "F3")}",
                mix.Components.Classes[c].Beta, mix.Components.Classes[c].Sigma));
        return new ReportTable("Fitted coefficients on the training rows (sigma: ML residual standard deviation)",
            ["model", "segment / class", "size", .. names, "sigma"], rows);
    }

    /// <summary>The latent class regressions for each K tried.</summary>
    public static ReportTable Selection(ComparisonResult r)
    {
        var rows = r.LatentClass.Fits.Select(f => (IReadOnlyList<string>)[I(f.K), F(f.Estimate?.LogLikelihood, "F2"), I(f.FreeParameters),
            F(f.Estimate?.Bic, "F2"), F(f.Estimate?.Aic, "F2"), f.Estimate is null ? (f.Failure ?? "no fit") : f.Estimate.Best.Converged ? "converged" : "not converged"]).ToList();
        var sel = r.LatentClass.Fits.IndexOf(r.Selected);
        return new ReportTable($"Latent class regression on the training rows: K = {r.Selected.K} used" +
                               (r.LatentClass.Fits.Length > 1 ? " (lowest BIC)" : " (given)"),
            ["K", "log L", "free parameters", "BIC", "AIC", "EM"], rows, new HashSet<int> { sel });
    }

    /// <summary>Known segments: rows in train and test, and whether each has its own model.</summary>
    public static ReportTable Segments(ComparisonResult r) =>
        new("Known segments (the split is stratified: each segment's test share is the test fraction within one row)",
            ["segment", "training rows", "test rows", "model used"],
            r.Segments.Select(s => (IReadOnlyList<string>)[s.Name, I(s.TrainRows), I(s.TestRows), s.Fit is null ? "pooled: " + s.Fallback : "own OLS"]).ToList());

    public static void Print(CompareInput input, ComparisonResult r, CompareResults json, IAnsiConsole? output = null)
    {
        var console = output ?? AnsiConsole.Console;
        console.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(input.File))}[/]: {input.Data.Rows} rows; y = {Markup.Escape(input.Columns.Y)}, " +
                           $"x = {Markup.Escape(string.Join(", ", input.Columns.X))}" +
                           (input.Columns.Segment is null ? "" : $", known segment = {Markup.Escape(input.Columns.Segment)}"));
        foreach (var line in RegressionTables.CodingLines(input.Coding)) console.WriteLine(line);
        console.WriteLine($"split: {r.Split.Train.Length} training rows, {r.Split.Test.Length} test rows (seed {json.Settings.Seed}" +
                          (json.Settings.Stratified ? ", stratified by segment)" : ")"));
        if (input.Data.Segment is not null) Write(console, Segments(r));
        Write(console, Selection(r));
        Write(console, Coefficients(input, r));
        Write(console, Accuracy(input, r));
        console.MarkupLine($"lowest held-out MAE: [bold]{Markup.Escape(json.BestHeldOut)}[/]");
        console.WriteLine("note: " + CompareResults.ReportedRule);
    }

    private static void Write(IAnsiConsole console, ReportTable t)
    {
        var table = new Table().Title(Markup.Escape(t.Caption));
        foreach (var h in t.Header) table.AddColumn(new TableColumn(Markup.Escape(h)));
        for (var i = 0; i < t.Rows.Count; i++)
        {
            var cells = t.Rows[i].Select(c => Markup.Escape(c));
            table.AddRow(t.Highlight?.Contains(i) == true ? cells.Select(c => $"[green]{c}[/]").ToArray() : cells.ToArray());
        }
        TableLayout.Write(console, table);
    }
}
