using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

public class LogLTests
{
    private static RegressionComponents Theta(params (double[] Beta, double Sigma)[] classes) =>
        new(classes.Select(c => new RegressionClass(c.Beta.ToImmutableArray(), c.Sigma)).ToImmutableArray());

    [Fact]
    public void LogL_matches_hand_computed_three_row_two_class_case()
    {
        double[] y = [1.0, 3.5, -0.5];
        var X = Matrix<double>.Build.DenseOfRowArrays([1, 0.5], [1, 2.0], [1, -1.0]);
        var theta = Theta(([0.0, 1.0], 0.7), ([1.0, 1.5], 1.3));
        var pi = MixingWeights.Of([0.3, 0.7]);
        var expected = 0.0;
        for (var i = 0; i < 3; i++)
        {
            var f1 = Normal.PDF(0.0 + 1.0 * X[i, 1], 0.7, y[i]);
            var f2 = Normal.PDF(1.0 + 1.5 * X[i, 1], 1.3, y[i]);
            expected += Math.Log(0.3 * f1 + 0.7 * f2);
        }
        Assert.Equal(expected, LatentClassRegression.LogL(theta, pi, y, X), 12);
    }

    [Fact]
    public void LogL_with_groups_multiplies_the_densities_of_a_group_before_mixing()
    {
        double[] y = [1.0, 3.5, -0.5, 2.0];
        var X = Matrix<double>.Build.DenseOfRowArrays([1, 0.5], [1, 2.0], [1, -1.0], [1, 0.0]);
        int[] group = [7, 7, 3, 3];
        var theta = Theta(([0.0, 1.0], 0.7), ([1.0, 1.5], 1.3));
        var pi = MixingWeights.Of([0.4, 0.6]);
        double Dens(int i, int c) => c == 0 ? Normal.PDF(X[i, 1], 0.7, y[i]) : Normal.PDF(1.0 + 1.5 * X[i, 1], 1.3, y[i]);
        var expected = Math.Log(0.4 * Dens(0, 0) * Dens(1, 0) + 0.6 * Dens(0, 1) * Dens(1, 1))
                     + Math.Log(0.4 * Dens(2, 0) * Dens(3, 0) + 0.6 * Dens(2, 1) * Dens(3, 1));
        Assert.Equal(expected, LatentClassRegression.LogL(theta, pi, y, X, group), 12);
    }

    [Fact]
    public void LogL_stays_finite_for_rows_far_from_every_class()
    {
        double[] y = [1e6, -1e6];
        var X = Matrix<double>.Build.DenseOfRowArrays([1.0], [1.0]);
        var theta = Theta(([0.0], 1.0), ([1.0], 1.0));
        var logL = LatentClassRegression.LogL(theta, MixingWeights.Of([0.5, 0.5]), y, X);
        Assert.True(double.IsFinite(logL));
        // the nearer class dominates: log(0.5 phi(1e6 - 1)) + log(0.5 phi(-1e6))
        var expected = Math.Log(0.5) + Normal.PDFLn(1.0, 1.0, 1e6) + Math.Log(0.5) + Normal.PDFLn(0.0, 1.0, -1e6);
        Assert.Equal(expected, logL, 6);
    }
}
