using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;
using Mixtures.PropertyTests.Regression;

namespace Mixtures.PropertyTests.Em;

/// <summary>Two classes whose prior depends on a concomitant z ~ N(0, 1): logit Pr[class 2 | z] = G0 + G1 z. Class 1 is
/// y = 1 + 2x + 0.5 e (or a point around (0, 0)), class 2 y = 6 - x + 0.5 e (a point around (3, 3)); every row is a unit.</summary>
public sealed record ConcomitantCase(int Rows, double G0, double G1, ulong Seed)
{
    private (double[] Y, Matrix<double> X, Matrix<double> Points, Matrix<double> Z, bool[] Second)? drawn;

    private (double[] Y, Matrix<double> X, Matrix<double> Points, Matrix<double> Z, bool[] Second) Draw()
    {
        if (drawn is { } d) return d;
        var rng = Seeds.Generator(Seed);
        var y = new double[Rows];
        var X = Matrix<double>.Build.Dense(Rows, 2);
        var P = Matrix<double>.Build.Dense(Rows, 2);
        var Z = Matrix<double>.Build.Dense(Rows, 1);
        var classes = new bool[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var z = Normal.Sample(rng, 0, 1);
            var second = rng.NextDouble() < 1 / (1 + Math.Exp(-(G0 + G1 * z)));
            classes[i] = second;
            var x = 4 * rng.NextDouble();
            X[i, 0] = 1;
            X[i, 1] = x;
            y[i] = (second ? 6 - x : 1 + 2 * x) + 0.5 * Normal.Sample(rng, 0, 1);
            P[i, 0] = (second ? 3 : 0) + Normal.Sample(rng, 0, 1);
            P[i, 1] = (second ? 3 : 0) + Normal.Sample(rng, 0, 1);
            Z[i, 0] = z;
        }
        drawn = (y, X, P, Z, classes);
        return drawn.Value;
    }

    /// <summary>The regression data (rows as units).</summary>
    public RegressionData Regression => LatentClassRegression.Data(Draw().Y, Draw().X);

    /// <summary>The design [1, x] of the regression.</summary>
    public Matrix<double> Design => Draw().X;

    /// <summary>Whether row i was drawn from class 2.</summary>
    public bool[] Second => Draw().Second;

    /// <summary>The 2-d points of the Gaussian mixture.</summary>
    public GaussianData Points => GaussianData.Of(Draw().Points).Value();

    /// <summary>The concomitant model [1, z].</summary>
    public ConcomitantWeights Concomitant => ConcomitantWeights.WithIntercept(Draw().Z, ["z"]);

    public override string ToString() => $"n = {Rows}, logit Pr[class 2 | z] = {G0:R} + {G1:R} z, seed = {Seed}";
}

/// <summary>Concomitant-variable invariants: plain EM with a multinomial-logit weight model never lowers log L (regression and
/// Gaussian mixture, no ridge), and the simulated gamma lies within 4 standard errors (observed information) of the estimate.</summary>
public class ConcomitantProperties
{
    /// <summary>gamma_2 = (g0, g1) in [-1, 1] x [-1.5, 1.5].</summary>
    private static Gen<ConcomitantCase> Cases(int minRows, int maxRows) =>
        from n in Gen.Choose(minRows, maxRows)
        from g0 in RegressionGenerators.Between(-1, 1)
        from g1 in RegressionGenerators.Between(-1.5, 1.5)
        from seed in Gen.Choose(1, int.MaxValue)
        select new ConcomitantCase(n, g0, g1, (ulong)seed);

    private static bool Monotone(System.Collections.Immutable.ImmutableArray<double> trace)
    {
        for (var t = 1; t < trace.Length; t++)
            if (trace[t] < trace[t - 1] - 1e-9 * Math.Max(1, Math.Abs(trace[t - 1]))) return false;
        return true;
    }

    private static readonly EmOptions Plain = new(1e-12, 150, 0, StopRule.LogLikelihoodChange, Acceleration.None);

    [RegressionProperty(MaxTest = 15)]
    public Property Plain_EM_never_lowers_log_L_of_a_regression_mixture_with_concomitant_weights() =>
        Prop.ForAll(Cases(60, 300).ToArbitrary(), Gen.Choose(2, 3).ToArbitrary(), (c, K) =>
        {
            var data = c.Regression;
            var family = LatentClassRegression.Family(VarianceModel.PerClass);
            var W0 = Estimation.RandomPartition(data.Units, K, Seeds.Generator(c.Seed));
            if (!EmLoop.Run(family, c.Concomitant, data, W0, Plain, new StartInfo(StartKind.RandomPartition, 0, c.Seed)).TryGet(out var f, out _))
                return true;   // a start that degenerates or separates has no trace
            return Monotone(f.Trace) && f.Mixture.Weights.HasCoefficients;
        });

    [Mixtures.PropertyTests.Gaussian.GaussianProperty(MaxTest = 15)]
    public Property Plain_EM_never_lowers_log_L_of_a_Gaussian_mixture_with_concomitant_weights() =>
        Prop.ForAll(Cases(60, 300).ToArbitrary(), Gen.Choose(2, 3).ToArbitrary(), (c, K) =>
        {
            var data = c.Points;
            var family = new GaussianFamily(CovarianceType.Full, 0.0, GaussianInit.Random);
            var W0 = family.RandomResponsibilities(data, K, Seeds.Generator(c.Seed));
            if (!EmLoop.Run(family, c.Concomitant, data, W0, Plain, new StartInfo(StartKind.Random, 0, c.Seed)).TryGet(out var f, out _))
                return true;
            return Monotone(f.Trace) && f.Mixture.Weights.HasCoefficients;
        });

    [RegressionProperty(MaxTest = 15)]
    public Property Plain_EM_never_lowers_log_L_of_a_Poisson_mixture_with_concomitant_weights() =>
        Prop.ForAll(Cases(60, 300).ToArbitrary(), Gen.Choose(2, 3).ToArbitrary(), (c, K) =>
        {
            // counts drawn from the case's classes: log mu = 0.5 + 0.3 x (class 1) or 2 - 0.2 x (class 2), x = the case's covariate
            var rng = Seeds.Generator(c.Seed + 1);
            var X = c.Design;
            var y = Enumerable.Range(0, c.Rows).Select(i => (double)Poisson.Sample(rng,
                Math.Exp(c.Second[i] ? 2 - 0.2 * X[i, 1] : 0.5 + 0.3 * X[i, 1]))).ToArray();
            var data = GlmData.Of(GlmResponse.Poisson, y, X).Value();
            var W0 = Estimation.RandomPartition(data.Units, K, Seeds.Generator(c.Seed));
            if (!EmLoop.Run(GlmFamily.Instance, c.Concomitant, data, W0, Plain, new StartInfo(StartKind.RandomPartition, 0, c.Seed)).TryGet(out var f, out _))
                return true;   // a start whose class GLM has no maximum has no trace
            return Monotone(f.Trace) && f.Mixture.Weights.HasCoefficients;
        });

    [RegressionProperty(MaxTest = 10)]
    public Property Simulated_gamma_lies_within_4_standard_errors_of_the_estimate() =>
        Prop.ForAll(Cases(1500, 1500).ToArbitrary(), c =>
        {
            var data = c.Regression;
            var z = c.Concomitant;
            var settings = new RegressionSettings(VarianceModel.PerClass, Starts: 3, Seed: c.Seed, Tolerance: 1e-10, MinPrior: 0);
            var fit = LatentClassRegression.Estimate([2], data, settings, concomitant: z).Value().Fits[0].Result.Value().Best;
            var inf = LatentClassRegression.StandardErrors(fit.Mixture.Components, fit.Mixture.Weights, data, VarianceModel.PerClass, z).Value();
            // canonical order: class 1 has the smaller intercept (1 + 2x), the simulated reference class
            double[] truth = [c.G0, c.G1];
            var ok = true;
            for (var j = 0; j < 2; j++)
            {
                var g = inf.Gamma[0][j];
                ok &= Math.Abs(g.Estimate - truth[j]) <= 4 * g.StdError;
            }
            return ok.Label($"gamma_2 = ({inf.Gamma[0][0].Estimate:G4}, {inf.Gamma[0][1].Estimate:G4}), SE ({inf.Gamma[0][0].StdError:G3}, {inf.Gamma[0][1].StdError:G3})");
        });
}

