using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Em;

/// <summary>
/// Trust-region Newton steps on the observed information, from a point EM reached, for families with analytic
/// second derivatives (<see cref="ISecondOrderFamily{TData,TComponents}"/>). EM finishes flat likelihoods (K above
/// the true number of classes) only after thousands of steps; Latent GOLD switches to Newton-Raphson for this
/// (Vermunt and Magidson 2016, Technical Guide for Latent GOLD 5.1, section 2.5).
/// </summary>
/// <remarks>
/// In coordinates scaled by s_a = sqrt(|I_aa|), the step e maximises the quadratic model g~'e - e'I~e / 2 subject
/// to |e| &lt;= radius (Moré and Sorensen 1983): with the eigen-decomposition I~ = Q diag(lambda) Q',
/// e = Q diag(1 / (lambda + mu)) Q'g~ with mu = 0 when I~ is positive definite and the Newton step fits inside
/// the radius, otherwise the mu &gt;= max(0, -lambda_min) that puts e on the boundary (so directions of negative
/// curvature, where EM crawls past saddles, are followed as far as the radius allows). With rho the ratio of the
/// actual to the predicted gain, the radius shrinks to |e| / 4 when rho &lt; 1/4 and doubles when rho &gt; 3/4 at the
/// boundary; a step is kept only when it is a valid parameter (weights at least the minimum prior) and raises log L
/// (below the resolution of log L, when it does not lower it by more than rounding). The steps stop when the scaled
/// step is shorter than <see cref="StepTolerance"/>, after <see cref="MaxRejections"/> rejected steps in a row, or when
/// the budget is spent.
/// </remarks>
public static class NewtonSteps
{
    /// <summary>Stop when the scaled step is shorter than this (the parameters then move by about this many standard errors).</summary>
    public const double StepTolerance = 1e-9;

    /// <summary>The relative resolution of a log-likelihood sum (a few ulps of max(1, |log L|)).</summary>
    public const double Resolution = 1e-14;

    /// <summary>The steps stop after this many rejected steps in a row (the quadratic model does not describe log L
    /// here, or the steps run into the minimum prior); EM takes over again.</summary>
    public const int MaxRejections = 3;

    /// <summary>The initial trust radius in scaled coordinates (about one standard error).</summary>
    public const double InitialRadius = 1.0;

    /// <summary>Runs at most <paramref name="maxSteps"/> steps from <paramref name="m"/>; returns the final mixture,
    /// its log-likelihood and the number of steps tried. The responsibilities of the derivatives and a candidate's log L
    /// are computed in the first n K entries of <c>scratch</c> (overwritten), or in a new buffer when it is null.</summary>
    public static (Mixture<TC> Mixture, double LogLikelihood, int Steps) Run<TD, TC>(
        ISecondOrderFamily<TD, TC> so, IMixtureFamily<TD, TC> family, TD data, Mixture<TC> m, int maxSteps, double minPrior, double[]? scratch = null)
    {
        var steps = 0;
        var n = family.Units(data);
        scratch ??= new double[n * m.Weights.K];
        var (g, I, ll) = so.Derivatives(data, m, scratch);
        var radius = InitialRadius;
        var rejected = 0;
        while (steps < maxSteps && radius > 1e-12 && rejected < MaxRejections)
        {
            var D = I.RowCount;
            var scale = new double[D];
            for (var a = 0; a < D; a++) scale[a] = Math.Sqrt(Math.Max(Math.Abs(I[a, a]), 1e-300));
            var It = Matrix<double>.Build.Dense(D, D, (a, b) => I[a, b] / (scale[a] * scale[b]));
            if (!It.Enumerate().All(double.IsFinite)) break;
            var evd = It.Evd(Symmetricity.Symmetric);
            var lambda = evd.EigenValues.Select(c => c.Real).ToArray();
            var Q = evd.EigenVectors;
            var qg = Q.TransposeThisAndMultiply(Vector<double>.Build.Dense(D, a => g[a] / scale[a]));
            double Norm(double mu)
            {
                var s = 0.0;
                for (var i = 0; i < D; i++) { var den = lambda[i] + mu; s += qg[i] * qg[i] / (den * den); }
                return Math.Sqrt(s);
            }
            var lmin = lambda.Min();
            var lmax = Math.Max(1.0, Math.Abs(lambda.Max()));
            var mu = 0.0;
            if (!(lmin > 1e-12 * lmax) || Norm(0) > radius)
            {
                // the boundary solution: |e(mu)| = radius, by bisection on mu above max(0, -lambda_min)
                var lo = Math.Max(0, -lmin) + 1e-12 * lmax;
                var hi = lo + 1.0;
                for (var it = 0; it < 200 && Norm(hi) > radius; it++) hi = lo + 2 * (hi - lo);
                for (var it = 0; it < 100; it++) { var mid = 0.5 * (lo + hi); if (Norm(mid) > radius) lo = mid; else hi = mid; }
                mu = hi;
            }
            var e = Vector<double>.Build.Dense(D);
            for (var i = 0; i < D; i++) e += Q.Column(i) * (qg[i] / (lambda[i] + mu));
            var stepNorm = e.L2Norm();
            var delta = new double[D];
            for (var a = 0; a < D; a++) delta[a] = e[a] / scale[a];
            var Id = I * Vector<double>.Build.Dense(delta);
            var predicted = 0.0;
            for (var a = 0; a < D; a++) predicted += g[a] * delta[a] - 0.5 * delta[a] * Id[a];
            if (!(predicted > 0) || !(stepNorm >= StepTolerance)) break;
            steps++;
            var resolution = Resolution * Math.Max(1.0, Math.Abs(ll));
            var tiny = predicted < resolution;
            var rho = -1.0;
            Mixture<TC>? next = null;
            var llNext = double.NaN;
            if (so.Step(data, m, delta).TryGet(out var candidate, out _) && candidate.Weights.Pi.All(p => p > 0 && p >= minPrior))
            {
                next = candidate;
                family.LogDensities(data, candidate.Components, scratch);
                llNext = EmLoop.EStepInto(scratch, candidate.Weights.LogPi(), n, m.Weights.K, scratch, EmLoop.ActiveWeights(family, data));
                rho = tiny ? 1.0 : (llNext - ll) / predicted;
            }
            if (rho < 0.25) radius = 0.25 * stepNorm;
            else if (rho > 0.75 && stepNorm > 0.99 * radius) radius *= 2;
            if (next is not null && (llNext > ll || (tiny && llNext >= ll - resolution)))
            {
                m = next;
                (g, I, ll) = so.Derivatives(data, m, scratch);
                rejected = 0;
            }
            else rejected++;
        }
        return (m, ll, steps);
    }
}
