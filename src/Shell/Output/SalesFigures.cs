using System.Globalization;
using Mixtures.Domain;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output.Plots;

namespace Mixtures.Shell.Output;

/// <summary>The plots of <c>mixtures sales</c>.</summary>
public static class SalesFigures
{
    /// <summary>BIC/AIC against K (when several K were fitted) and each store's own (alpha, beta) by segment at the selected K.</summary>
    public static IReadOnlyList<Chart> Charts(SalesInput input, IReadOnlyList<SalesEstimate> estimates, int selectedK)
    {
        var charts = new List<Chart>();
        if (estimates.Count > 1)
            charts.Add(CriterionChart.Render(estimates.Select(e => new CriterionPoint(e.K, e.Bic, e.Aic)).ToList(), selectedK, "lowest BIC", "segments"));
        charts.Add(Segments(input, estimates.Single(e => e.K == selectedK)));
        return charts;
    }

    /// <summary>
    /// One point per store: (alpha_i, beta_i) of the store's own least-squares line log S_it = alpha_i + beta_i log p_t over
    /// its weeks (<see cref="OrdinaryLeastSquares.FitColumns"/>: every store shares the design [1, log p_t]), coloured by
    /// the store's most likely segment, with each segment's estimate (alpha_k, beta_k) as a diamond. At most
    /// <see cref="PlotSample.MaxMarkers"/> stores are drawn (a fixed subset beyond that, said in the title).
    /// </summary>
    public static Chart Segments(SalesInput input, SalesEstimate e)
    {
        var N = input.Stores;
        var segment = new int[N];
        for (var i = 0; i < N; i++)
        for (var k = 1; k < e.K; k++)
            if (e.Best.W[i, k] > e.Best.W[i, segment[i]]) segment[i] = k;
        var X = SalesModel.Design(input.Prices);
        var own = StoreLines(input);
        double[] alpha = [], beta = [];
        int[] cls = [];
        var note = "";
        if (own.TryGet(out var B, out _))
        {
            alpha = B.Row(0).ToArray();
            beta = B.Row(1).ToArray();
            cls = segment;
            // With e ~ N(0, 1), a store's own estimates scatter around its segment's with covariance (X'X)^-1.
            var cov = X.TransposeThisAndMultiply(X).Inverse();
            note = $" With the model's unit error variance, a store's own estimates scatter around its segment's by about sd {F(Math.Sqrt(cov[0, 0]))} (alpha) and {F(Math.Sqrt(cov[1, 1]))} (beta).";
        }
        else note = " The stores' own lines cannot be fitted (the prices barely vary), so only the segments' estimates are drawn.";
        var names = Enumerable.Range(0, e.K).Select(c => $"segment {c + 1}").ToList();
        var centres = e.Theta.Segments.Select((s, c) => new ClassPoint(c,
            $"segment {c + 1} estimate: log S = {F(s.Alpha)} {(s.Beta < 0 ? "-" : "+")} {F(Math.Abs(s.Beta))} log p", s.Alpha, s.Beta)).ToList();
        return ClassScatterChart.Render("segments", $"Each store's own demand curve, K = {e.K} segments",
            $"Each point is one store: the intercept alpha_i and price elasticity beta_i of its own least-squares line log S_it = alpha_i + beta_i log p_t " +
            $"over its {input.Weeks} weeks, coloured by the store's most likely segment; each diamond is a segment's estimate (alpha_k, beta_k)." + note,
            "alpha_i (log sales at price 1)", "beta_i (price elasticity)", alpha, beta, cls, names, centres: centres, unit: "stores");
    }

    /// <summary>Each store's own least-squares line: column i is (alpha_i, beta_i) of log S_it = alpha_i + beta_i log p_t over
    /// the store's weeks, all stores solved from one factor of X'X (fails when the prices barely vary).</summary>
    public static LanguageExt.Fin<MathNet.Numerics.LinearAlgebra.Matrix<double>> StoreLines(SalesInput input) =>
        OrdinaryLeastSquares.FitColumns(SalesModel.Design(input.Prices), input.LogSales);

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
