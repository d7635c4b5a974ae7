using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// Standard errors of the multinomial-logit coefficients gamma of a concomitant model (<see cref="ConcomitantWeights"/>)
/// from the information of gamma with the component parameters theta held at their estimates: with p_u = softmax(z_u' gamma)
/// the prior and w_u the posterior of unit u,
///   -d^2 log L / d gamma_k d gamma_l' | theta = sum_u [ p_uk ([k = l] - p_ul) - w_uk ([k = l] - w_ul) ] z_u z_u',  k, l = 2..K
/// (the prior's curvature minus the posterior's: d w_uk / d gamma_l = w_uk ([k = l] - w_ul) z_u). Its inverse, solved by Cholesky,
/// is the covariance of gamma when theta is known; it ignores the uncertainty of theta, so these SEs are a lower bound of the
/// SEs from the full observed information (what <see cref="ObservedInformation"/> gives for the regression families).
/// </summary>
/// <remarks>The conditional (or "partial") information, as reported for the concomitant part by some EM software when the full
/// Hessian is not available; R flexmix's <c>refit</c> instead differentiates the whole log-likelihood numerically.</remarks>
public static class ConcomitantInference
{
    /// <summary>The (K - 1) q x (K - 1) q conditional information of gamma_2..gamma_K (row (k - 2) q + j) from the n x K
    /// posterior <paramref name="W"/> (column-major in its first n K entries) at the fitted weights.</summary>
    public static Matrix<double> ConditionalInformation(ConcomitantWeights model, MixingWeights weights, double[] W, int n, int K)
    {
        if (n != model.Units) throw new ArgumentException($"the concomitant design has {model.Units} rows but W has {n}");
        var q = model.Q;
        var P = (K - 1) * q;
        var logP = model.LogPrior(weights, n);
        var info = new double[P * P];
        var zu = new double[q];
        for (var u = 0; u < n; u++)
        {
            for (var j = 0; j < q; j++) zu[j] = model.Z(u, j);
            for (var k = 1; k < K; k++)
            for (var l = 1; l < K; l++)
            {
                var pk = Math.Exp(logP[k * n + u]);
                var pl = Math.Exp(logP[l * n + u]);
                var wk = W[k * n + u];
                var wl = W[l * n + u];
                var c = pk * ((k == l ? 1.0 : 0.0) - pl) - wk * ((k == l ? 1.0 : 0.0) - wl);
                if (c == 0) continue;
                for (var a = 0; a < q; a++)
                {
                    var row = ((k - 1) * q + a) * P + (l - 1) * q;
                    var ca = c * zu[a];
                    for (var b = 0; b < q; b++) info[row + b] += ca * zu[b];
                }
            }
        }
        return Matrix<double>.Build.Dense(P, P, (a, b) => 0.5 * (info[a * P + b] + info[b * P + a]));
    }

    /// <summary>Wald estimates of gamma_kj (k = 2..K, row k - 2; j in the model's term order) with SE = sqrt of the diagonal of
    /// the inverse conditional information (see the class). Fails when that information is not positive definite (the posterior
    /// is as variable as the prior: the data say nothing about gamma given theta) or the concomitants separate the classes
    /// (<see cref="ConcomitantWeights.Separates"/>: gamma has no finite estimate).</summary>
    public static Fin<ImmutableArray<ImmutableArray<ParameterEstimate>>> ConditionalStandardErrors(
        ConcomitantWeights model, MixingWeights weights, double[] W, int n, int K)
    {
        if (K < 2) return ImmutableArray<ImmutableArray<ParameterEstimate>>.Empty;
        if (model.Separates(W, n, weights))
            return FinFail<ImmutableArray<ImmutableArray<ParameterEstimate>>>(new SeparatedConcomitantsError(string.Join(", ", model.Names)));
        var info = ConditionalInformation(model, weights, W, n, K);
        if (!info.Enumerate().All(double.IsFinite))
            return FinFail<ImmutableArray<ImmutableArray<ParameterEstimate>>>(new SingularInformationError("non-finite entries in the information of gamma"));
        var chol = WeightedLeastSquares.TryCholesky(info);
        if (chol is null)
            return FinFail<ImmutableArray<ImmutableArray<ParameterEstimate>>>(new SingularInformationError("the information of gamma given the component parameters is not positive definite"));
        var P = info.RowCount;
        var cov = chol.Solve(Matrix<double>.Build.DenseIdentity(P));
        var q = model.Q;
        var rows = ImmutableArray.CreateBuilder<ImmutableArray<ParameterEstimate>>(K - 1);
        for (var k = 1; k < K; k++)
        {
            var row = ImmutableArray.CreateBuilder<ParameterEstimate>(q);
            for (var j = 0; j < q; j++)
            {
                var v = cov[(k - 1) * q + j, (k - 1) * q + j];
                if (!(v > 0) || !double.IsFinite(v))
                    return FinFail<ImmutableArray<ImmutableArray<ParameterEstimate>>>(new SingularInformationError($"the variance of gamma[{k + 1}]:{model.Names[j]} is {v:G3}"));
                row.Add(ParameterEstimate.Wald(weights.Gamma(k, j), Math.Sqrt(v)));
            }
            rows.Add(row.MoveToImmutable());
        }
        return rows.MoveToImmutable();
    }
}
