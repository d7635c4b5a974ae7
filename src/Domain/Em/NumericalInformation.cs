using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// The observed information of any family's mixture with concomitant weights as minus a numerical Hessian of log L, for
/// families without analytic second derivatives (the Gaussian mixture): psi = (the family's unconstrained coordinates
/// (<see cref="IMixtureFamily{TData,TComponents}.ToVector"/>: locations on the data's scale, log variances, log-Cholesky
/// covariances), gamma_2..gamma_K), central second differences at h = 1e-4 and 2h, Richardson-extrapolated (error O(h^4)),
/// as flexmix's <c>refit</c> takes its Hessian numerically. The gamma block of I(psi)^-1 then accounts for the
/// uncertainty of the components, unlike the conditional information of <see cref="ConcomitantInference"/>.
/// </summary>
public static class NumericalInformation
{
    /// <summary>The largest psi the numerical Hessian is computed for (O(D^2) evaluations of log L).</summary>
    public const int MaxDimension = 60;

    /// <summary>The largest n K D^2 (log-density evaluations) the numerical Hessian is computed for.</summary>
    public const double MaxWork = 4e9;

    /// <summary>gamma_2..gamma_K with SEs from the inverse numerical observed information (row k - 2, terms in the model's
    /// order). Fails when psi is too long or the data too large for it, or the information is not positive definite.</summary>
    public static Fin<ImmutableArray<ImmutableArray<ParameterEstimate>>> GammaStandardErrors<TD, TC>(
        IMixtureFamily<TD, TC> family, ConcomitantWeights z, TD data, Mixture<TC> m)
    {
        var K = family.ComponentCount(m.Components);
        if (K < 2) return ImmutableArray<ImmutableArray<ParameterEstimate>>.Empty;
        var n = family.Units(data);
        var vc = family.VectorLength(data, K);
        var vg = z.VectorLength(K);
        var D = vc + vg;
        if (D > MaxDimension || (double)n * K * D * D > MaxWork)
            return FinFail<ImmutableArray<ImmutableArray<ParameterEstimate>>>(new SingularInformationError(
                $"{D} parameters and {n} rows are too many for the numerical Hessian (at most {MaxDimension} parameters and n K D^2 <= {MaxWork:G2})"));
        var psi0 = new double[D];
        family.ToVector(data, m.Components, psi0.AsSpan(0, vc));
        z.ToVector(m.Weights, psi0.AsSpan(vc, vg));
        var ow = family.UnitWeights(data)?.Active;
        var L = new double[n * K];
        double F(double[] psi)
        {
            if (!family.FromVector(data, psi.AsSpan(0, vc), K).TryGet(out var c, out _)) return double.NaN;
            if (!z.FromVector(psi.AsSpan(vc, vg)).TryGet(out var w, out _)) return double.NaN;
            family.LogDensities(data, c, L);
            return EmLoop.EStepInto(L, z.LogPrior(w, n), n, K, L, ow);
        }
        var f0 = F(psi0);
        double At(int a, double da, int b, double db)
        {
            var x = (double[])psi0.Clone();
            x[a] += da;
            x[b] += db;
            return F(x);
        }
        double Second(int a, int b, double h) => a == b
            ? (At(a, h, a, 0) - 2 * f0 + At(a, -h, a, 0)) / (h * h)
            : (At(a, h, b, h) - At(a, h, b, -h) - At(a, -h, b, h) + At(a, -h, b, -h)) / (4 * h * h);
        const double step = 1e-4;
        var info = Matrix<double>.Build.Dense(D, D);
        for (var a = 0; a < D; a++)
        for (var b = a; b < D; b++)
        {
            var hess = (4 * Second(a, b, step) - Second(a, b, 2 * step)) / 3;
            info[a, b] = -hess;
            info[b, a] = -hess;
        }
        return from cov in WeightInference.Covariance(info)
               select Enumerable.Range(0, K - 1).Select(k => Enumerable.Range(0, z.Q)
                   .Select(j => ParameterEstimate.Wald(m.Weights.Gamma(k + 1, j), Math.Sqrt(cov[vc + k * z.Q + j, vc + k * z.Q + j]))).ToImmutableArray())
                   .ToImmutableArray();
    }
}
