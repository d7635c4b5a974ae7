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
                r.LatentClass.Fits.Select(f => new CriterionPoint(f.K, f.Estimate?.Bic, f.Estimate?.Aic)).ToList(),
                r.Selected.K, "lowest BIC on the training rows", "latent classes"));
        return charts;
    }

    /// <summary>Legend text of a predictor.</summary>
    public static string Label(ComparedModel m) => m.UsesTestY() ? $"{m.Name()} (in-sample diagnostic)" : m.Name();

    public static Chart MaeBars(CompareInput input, ComparisonResult r)
    {
        var data = input.Data;
        var groups = new List<string> { $"all\n({r.Split.Test.Length} rows)" };
        if (data.Segment is not null)
            groups.AddRange(r.Segments.Select(s => $"{s.Name}\n({s.TestRows} rows)"));
        var values = r.Scores.Select(s => (IReadOnlyList<double?>)new double?[] { s.Overall.Mae }
            .Concat(s.BySegment.Select(m => m?.Mae)).ToList()).ToList();
        return GroupedBarChart.Render("mae-by-segment",
            data.Segment is null ? $"Held-out MAE of {input.Columns.Y} per model" : $"Held-out MAE of {input.Columns.Y} per known segment and model",
            "Mean absolute error on the test rows (lower is better), overall and within each known segment (test rows in brackets). " +
            "The posterior-assigned bar uses each test row's own y and is only a diagnostic.",
            $"MAE of {input.Columns.Y}", groups, r.Scores.Select(s => Label(s.Model)).ToList(), values);
    }
}
