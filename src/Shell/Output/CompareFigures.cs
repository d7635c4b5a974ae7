using Mixtures.Domain.Comparison;
using Mixtures.Data;
using Mixtures.Shell.Output.Plots;

namespace Mixtures.Shell.Output;

/// <summary>The plots of <c>mixtures compare</c>.</summary>
public static class CompareFigures
{
    /// <summary>Held-out MAE per segment per model as grouped bars, and BIC/AIC against K of the latent class regression when K was chosen.</summary>
    public static IReadOnlyList<Chart> Charts(CompareInput input, ComparisonResult r)
    {
        var charts = new List<Chart> { MaeBars(input, r) };
        if (r.LatentClass.Fits.Length > 1)
            charts.Add(CriterionChart.Render(
                r.LatentClass.Fits.Select(f => CriterionPoint.Of(f)).ToList(),
                r.Selected.K, "lowest BIC on the training rows", "latent classes"));
        return charts;
    }

    /// <summary>Legend text of a predictor.</summary>
    public static string Label(ComparedModel m) => m.UsesTestY() ? $"{m.Name()} (in-sample diagnostic)" : m.Name();

    /// <summary>The most known segments the MAE bars show (the ones with the most test rows beyond that): one group of bars each.</summary>
    public const int MaxSegmentGroups = 20;

    /// <summary>Held-out MAE overall and per known segment (at most <see cref="MaxSegmentGroups"/> segments, those with the most test rows), one bar per model.</summary>
    public static Chart MaeBars(CompareInput input, ComparisonResult r)
    {
        var data = input.Data;
        var shown = Enumerable.Range(0, r.Segments.Length)
            .OrderByDescending(s => r.Segments[s].TestRows).ThenBy(s => s).Take(MaxSegmentGroups).Order().ToArray();
        var capped = data.Segment is not null && shown.Length < r.Segments.Length;
        var groups = new List<string> { $"all\n({r.Split.Test.Length} rows)" };
        if (data.Segment is not null)
            groups.AddRange(shown.Select(s => $"{r.Segments[s].Name}\n({r.Segments[s].TestRows} rows)"));
        var values = r.Scores.Select(s => (IReadOnlyList<double?>)new double?[] { s.Overall.Mae }
            .Concat(data.Segment is null ? [] : shown.Select(g => s.BySegment[g]?.Mae)).ToList()).ToList();
        var title = data.Segment is null ? $"Held-out MAE of {input.Columns.Y} per model" : $"Held-out MAE of {input.Columns.Y} per known segment and model";
        return GroupedBarChart.Render("mae-by-segment",
            capped ? $"{title} (the {shown.Length} largest of {r.Segments.Length} segments)" : title,
            "Mean absolute error on the test rows (lower is better), overall and within each known segment (test rows in brackets). " +
            "The posterior-assigned bar uses each test row's own y and is only a diagnostic." +
            (capped ? $" Only the {shown.Length} segments with the most test rows are drawn; the report's table has every segment." : ""),
            $"MAE of {input.Columns.Y}", groups, r.Scores.Select(s => Label(s.Model)).ToList(), values);
    }
}
