using System.Globalization;
using Mixtures.Domain.Gaussian;
using Mixtures.Shell.Commands;
using Mixtures.Shell.Output.Plots;
using Mixtures.Shell.Output.Reports;

namespace Mixtures.Shell.Output;

/// <summary>The HTML report of <c>mixtures cluster</c>.</summary>
public static class ClusterReport
{
    private static string F(double v, string fmt = "F2") => double.IsFinite(v) ? NumberText.Fixed(v, fmt) : "-";
    private static string P(double v) => double.IsFinite(v) ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public static ReportDocument Build(ClusterCommand.Outcome o, IReadOnlyList<Chart> charts)
    {
        var est = o.Estimate;
        var s = est.Settings;
        var table = o.Table;
        var file = Path.GetFileName(table.File);
        var cols = table.NumericColumns;
        var summary =
            $"The {table.Rows} rows of {file} were grouped by {string.Join(", ", cols)} with a Gaussian mixture: each cluster is a cloud of points with its own " +
            $"centre and spread, and every row gets a probability of belonging to each cluster. Models with K = {string.Join(", ", est.Path.Select(r => I(r.K)))} " +
            $"clusters were fitted; the lowest {RegressionModelJson.CriterionName(s.Select).ToUpperInvariant()} selects K = {est.SelectedK}, with clusters of {string.Join(", ", o.Profiles.Select(p => I(p.Size)))} rows. " +
            $"{P(o.Confidence.FractionAbove)} of the rows belong to their cluster with probability above {F(o.Confidence.Threshold)}.";
        var facts = new List<(string, string)>
        {
            ("data", $"{file}: {table.Rows} rows" + (table.DroppedRows > 0 ? $" ({table.DroppedRows} with missing values dropped)" : "")),
            ("columns", string.Join(", ", cols) + (s.Standardize ? " (standardized for fitting; profiles in original units)" : "")),
            ("model", $"Gaussian mixture, covariance {s.Covariance.Name()} (mclust {s.Covariance.MclustName()})"),
            ("selected", $"K = {est.SelectedK} (lowest {RegressionModelJson.CriterionName(s.Select).ToUpperInvariant()}{(s.AllowDegenerate ? "" : " among fits without a collapsed component")})"),
            ("estimation", $"{SearchText.Algorithm(s.EmOptions)}; {SearchText.Starts(s.Estimation.Plan, s.Family.StartKinds, est.Estimation.Screened)}; seed {s.Seed}"),
        };
        var selection = new ReportTable("Model selection: one row per K (lower BIC and AIC are better)",
            ["K", "log L", "free parameters k", "BIC", "AIC", "EM iterations", "converged", "runs reaching the best", "degenerate", "notes"],
            est.Path.Select(r => r.Estimate is not { } e
                ? (IReadOnlyList<string>)[I(r.K), "-", "-", "-", "-", "-", "-", "-", "-", "failed: " + r.Failure]
                : [I(r.K), F(e.LogLikelihood), I(e.FreeParameters), F(e.Bic), F(e.Aic), I(e.Best.Iterations), e.Best.Converged ? "yes" : "no",
                    $"{e.StartsAtBest} of {e.Runs}", r.HasProblems ? "yes: " + string.Join("; ", r.Problems) : "no", SearchText.Note(e.Fragile, r.BelowPrevious)]).ToList(),
            new HashSet<int> { est.Path.ToList().FindIndex(r => r.K == est.SelectedK) });
        var profiles = new ReportTable($"Clusters (K = {est.SelectedK}): size and mean of each column in original units (rows assigned to their most probable cluster)",
            ["cluster", "rows", "share", "weight", .. cols, "mean confidence"],
            o.Profiles.Select(p => (IReadOnlyList<string>)[I(p.Cluster), I(p.Size), P(p.Fraction), F(est.Model.Weights.Pi[p.Cluster - 1], "F3"),
                .. p.Means.Select(m => F(m)), F(p.MeanConfidence, "F3")]).ToList());
        var shares = new ReportTable("Share of each column's total held by each cluster",
            ["cluster", .. cols], o.Profiles.Select(p => (IReadOnlyList<string>)[I(p.Cluster), .. p.ShareOfTotal.Select(P)]).ToList());
        var confidence = new ReportTable("Assignment confidence: the probability of each row's assigned cluster",
            ["mean", "median", "minimum", $"share above {F(o.Confidence.Threshold)}"],
            [[F(o.Confidence.Mean, "F3"), F(o.Confidence.Median, "F3"), F(o.Confidence.Min, "F3"), P(o.Confidence.FractionAbove)]]);
        ReportFigure? Fig(string name) => charts.FirstOrDefault(c => c.Name == name) is { } c ? new ReportFigure(c) : null;
        var sections = new List<ReportSection>
        {
            new("How many clusters", [
                new ReportParagraph("BIC and AIC trade the fit (log-likelihood) against the number of parameters; lower is better. " + Capitalised(ClusterText.DegenerateRule(s)) + "."),
                selection,
                .. new[] { Fig("criteria") }.OfType<ReportFigure>(),
            ]),
            new($"The {est.SelectedK} clusters", [
                new ReportParagraph("Each row is counted in the cluster it most probably belongs to. The weight is the cluster's estimated share of the population."),
                profiles,
                shares,
                .. ConcomitantBlocks(o),
                .. new[] { Fig("pca-clusters") }.OfType<ReportFigure>(),
            ]),
            new("How sure the assignments are", [
                new ReportParagraph("A confidence near 1 means a row clearly belongs to its cluster; near 1/K means it sits between clusters."),
                confidence,
                .. new[] { Fig("pca-confidence") }.OfType<ReportFigure>(),
            ]),
            new("The columns", charts.Where(c => c.Name.StartsWith("hist-", StringComparison.Ordinal)).Select(c => (ReportBlock)new ReportFigure(c)).ToList()),
            new("How this report was made", [
                new ReportList([
                    $"Input file: {file}; columns {string.Join(", ", cols)}.",
                    ClusterText.Criterion(s.Standardize) + ".",
                    ClusterText.StopRule(s) + ".",
                    $"Seed {s.Seed}: the same file and options give the same numbers.",
                ]),
            ]),
        };
        return new ReportDocument($"Clusters in {file}", summary, facts, sections);
    }

    /// <summary>With concomitant variables: how they shift the cluster probabilities (gamma) and their mean per cluster.</summary>
    private static IEnumerable<ReportBlock> ConcomitantBlocks(ClusterCommand.Outcome o)
    {
        if (o.Concomitant?.Model is not { } z) yield break;
        yield return new ReportParagraph("The cluster probabilities depend on " + string.Join(", ", o.Concomitant.Columns) +
                                         ": the weight above is the mean probability over the rows. " + ConcomitantOutput.GammaNote(o.GammaFull) + ".");
        yield return ConcomitantOutput.GammaReport(z.Names, o.Estimate.Model.Weights, o.Gamma.IfFail([]), "cluster");
        yield return ConcomitantOutput.MeansReport(o.ConcomitantMeans, o.Estimate.SelectedK, "cluster");
    }
}
