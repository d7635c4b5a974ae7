using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Gaussian;

/// <summary>gamma's SEs from the numerical observed information (<see cref="NumericalInformation"/>): equal to the analytic
/// observed information's where the family has one (regression), and never below the conditional SEs (Gaussian mixture).</summary>
public class NumericalInformationTests
{
    private static (double[] Y, Matrix<double> X, Matrix<double> Points, Matrix<double> Z) Simulate(int n, ulong seed)
    {
        var rng = Mixtures.Domain.Random.Seeds.Generator(seed);
        var y = new double[n];
        var X = Matrix<double>.Build.Dense(n, 2);
        var P = Matrix<double>.Build.Dense(n, 2);
        var Z = Matrix<double>.Build.Dense(n, 1);
        for (var i = 0; i < n; i++)
        {
            var z = Normal.Sample(rng, 0, 1);
            var second = rng.NextDouble() < 1 / (1 + Math.Exp(-(0.3 + 1.2 * z)));
            X[i, 0] = 1;
            X[i, 1] = 3 * rng.NextDouble();
            y[i] = (second ? 4 - X[i, 1] : 1 + X[i, 1]) + (second ? 1.0 : 0.7) * Normal.Sample(rng, 0, 1);
            P[i, 0] = (second ? 2.5 : 0) + Normal.Sample(rng, 0, 1);
            P[i, 1] = (second ? 2.5 : 0) + Normal.Sample(rng, 0, 1);
            Z[i, 0] = z;
        }
        return (y, X, P, Z);
    }

    [Fact]
    public void Numerical_gamma_standard_errors_equal_the_analytic_observed_informations_for_a_regression_mixture()
    {
        var (y, X, _, Z) = Simulate(400, 21);
        var data = RegressionData.FromRows(y, X);
        var model = ConcomitantWeights.WithIntercept(Z, ["z"]);
        var fit = LatentClassRegression.Estimate([2], data, RegressionSettings.Default with { Tolerance = 1e-12, Starts = 5 }, concomitant: model)
            .Value().Fits[0].Estimate!.Best;
        var analytic = ObservedInformation.Inference(fit.Mixture.Components, fit.Mixture.Weights, data, VarianceModel.PerClass, model).Value().Gamma;
        var numerical = NumericalInformation.GammaStandardErrors(LatentClassRegression.Family(VarianceModel.PerClass), model, data, fit.Mixture).Value();
        for (var j = 0; j < 2; j++)
        {
            Assert.Equal(analytic[0][j].Estimate, numerical[0][j].Estimate);
            Assert.Equal(analytic[0][j].StdError, numerical[0][j].StdError, 1e-4 * analytic[0][j].StdError);
        }
    }

    [Fact]
    public void Gaussian_mixture_gamma_standard_errors_are_full_and_at_least_the_conditional_ones()
    {
        var (_, _, P, Z) = Simulate(600, 5);
        var model = ConcomitantWeights.WithIntercept(Z, ["z"]);
        var est = GaussianMixture.Estimate([2], GaussianData.Of(P).Value(), GaussianSettings.Default with { RegCovar = 0 }, model).Value();
        var (gamma, full) = est.GammaStandardErrors();
        Assert.True(full);
        var conditional = est.ConditionalGamma().Value();
        for (var j = 0; j < 2; j++)
        {
            var g = gamma.Value()[0][j];
            Assert.Equal(conditional[0][j].Estimate, g.Estimate);
            // [I^-1]_gamma >= (I_gamma,gamma)^-1: the full SEs account for the components' uncertainty
            Assert.True(g.StdError >= conditional[0][j].StdError * (1 - 1e-6), $"full {g.StdError}, conditional {conditional[0][j].StdError}");
            Assert.True(g.StdError < 3 * conditional[0][j].StdError, $"full {g.StdError}, conditional {conditional[0][j].StdError}");
        }
    }
}
