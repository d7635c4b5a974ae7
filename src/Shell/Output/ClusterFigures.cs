using System.Globalization;
using System.Text.RegularExpressions;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Multivariate;
using Mixtures.Shell.Commands;
using Mixtures.Shell.Output.Plots;

namespace Mixtures.Shell.Output;

/// <summary>The plots of <c>mixtures cluster</c>.</summary>
public static partial class ClusterFigures
{
    /// <summary>BIC/AIC against K (when several K), the rows on their first two principal components coloured by
    /// cluster and by assignment confidence, and a histogram of every chosen column.</summary>
    public static IReadOnlyList<Chart> Charts(ClusterCommand.Outcome o)
    {
        var est = o.Estimate;
        var charts = new List<Chart>();
        if (est.Path.Length > 1)
            charts.Add(CriterionChart.Render(est.Path.Select(r => CriterionPoint.Of(r, est.Settings.Select)).ToList(),
                est.SelectedK, $"lowest {RegressionModelJson.CriterionName(est.Settings.Select).ToUpperInvariant()}{(est.Settings.AllowDegenerate ? "" : " among sound fits")}", "clusters"));
        var (x, y, xLabel, yLabel, what) = Projection(o);
        charts.Add(ClassScatterChart.Render("pca-clusters", $"Rows by cluster, K = {est.SelectedK}, on {what}",
            "Each point is a row, coloured by its most probable cluster" + (o.Table.NumericColumns.Length > 1
                ? "; the axes are the two directions along which the " + (est.Settings.Standardize ? "standardized " : "") + "data vary most (principal components)."
                : "."),
            xLabel, yLabel, x, y, o.Labels, o.Profiles.Select(p => $"cluster {p.Cluster}").ToList(), unit: "rows"));
        charts.Add(ConfidenceChart.Render("pca-confidence", $"Assignment confidence on {what}",
            $"The same points coloured by the posterior probability of their assigned cluster; rows below {F(o.Confidence.Threshold)} are highlighted in red: " +
            "they sit between clusters and their assignment is uncertain.",
            xLabel, yLabel, x, y, est.Confidence.ToArray(), o.Confidence.Threshold, unit: "rows"));
        var names = new HashSet<string>();
        for (var j = 0; j < o.Table.NumericColumns.Length; j++)
        {
            var column = o.Table.NumericColumns[j];
            var name = "hist-" + Slug(column);
            if (!names.Add(name)) name += "-" + (j + 1).ToString(CultureInfo.InvariantCulture);
            charts.Add(HistogramChart.Render(name, column, o.Table.Values.Column(j).ToArray(), $"How the rows' values of {column} are spread (original units)."));
        }
        return charts;
    }

    /// <summary>PC1 and PC2 of the data as clustered (standardized with --standardize); with one column, the column against the row number.</summary>
    private static (double[] X, double[] Y, string XLabel, string YLabel, string What) Projection(ClusterCommand.Outcome o)
    {
        var v = o.Table.Values;
        if (v.ColumnCount == 1)
            return (v.Column(0).ToArray(), Enumerable.Range(1, v.RowCount).Select(i => (double)i).ToArray(), o.Table.NumericColumns[0], "row", o.Table.NumericColumns[0]);
        var pca = PrincipalComponents.Of(v, 2, o.Estimate.Settings.Standardize);
        return (pca.Scores.Column(0).ToArray(), pca.Scores.Column(1).ToArray(),
            $"PC1 ({P(pca.ExplainedRatio[0])} of the variance)", $"PC2 ({P(pca.ExplainedRatio[1])} of the variance)", "the first two principal components");
    }

    private static string Slug(string column)
    {
        var s = NonWord().Replace(column.ToLowerInvariant(), "-").Trim('-');
        return s.Length == 0 ? "column" : s;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string P(double v) => (100 * v).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
