using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Regression;

/// <summary>
/// The parts of a mixture's standard errors that do not depend on the response family: Cov(psi) = I(psi)^-1 by
/// Cholesky, and the Wald estimates of the mixing weights' parameters, either the logits alpha_c = log(pi_c / pi_1)
/// of constant weights or the concomitant coefficients gamma_kj, with the delta-method SEs of pi.
/// Shared by <see cref="ObservedInformation"/> (Gaussian responses) and <see cref="GlmInformation"/> (GLM responses).
/// </summary>
internal static class WeightInference
{
    /// <summary>Cov(psi) = I(psi)^-1 by Cholesky, symmetrised; fails when I is not finite or not positive definite.</summary>
    public static Fin<Matrix<double>> Covariance(Matrix<double> info)
    {
        var D = info.RowCount;
        if (!info.Enumerate().All(double.IsFinite)) return FinFail<Matrix<double>>(new SingularInformationError("non-finite entries"));
        var chol = WeightedLeastSquares.TryCholesky(info);
        if (chol is null) return FinFail<Matrix<double>>(new SingularInformationError("Cholesky failed"));
        var cov = chol.Solve(Matrix<double>.Build.DenseIdentity(D));
        cov = (cov + cov.Transpose()) * 0.5;
        for (var a = 0; a < D; a++)
            if (!(cov[a, a] > 0) || !double.IsFinite(cov[a, a]))
                return FinFail<Matrix<double>>(new SingularInformationError($"variance of parameter {a + 1} is {cov[a, a]:G3}"));
        return cov;
    }

    /// <summary>Constant weights: alpha_c = log(pi_c / pi_1), c = 2..K, at psi[offset + c - 2], and pi_c with the delta
    /// method d pi_c / d alpha_j = pi_c ([c = j] - pi_j).</summary>
    public static (ImmutableArray<ParameterEstimate> Logit, ImmutableArray<ParameterEstimate> Pi) Constant(
        MixingWeights pi, Matrix<double> cov, int offset)
    {
        var K = pi.K;
        var logit = Enumerable.Range(1, K - 1)
            .Select(c => ParameterEstimate.Wald(Math.Log(pi.Pi[c] / pi.Pi[0]), Math.Sqrt(cov[offset + c - 1, offset + c - 1]))).ToImmutableArray();
        var J = Matrix<double>.Build.Dense(K, K - 1, (c, j) => pi.Pi[c] * ((c == j + 1 ? 1.0 : 0.0) - pi.Pi[j + 1]));
        var covAlpha = K > 1 ? cov.SubMatrix(offset, K - 1, offset, K - 1) : null;
        return (logit, PiEstimates(pi, covAlpha is null ? null : J * covAlpha * J.Transpose()));
    }

    /// <summary>Concomitant weights: gamma_kj (k = 2..K) at psi[offset + (k - 2) q + j], and the mean priors
    /// pi_c = (1/U) sum_u p_uc with the delta method d pi_c / d gamma_(d,j) = (1/U) sum_u p_uc ([c = d] - p_ud) z_uj; with
    /// observation weights o_u (<paramref name="unitWeights"/>) the mean prior is sum_u o_u p_uc / sum_u o_u, and so is its
    /// derivative.</summary>
    public static (ImmutableArray<ImmutableArray<ParameterEstimate>> Gamma, ImmutableArray<ParameterEstimate> Pi) Concomitant(
        MixingWeights weights, ConcomitantWeights concomitant, Matrix<double> cov, int offset, double[]? unitWeights = null)
    {
        var K = weights.K;
        var q = concomitant.Q;
        var U = concomitant.Units;
        var gamma = Enumerable.Range(1, K - 1).Select(k => Enumerable.Range(0, q)
            .Select(j => ParameterEstimate.Wald(weights.Gamma(k, j), Math.Sqrt(cov[offset + (k - 1) * q + j, offset + (k - 1) * q + j])))
            .ToImmutableArray()).ToImmutableArray();
        var logPrior = concomitant.LogPrior(weights, U);
        var total = unitWeights?.Sum() ?? U;
        var J = Matrix<double>.Build.Dense(K, (K - 1) * q);
        for (var u = 0; u < U; u++)
        for (var c = 0; c < K; c++)
        {
            var pc = Math.Exp(logPrior[c * U + u]);
            var ou = unitWeights?[u] ?? 1.0;
            for (var k = 1; k < K; k++)
            {
                var f = ou * pc * ((c == k ? 1.0 : 0.0) - Math.Exp(logPrior[k * U + u])) / total;
                for (var j = 0; j < q; j++) J[c, (k - 1) * q + j] += f * concomitant.Z(u, j);
            }
        }
        var covGamma = K > 1 ? cov.SubMatrix(offset, (K - 1) * q, offset, (K - 1) * q) : null;
        return (gamma, PiEstimates(weights, covGamma is null ? null : J * covGamma * J.Transpose()));
    }

    /// <summary>The names of gamma's entries: gamma[k]:term for k = 2..K.</summary>
    public static IEnumerable<string> GammaNames(int K, ConcomitantWeights concomitant) =>
        Enumerable.Range(2, K - 1).SelectMany(k => concomitant.Names.Select(n => $"gamma[{k}]:{n}"));

    /// <summary>pi_c with the delta-method SE from Cov(pi) (none for K = 1) and the interval on the logit(pi_c) scale.</summary>
    private static ImmutableArray<ParameterEstimate> PiEstimates(MixingWeights pi, Matrix<double>? covPi) =>
        Enumerable.Range(0, pi.K).Select(c =>
        {
            var pc = pi.Pi[c];
            if (covPi is null) return new ParameterEstimate(pc, 0.0, pc, pc);
            var se = Math.Sqrt(Math.Max(0.0, covPi[c, c]));
            var lg = Math.Log(pc / (1 - pc));
            var seLogit = se / (pc * (1 - pc));
            return new ParameterEstimate(pc, se, Expit(lg - ParameterEstimate.Z975 * seLogit), Expit(lg + ParameterEstimate.Z975 * seLogit));
        }).ToImmutableArray();

    private static double Expit(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
