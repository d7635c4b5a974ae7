using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Gaussian;

/// <summary>
/// A fitted Gaussian mixture ready to label new rows: components and weights on the scale they were
/// fitted on, the scaler that maps original units to that scale (null when not standardized), the
/// column names in order, and the ridge used.
/// </summary>
public sealed record GaussianModel(GaussianComponents Components, MixingWeights Weights, Scaler? Scaler, ImmutableArray<string> Columns, double RegCovar)
{
    /// <summary>Number of components K.</summary>
    public int K => Components.K;

    /// <summary>
    /// Posterior probabilities W[i,k] = pi_k N(z_i | mu_k, Sigma_k) / sum_c pi_c N(z_i | mu_c, Sigma_c)
    /// for rows x_i in original units (z_i = x_i standardized by the stored scaler, or x_i).
    /// The same code path as the fit's final E-step, so labels agree with the fit on the same rows.
    /// </summary>
    /// <remarks>scikit-learn's <c>predict_proba</c>; mclust's <c>predict.Mclust</c>.</remarks>
    public Fin<(Matrix<double> W, double LogLikelihood)> Posterior(Matrix<double> X) => Posterior(X, null);

    /// <summary>
    /// <see cref="Posterior(Matrix{double})"/> for a model whose weights depend on concomitant variables: the prior of row i is
    /// Pr[C_i = k | z_i] = softmax_k(z_i' gamma_k) with z_i row i of <paramref name="concomitant"/> (the new rows' concomitant
    /// design, the intercept first; its Units must be the rows of X), so
    /// W[i,k] = Pr[k | z_i] N(x_i | mu_k, Sigma_k) / sum_c Pr[c | z_i] N(x_i | mu_c, Sigma_c). Null: the constant weights pi.
    /// </summary>
    public Fin<(Matrix<double> W, double LogLikelihood)> Posterior(Matrix<double> X, ConcomitantWeights? concomitant)
    {
        if (X.ColumnCount != Columns.Length)
            return FinFail<(Matrix<double>, double)>(new InvalidDataError($"the model has {Columns.Length} columns, the data {X.ColumnCount}"));
        if (concomitant is not null && (concomitant.Units != X.RowCount || !Weights.HasCoefficients || Weights.CoefficientCount != concomitant.Q))
            return FinFail<(Matrix<double>, double)>(new InvalidDataError(
                $"the concomitant design has {concomitant.Units} rows of {concomitant.Q} terms; the data have {X.RowCount} rows and the model {Weights.CoefficientCount} terms"));
        return from data in GaussianData.Of(X, Columns)
               from fitted in Scaler is null ? Fin<GaussianData>.Succ(data) : Scaler.TryTransform(data)
               from posterior in Resolved(fitted, (IWeightModel?)concomitant ?? ConstantWeights.Instance)
               select posterior;
    }

    /// <summary>The E-step on rows as fitted; a row whose posterior cannot be computed even in log space
    /// (see <see cref="GaussianMixture.EStepResolved(GaussianComponents, MixingWeights, GaussianData)"/>) is an error naming it and its farthest column.</summary>
    private Fin<(Matrix<double> W, double LogLikelihood)> Resolved(GaussianData data, IWeightModel weights)
    {
        var (W, ll, unresolved) = GaussianMixture.EStepResolved(Components, Weights, data, weights);
        if (unresolved < 0) return (W, ll);
        var d = Components.D;
        var far = Enumerable.Range(0, d).MaxBy(j => Enumerable.Range(0, K).Max(k =>
            Math.Abs(data[unresolved, j] - Components.Means[k * d + j]) / Math.Sqrt(Components.Covariance(k)[j, j])));
        return FinFail<(Matrix<double>, double)>(new RowValueError(unresolved, Columns[far],
            $"{data[unresolved, far].ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is too far from every cluster for its posterior to be computed (its Mahalanobis distances overflow even in scaled units)"));
    }
}
