using System.Globalization;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Data;
using Mixtures.Shell.Output.Plots;

namespace Mixtures.Shell.Output;

/// <summary>The plots of <c>mixtures regress</c>.</summary>
public static class RegressFigures
{
    /// <summary>BIC/AIC against K (when several K), y against the first covariate by class with each class's line, and the log-likelihood trace of the best start.</summary>
    public static IReadOnlyList<Chart> Charts(RegressionInput input, RegressionSettings settings, EstimationPath<RegressionComponents> path, KEstimate<RegressionComponents> selected, SelectionCriterion criterion)
    {
        var charts = new List<Chart>();
        var name = RegressionModelJson.CriterionName(criterion).ToUpperInvariant();
        if (path.Fits.Length > 1)
            charts.Add(CriterionChart.Render(path.Fits.Select(f => CriterionPoint.Of(f, criterion)).ToList(), selected.K, $"lowest {name}", "classes"));
        charts.Add(Classes(input, selected, settings.Variance));
        var best = selected.Estimate!.Best;
        charts.Add(TraceChart.Render(best.Trace, $"Log-likelihood of the best start, K = {selected.K} ({best.Start})",
            $"log L after every EM iteration of the start that reached the best fit ({best.Iterations} iterations, {(best.Converged ? "converged" : "not converged")}); EM never lowers it."));
        return charts;
    }

    /// <summary>
    /// y against the first numeric covariate, each row coloured by the most likely class of its unit, and each class's line
    /// y = b_0 + b_1 x_1 + sum_{j>1} b_j mean(x_j) (the other design columns, dummies too, at their means). Without a numeric
    /// covariate, y against the row number.
    /// </summary>
    public static Chart Classes(RegressionInput input, KEstimate<RegressionComponents> selected, VarianceModel variance)
    {
        var best = selected.Estimate!.Best;
        var W = Mixtures.Domain.LatentClassRegression.Responsibilities(best, input.Data(), variance);
        var K = selected.K;
        var unitClass = new int[W.RowCount];
        for (var u = 0; u < W.RowCount; u++)
        for (var k = 1; k < K; k++)
            if (W[u, k] > W[u, unitClass[u]]) unitClass[u] = k;
        var n = input.Rows;
        var rowClass = Enumerable.Range(0, n).Select(i => unitClass[input.GroupIds is { } g ? g[i] : i]).ToArray();
        var cols = input.Columns;
        var coding = input.Coding;
        var terms = coding.Names;
        // the x axis is the first numeric covariate (a dummy is no axis); the other design columns are held at their means
        var first = Enumerable.Range(0, terms.Length).FirstOrDefault(j => !coding.IsCategorical(coding.Columns[coding.Sources[j]]), -1);
        var hasX = first >= 0;
        var x = hasX ? input.Covariates.Column(first).ToArray() : Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        var means = Enumerable.Range(0, terms.Length).Select(j => input.Covariates.Column(j).Average()).ToArray();
        var offset = cols.Intercept ? 1 : 0;
        var lines = best.Mixture.Components.Classes.Select((c, k) =>
        {
            var intercept = (cols.Intercept ? c.Beta[0] : 0) + Enumerable.Range(0, terms.Length).Where(j => j != first).Sum(j => c.Beta[offset + j] * means[j]);
            var slope = hasX ? c.Beta[offset + first] : 0;
            return new ClassLine(k, $"class {k + 1}: slope {F(slope)}, pi = {F(best.Mixture.Weights.Pi[k])}", intercept, slope);
        }).ToList();
        var names = Enumerable.Range(0, K).Select(k => $"class {k + 1}").ToList();
        var held = terms.Where((_, j) => j != first).ToList();
        var others = held.Count > 0 ? $" (lines at the means of {string.Join(", ", held)})" : "";
        var axis = hasX ? terms[first] : "row";
        return ClassScatterChart.Render("classes", $"{cols.Y} against {axis} by latent class, K = {K}{others}",
            $"Each point is a row, coloured by the most likely class of its {(cols.Group ?? "row")}; each line is a class's regression" +
            (held.Count > 0 ? " with the other covariates held at their means" + (coding.HasCategorical ? " (a dummy's mean is the share of its level)." : ".") : "."),
            axis, cols.Y, x, input.Y, rowClass, names, lines, unit: "rows");
    }

    /// <summary>The plots of a Poisson or binomial mixture: criteria (when several K), y against the first covariate by class
    /// (no lines: the class means are curves), and the log-likelihood trace of the best start.</summary>
    public static IReadOnlyList<Chart> GlmCharts(GlmInput glm, EstimationPath<GlmComponents> path, KEstimate<GlmComponents> selected, SelectionCriterion criterion)
    {
        var input = glm.Regression;
        var charts = new List<Chart>();
        var name = RegressionModelJson.CriterionName(criterion).ToUpperInvariant();
        if (path.Fits.Length > 1)
            charts.Add(CriterionChart.Render(path.Fits.Select(f => CriterionPoint.Of(f, criterion)).ToList(), selected.K, $"lowest {name}", "classes"));
        var best = selected.Estimate!.Best;
        var W = Mixtures.Domain.GlmRegression.Responsibilities(best, glm.Data().Value());
        var K = selected.K;
        var unitClass = new int[W.RowCount];
        for (var u = 0; u < W.RowCount; u++)
        for (var k = 1; k < K; k++)
            if (W[u, k] > W[u, unitClass[u]]) unitClass[u] = k;
        var n = input.Rows;
        var rowClass = Enumerable.Range(0, n).Select(i => unitClass[input.GroupIds is { } g ? g[i] : i]).ToArray();
        var cols = input.Columns;
        var hasX = cols.X.Length > 0;
        var x = hasX ? input.Covariates.Column(0).ToArray() : Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        var names = Enumerable.Range(0, K).Select(k => $"class {k + 1} (pi = {F(best.Mixture.Weights.Pi[k])})").ToList();
        charts.Add(ClassScatterChart.Render("classes", $"{cols.Y} against {(hasX ? cols.X[0] : "row")} by latent class, K = {K} ({glm.Glm.Response.Name()})",
            $"Each point is a row, coloured by the most likely class of its {(cols.Group ?? "row")}.",
            hasX ? cols.X[0] : "row", cols.Y, x, input.Y, rowClass, names, unit: "rows"));
        charts.Add(TraceChart.Render(best.Trace, $"Log-likelihood of the best start, K = {selected.K} ({best.Start})",
            $"log L after every EM iteration of the start that reached the best fit ({best.Iterations} iterations, {(best.Converged ? "converged" : "not converged")}); EM never lowers it."));
        return charts;
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
