using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;
using Mixtures.PropertyTests.Gaussian;
using Mixtures.PropertyTests.Regression;
using Mixtures.PropertyTests.Sales;

namespace Mixtures.PropertyTests.Em;

/// <summary>
/// The safeguard of SQUAREM and of Anderson acceleration: every point an accelerated run moves to has a log-likelihood no lower than the one
/// before it (up to rounding), for every family; and a run that stops by the rule stops at an EM fixed point
/// (one more plain EM step hardly changes log L).
/// </summary>
public class AccelerationProperties
{
    private static readonly Gen<Acceleration> Accelerations = Gen.Elements(Acceleration.Squarem, Acceleration.Anderson);
    private static readonly Gen<(int, Acceleration)> StartAndAcceleration = from s in Gen.Choose(0, 5) from a in Accelerations select (s, a);
    private static readonly Gen<(int, Acceleration)> KAndAcceleration = from k in Gen.Choose(1, 4) from a in Accelerations select (k, a);

    private static bool Monotone<TC>(EmFit<TC> f) => MonotoneTrace(f.Trace);

    private static bool MonotoneTrace(System.Collections.Immutable.ImmutableArray<double> trace)
    {
        for (var t = 1; t < trace.Length; t++)
            if (trace[t] < trace[t - 1] - 1e-9 * Math.Max(1, Math.Abs(trace[t - 1]))) return false;
        return true;
    }

    /// <summary>One plain EM step from the fit's final responsibilities raises log L by at most this (relative).</summary>
    private static bool AtFixedPoint<TD, TC>(IMixtureFamily<TD, TC> family, TD data, EmFit<TC> f, double tolerance)
    {
        if (!f.Converged) return true;
        var next = EmLoop.Run(family, data, EmLoop.Responsibilities(family, ConstantWeights.Instance, data, f), new EmOptions(0, 1), f.Start);
        return !next.TryGet(out var g, out _) || g.LogLikelihood - f.LogLikelihood <= tolerance * Math.Max(1, Math.Abs(f.LogLikelihood));
    }

    [Property(MaxTest = 40)]
    public Property Sales_accelerated_EM_never_decreases_log_L_and_stops_at_a_fixed_point() =>
        Prop.ForAll(SalesGenerators.Small(), Gen.Choose(1, 5).ToArbitrary(), Gen.Elements(Acceleration.Squarem, Acceleration.Anderson).ToArbitrary(), (c, K, accelerate) =>
        {
            K = Math.Min(K, c.Stores);
            var fit = SalesModel.EM(K, c.Y, c.X, new EmOptions(1e-10, 400, Accelerate: accelerate), c.Seed);
            if (!fit.TryGet(out var f, out _)) return true; // a start that emptied a segment has no trace to check
            var data = RegressionData.Panel(c.Y, c.X);
            var em = EmLoop.Run(SalesModel.Family, data, f.W, new EmOptions(0, 1), f.Start);
            return MonotoneTrace(f.Trace) && (!f.Converged || !em.TryGet(out var g, out _) || g.LogLikelihood - f.LogLikelihood <= 1e-8 * Math.Abs(f.LogLikelihood));
        });

    [RegressionProperty]
    public Property Regression_accelerated_EM_never_decreases_log_L_from_every_start_kind() =>
        Prop.ForAll(RegressionGenerators.Small.ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), StartAndAcceleration.ToArbitrary(), (c, K, sa) =>
        {
            var (start, accelerate) = sa;
            K = Math.Min(K, c.Data.Units);
            var settings = new RegressionSettings(c.Variance, Seed: c.Seed, Tolerance: 1e-10, MaxIterations: 400, MinPrior: 0, Accelerate: accelerate);
            if (!LatentClassRegression.EM(K, c.Data, settings, start).TryGet(out var f, out _)) return true; // a degenerate start has no trace
            return Monotone(f) && AtFixedPoint(LatentClassRegression.Family(c.Variance), c.Data, f, 1e-8);
        });

    [GaussianProperty]
    public Property Gaussian_accelerated_EM_never_decreases_log_L_for_every_covariance_type_without_ridge() =>
        Prop.ForAll(GaussianGenerators.Small.ToArbitrary(), GaussianGenerators.Covariance.ToArbitrary(), KAndAcceleration.ToArbitrary(), (c, type, ka) =>
        {
            var (K, accelerate) = ka;
            // reg-covar 0: only the exact ML M-step is guaranteed not to decrease log L (a ridged one is not a maximiser)
            var family = new GaussianFamily(type, 0.0, GaussianInit.Random);
            var W0 = family.RandomResponsibilities(c.Data, K, Seeds.Generator(c.Seed));
            var options = new EmOptions(1e-13, 300, 0, StopRule.LogLikelihoodChange, accelerate);
            if (!EmLoop.Run(family, c.Data, W0, options, new StartInfo(StartKind.RandomUniform, 0, c.Seed)).TryGet(out var f, out _)) return true;
            return Monotone(f) && AtFixedPoint(family, c.Data, f, 1e-8);
        });
}
