using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Fits;

/// <summary>
/// The sales model fitted by <see cref="SalesModel.Fit(SalesPanel, IEnumerable{int}?, SalesSettings?)"/>: the selected K of
/// the estimation path as the spec's <see cref="SalesEstimate"/> (theta, pi, log L, W), with the questions every family
/// answers. Units are stores; new stores must have been observed at the fitted prices.
/// </summary>
/// <remarks>A class rather than a record: its W is computed once, when first asked for, from the panel it was made with.</remarks>
public sealed class SalesMixtureFit : MixtureFit<SalesPanel, RegressionComponents>
{
    private readonly Lazy<SalesEstimate> estimate;

    /// <summary>The fit of the selected K of <paramref name="path"/>, which must have one, on <paramref name="panel"/>.</summary>
    public SalesMixtureFit(EstimationPath<RegressionComponents> path, SalesPanel panel) : base(path)
    {
        Panel = panel;
        estimate = new(() => SalesModel.ToSalesEstimate(path.Selected!, panel.LogSales, panel.Design));
    }

    /// <summary>The fitted panel.</summary>
    public SalesPanel Panel { get; }

    /// <summary>The selected K as the spec's record: theta, pi, log L, the stores' W, how many starts reached the best.</summary>
    public SalesEstimate Estimate => estimate.Value;

    /// <summary>The segments' (alpha, beta).</summary>
    public Theta Theta => SalesModel.ToTheta(Components);


    /// <inheritdoc/>
    public override Matrix<double> Responsibilities => Estimate.Best.W;

    /// <inheritdoc/>
    /// <remarks>log f(y_i) of each store's log sales: logsumexp_c(log pi_c + sum_t log phi(y_it - alpha_c - beta_c log p_t)),
    /// so their sum is <see cref="SalesModel.LogL(Theta, MixingWeights, MathNet.Numerics.LinearAlgebra.Matrix{double}, MathNet.Numerics.LinearAlgebra.Matrix{double})"/>.</remarks>
    public override Fin<ImmutableArray<double>> ScoreSamples(SalesPanel panel) =>
        Checked(panel).Map(p => FitSupport.UnitLogLikelihoods(
            SalesModel.Family.LogDensityMatrix(RegressionData.Panel(p.LogSales, p.Design), Components), Weights));

    /// <inheritdoc/>
    /// <remarks>The spec's <see cref="SalesModel.EStep(Mixtures.Domain.Model.Theta, Mixtures.Domain.Model.MixingWeights, MathNet.Numerics.LinearAlgebra.Matrix{double}, MathNet.Numerics.LinearAlgebra.Matrix{double})"/> on the new stores.</remarks>
    public override Fin<Matrix<double>> PredictProba(SalesPanel panel) =>
        Checked(panel).Map(p => SalesModel.EStep(Theta, Weights, p.LogSales, p.Design));

    /// <inheritdoc/>
    /// <remarks>n stores at the fitted prices: segment c ~ pi, then log S_it = alpha_c + beta_c log p_t + e_it, e_it ~ N(0, 1).</remarks>
    public override MixtureSample<SalesPanel> Sample(int n, ulong seed)
    {
        FitSupport.CheckSampleSize(n);
        var rng = Seeds.Generator(seed);
        var T = Panel.Weeks;
        var theta = Theta;
        var y = Matrix<double>.Build.Dense(T, n);
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var c = FitSupport.Draw(Weights, rng);
            labels[i] = c;
            var s = theta.Segments[c];
            for (var t = 0; t < T; t++) y[t, i] = s.Alpha + s.Beta * Math.Log(Panel.Prices[t]) + Normal.Sample(rng, 0, 1);
        }
        return new MixtureSample<SalesPanel>(new SalesPanel(y, Panel.Prices), [.. labels]);
    }

    private Fin<SalesPanel> Checked(SalesPanel panel)
    {
        if (panel.Weeks != Panel.Weeks)
            return FinFail<SalesPanel>(new InvalidDataError($"the model was fitted on {Panel.Weeks} weeks, the new stores have {panel.Weeks}"));
        for (var t = 0; t < Panel.Weeks; t++)
            if (panel.Prices[t] != Panel.Prices[t])
                return FinFail<SalesPanel>(new InvalidDataError($"week {t + 1}: the price {panel.Prices[t]} differs from the fitted {Panel.Prices[t]}; new stores must face the same prices"));
        return panel;
    }
}
