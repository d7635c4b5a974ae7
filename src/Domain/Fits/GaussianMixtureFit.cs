using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Fits;

/// <summary>
/// A Gaussian mixture fitted by <see cref="GaussianMixture.Fit(Matrix{double}, IEnumerable{int}?, GaussianSettings?)"/>:
/// the selected K of the estimation path, as scikit-learn's fitted <c>GaussianMixture</c>. Data are n x d rows in the
/// units of the fitted data (standardization, when asked for, is applied and undone inside).
/// </summary>
/// <remarks><see cref="MixtureFit{TData, TComponents}.Components"/> are on the scale fitted (standardized units when
/// <see cref="GaussianSettings.Standardize"/>; <see cref="Means"/> and <see cref="Covariance"/> are in the data's units), and so is
/// <see cref="MixtureFit{TData, TComponents}.LogLikelihood"/>: with standardization it is the sum of
/// <see cref="ScoreSamples(Matrix{double})"/> on the fitted rows plus n sum_j log s_j.</remarks>
public sealed class GaussianMixtureFit : MixtureFit<Matrix<double>, GaussianComponents>
{
    /// <summary>The fit of an estimation's selected K.</summary>
    public GaussianMixtureFit(GaussianEstimate estimate) : base(estimate.Estimation) => Estimate = estimate;

    /// <summary>The estimation behind the fit (path, model for new rows, final E-step).</summary>
    public GaussianEstimate Estimate { get; }

    /// <inheritdoc/>
    /// <remarks>From the final E-step made a chunk of rows at a time (no n x K matrix).</remarks>
    public override ImmutableArray<int> Labels => Estimate.Labels;
    /// <inheritdoc/>
    public override Matrix<double> Responsibilities => Estimate.Responsibilities;

    /// <summary>mu_k in the data's units (K x d).</summary>
    public Matrix<double> Means => Matrix<double>.Build.DenseOfRowArrays(Enumerable.Range(0, K).Select(k =>
    {
        var mu = Components.Mean(k).ToArray();
        return Estimate.Model.Scaler is { } s ? s.MeanToOriginal(mu) : mu;
    }));

    /// <summary>Sigma_k in the data's units (d x d).</summary>
    public Matrix<double> Covariance(int k) =>
        Estimate.Model.Scaler is { } s ? s.CovarianceToOriginal(Components.Covariance(k)) : Components.Covariance(k);

    /// <inheritdoc/>
    /// <remarks>Densities in the data's units: with standardization, log f(z) - sum_j log s_j. A row so far from every
    /// component that its density underflows scores -inf.</remarks>
    public override Fin<ImmutableArray<double>> ScoreSamples(Matrix<double> X) =>
        from data in Fitted(X)
        let L = Estimate.Settings.Family.LogDensityMatrix(data, Components)
        let jacobian = Estimate.Model.Scaler is { } s ? s.Scale.Sum(Math.Log) : 0.0
        select FitSupport.UnitLogLikelihoods(L, Weights).Select(v => v - jacobian).ToImmutableArray();

    /// <summary><see cref="ScoreSamples(Matrix{double})"/> on a rectangular array of rows.</summary>
    public Fin<ImmutableArray<double>> ScoreSamples(double[,] X) => ScoreSamples(PlainArrays.ToMatrix(X));
    /// <summary><see cref="ScoreSamples(Matrix{double})"/> on a jagged array of rows.</summary>
    public Fin<ImmutableArray<double>> ScoreSamples(double[][] X) => PlainArrays.ToMatrix(X).Bind(ScoreSamples);

    /// <inheritdoc/>
    public override Fin<Matrix<double>> PredictProba(Matrix<double> X) => Estimate.Model.Posterior(X).Map(p => p.W);
    /// <summary><see cref="PredictProba(Matrix{double})"/> on a rectangular array of rows.</summary>
    public Fin<Matrix<double>> PredictProba(double[,] X) => PredictProba(PlainArrays.ToMatrix(X));
    /// <summary><see cref="PredictProba(Matrix{double})"/> on a jagged array of rows.</summary>
    public Fin<Matrix<double>> PredictProba(double[][] X) => PlainArrays.ToMatrix(X).Bind(PredictProba);

    /// <summary><see cref="MixtureFit{TData, TComponents}.Predict"/> on a rectangular array of rows.</summary>
    public Fin<ImmutableArray<int>> Predict(double[,] X) => Predict(PlainArrays.ToMatrix(X));
    /// <summary><see cref="MixtureFit{TData, TComponents}.Predict"/> on a jagged array of rows.</summary>
    public Fin<ImmutableArray<int>> Predict(double[][] X) => PlainArrays.ToMatrix(X).Bind(Predict);

    /// <inheritdoc/>
    /// <remarks>Row i: a component c ~ pi, then x = mu_c + L_c e with Sigma_c = L_c L_c' and e ~ N(0, I), drawn on the
    /// scale fitted and returned in the data's units.</remarks>
    public override MixtureSample<Matrix<double>> Sample(int n, ulong seed)
    {
        FitSupport.CheckSampleSize(n);
        var rng = Seeds.Generator(seed);
        var d = Components.D;
        var chol = Enumerable.Range(0, K).Select(k => Components.Covariance(k).Cholesky().Factor).ToArray();
        var X = Matrix<double>.Build.Dense(n, d);
        var labels = new int[n];
        var e = Vector<double>.Build.Dense(d);
        var scaler = Estimate.Model.Scaler;
        for (var i = 0; i < n; i++)
        {
            var c = FitSupport.Draw(Weights, rng);
            labels[i] = c;
            for (var j = 0; j < d; j++) e[j] = Normal.Sample(rng, 0, 1);
            var z = Components.Mean(c) + chol[c] * e;
            for (var j = 0; j < d; j++) X[i, j] = scaler is null ? z[j] : scaler.Mean[j] + scaler.Scale[j] * z[j];
        }
        return new MixtureSample<Matrix<double>>(X, [.. labels]);
    }

    private Fin<GaussianData> Fitted(Matrix<double> X)
    {
        var columns = Estimate.Model.Columns;
        if (X.ColumnCount != columns.Length)
            return FinFail<GaussianData>(new InvalidDataError($"the model has {columns.Length} columns, the data {X.ColumnCount}"));
        return from data in GaussianData.Of(X, columns)
               from fitted in Estimate.Model.Scaler is { } s ? s.TryTransform(data) : Fin<GaussianData>.Succ(data)
               select fitted;
    }
}
