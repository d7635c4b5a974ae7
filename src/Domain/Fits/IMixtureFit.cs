using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Fits;

/// <summary>
/// A fitted mixture of any family, as the three facades return it
/// (<see cref="GaussianMixture.Fit(Matrix{double}, IEnumerable{int}?, Gaussian.GaussianSettings?)"/>,
/// <see cref="LatentClassRegression.Fit(RegressionRows, IEnumerable{int}?, Regression.RegressionSettings?)"/>,
/// <see cref="SalesModel.Fit(SalesPanel, IEnumerable{int}?, SalesSettings?)"/>): the selected K's parameters and
/// criteria, the fitted units' labels and posterior probabilities, and the same questions asked of new data.
/// A "unit" carries one latent label: a row of a Gaussian mixture, a row or group of a regression, a store of the
/// sales model.
/// </summary>
/// <typeparam name="TData">The family's data (<see cref="Matrix{T}"/> rows, <see cref="RegressionRows"/>, <see cref="SalesPanel"/>).</typeparam>
/// <typeparam name="TComponents">The family's component parameters.</typeparam>
/// <remarks>The names follow scikit-learn's mixture API: <c>predict</c>, <c>predict_proba</c>, <c>score_samples</c>,
/// <c>sample</c>, <c>bic</c>, <c>aic</c>.</remarks>
public interface IMixtureFit<TData, TComponents>
{
    /// <summary>Every requested K with its best fit and criteria, and the K selected.</summary>
    EstimationPath<TComponents> Path { get; }

    /// <summary>The selected number of components.</summary>
    int K { get; }

    /// <summary>The selected fit's component parameters.</summary>
    TComponents Components { get; }

    /// <summary>The selected fit's mixing weights pi.</summary>
    MixingWeights Weights { get; }

    /// <summary>log L of the selected fit on the data as fitted.</summary>
    double LogLikelihood { get; }

    /// <summary>k in BIC and AIC: free component parameters plus K - 1 weights.</summary>
    int FreeParameters { get; }

    /// <summary>n in BIC (rows; weeks times stores for the sales model).</summary>
    int Observations { get; }

    /// <summary>BIC = -2 log L + k ln n (lower is better).</summary>
    double Bic { get; }

    /// <summary>AIC = -2 log L + 2k (lower is better).</summary>
    double Aic { get; }

    /// <summary>Each fitted unit's most probable component (0-based, lowest index on ties).</summary>
    ImmutableArray<int> Labels { get; }

    /// <summary>The fitted units' posterior probabilities W (units x K, rows sum to one): the final E-step.</summary>
    Matrix<double> Responsibilities { get; }

    /// <summary>log f(unit) = logsumexp_k(log pi_k + log f_k(unit)) for every unit of <paramref name="data"/>
    /// (scikit-learn's <c>score_samples</c>); fails when the data do not fit the model's shape.</summary>
    Fin<ImmutableArray<double>> ScoreSamples(TData data);

    /// <summary>Posterior probabilities of the components for every unit of <paramref name="data"/> (units x K).</summary>
    Fin<Matrix<double>> PredictProba(TData data);

    /// <summary>The most probable component of every unit of <paramref name="data"/> (0-based, lowest on ties).</summary>
    Fin<ImmutableArray<int>> Predict(TData data);

    /// <summary><paramref name="n"/> units drawn from the fitted model with a seeded generator (the same seed gives the
    /// same sample), with the component each was drawn from.</summary>
    MixtureSample<TData> Sample(int n, ulong seed);
}

/// <summary>
/// What every family's fit reads off its estimation path: the selected K's parameters and criteria. The families add
/// their data's questions (labels, W, scores, predictions, samples).
/// </summary>
public abstract class MixtureFit<TData, TComponents> : IMixtureFit<TData, TComponents>
{
    /// <summary>A fit of the selected K of <paramref name="path"/>, which must have one.</summary>
    protected MixtureFit(EstimationPath<TComponents> path)
    {
        Selected = path.Selected?.Estimate ?? throw new ArgumentException("the path has no selected K", nameof(path));
        Path = path;
    }

    /// <summary>The selected K's multi-start result.</summary>
    protected EstimateResult<TComponents> Selected { get; }

    /// <inheritdoc/>
    public EstimationPath<TComponents> Path { get; }
    /// <inheritdoc/>
    public int K => Selected.K;
    /// <inheritdoc/>
    public TComponents Components => Selected.Best.Mixture.Components;
    /// <inheritdoc/>
    public MixingWeights Weights => Selected.Best.Mixture.Weights;
    /// <inheritdoc/>
    public double LogLikelihood => Selected.LogLikelihood;
    /// <inheritdoc/>
    public int FreeParameters => Selected.FreeParameters;
    /// <inheritdoc/>
    public int Observations => Selected.Observations;
    /// <inheritdoc/>
    public double Bic => Selected.Bic;
    /// <inheritdoc/>
    public double Aic => Selected.Aic;
    /// <inheritdoc/>
    public abstract Matrix<double> Responsibilities { get; }
    /// <inheritdoc/>
    public virtual ImmutableArray<int> Labels => FitSupport.Labels(Responsibilities);
    /// <inheritdoc/>
    public abstract Fin<ImmutableArray<double>> ScoreSamples(TData data);
    /// <inheritdoc/>
    public abstract Fin<Matrix<double>> PredictProba(TData data);
    /// <inheritdoc/>
    public Fin<ImmutableArray<int>> Predict(TData data) => PredictProba(data).Map(FitSupport.Labels);
    /// <inheritdoc/>
    public abstract MixtureSample<TData> Sample(int n, ulong seed);
}

/// <summary>Data drawn from a fitted mixture and the component each unit came from.</summary>
/// <param name="Data">The simulated data, in the family's own form.</param>
/// <param name="Labels">The component (0-based) of every unit.</param>
public sealed record MixtureSample<TData>(TData Data, ImmutableArray<int> Labels);

/// <summary>What the three fits share: labels from W, per-unit log-likelihoods, draws of components.</summary>
internal static class FitSupport
{
    /// <summary>argmax_k W[u,k], lowest k on ties.</summary>
    public static ImmutableArray<int> Labels(Matrix<double> W)
    {
        var labels = new int[W.RowCount];
        for (var u = 0; u < W.RowCount; u++)
        {
            var best = 0;
            for (var k = 1; k < W.ColumnCount; k++) if (W[u, k] > W[u, best]) best = k;
            labels[u] = best;
        }
        return [.. labels];
    }

    /// <summary>logsumexp_k(log pi_k + L[u,k]) for every row of the units x K log-densities.</summary>
    public static ImmutableArray<double> UnitLogLikelihoods(Matrix<double> L, MixingWeights pi)
    {
        var logPi = pi.LogPi();
        var K = L.ColumnCount;
        var result = new double[L.RowCount];
        for (var u = 0; u < L.RowCount; u++)
        {
            var m = double.NegativeInfinity;
            for (var k = 0; k < K; k++) m = Math.Max(m, logPi[k] + L[u, k]);
            if (double.IsNegativeInfinity(m) || double.IsNaN(m)) { result[u] = m; continue; }
            var s = 0.0;
            for (var k = 0; k < K; k++) s += Math.Exp(logPi[k] + L[u, k] - m);
            result[u] = m + Math.Log(s);
        }
        return [.. result];
    }

    /// <summary>A component drawn with probabilities pi (inverse of the cumulative weights).</summary>
    public static int Draw(MixingWeights pi, System.Random rng)
    {
        var u = rng.NextDouble();
        var c = 0.0;
        for (var k = 0; k < pi.K - 1; k++)
        {
            c += pi.Pi[k];
            if (u < c) return k;
        }
        return pi.K - 1;
    }

    /// <summary>The n requested for a sample, checked.</summary>
    public static void CheckSampleSize(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "a sample needs at least one unit");
    }
}
