using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Random;

namespace Mixtures.Tests.Gaussian;

/// <summary>Small seeded data sets for the Gaussian tests.</summary>
public static class GaussianTestData
{
    /// <summary>n rows from K well-separated normals in d dimensions; returns X and the true labels.</summary>
    public static (Matrix<double> X, int[] Labels, double[,] Means) Separated(int n, int d, int K, ulong seed, double spacing = 8.0)
    {
        var rng = Seeds.Generator(seed);
        var means = new double[K, d];
        for (var k = 0; k < K; k++)
        for (var j = 0; j < d; j++) means[k, j] = (j == k % d ? spacing * (1 + k / d) : 0.0) + 0.5 * j;
        var labels = new int[n];
        var X = Matrix<double>.Build.Dense(n, d);
        for (var i = 0; i < n; i++)
        {
            var k = i % K;
            labels[i] = k;
            for (var j = 0; j < d; j++) X[i, j] = means[k, j] + (0.5 + 0.25 * j) * Normal.Sample(rng, 0, 1) * (1 + 0.3 * k);
        }
        return (X, labels, means);
    }

    /// <summary>Correlated Gaussian rows (one component) for closed-form checks.</summary>
    public static Matrix<double> Correlated(int n, ulong seed)
    {
        var rng = Seeds.Generator(seed);
        var X = Matrix<double>.Build.Dense(n, 3);
        for (var i = 0; i < n; i++)
        {
            var a = Normal.Sample(rng, 0, 1);
            var b = Normal.Sample(rng, 0, 1);
            var c = Normal.Sample(rng, 0, 1);
            X[i, 0] = 10 + 2 * a;
            X[i, 1] = -3 + a + 0.5 * b;
            X[i, 2] = 100 + 0.1 * c - 0.7 * b;
        }
        return X;
    }
}
