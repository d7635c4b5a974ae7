using Mixtures.Domain;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;

namespace Mixtures.PropertyTests.Gaussian;

/// <summary>A simulated Gaussian mixture sample: the truth (means K x d, a Cholesky-like factor per
/// component, weights) and n rows drawn with a seed; X and the true labels are derived deterministically.</summary>
public sealed record GaussianCase(int K, int D, int N, double[][] Means, double[][,] Factors, double[] Weights, ulong Seed)
{
    private (Matrix<double> X, int[] Labels)? sample;

    public (Matrix<double> X, int[] Labels) Sample => sample ??= Draw();
    public Matrix<double> X => Sample.X;
    public int[] Labels => Sample.Labels;
    public GaussianData Data => GaussianData.Of(X).Value();

    private (Matrix<double>, int[]) Draw()
    {
        var rng = Seeds.Generator(Seed);
        var X = Matrix<double>.Build.Dense(N, D);
        var labels = new int[N];
        var cum = Weights.Select((_, k) => Weights.Take(k + 1).Sum() / Weights.Sum()).ToArray();
        for (var i = 0; i < N; i++)
        {
            // the first K rows visit every component so none is empty
            var k = i < K ? i : Array.FindIndex(cum, c => rng.NextDouble() < c) is var f and >= 0 ? f : K - 1;
            labels[i] = k;
            var z = Enumerable.Range(0, D).Select(_ => Normal.Sample(rng, 0, 1)).ToArray();
            for (var a = 0; a < D; a++)
            {
                var v = Means[k][a];
                for (var b = 0; b <= a; b++) v += Factors[k][a, b] * z[b];
                X[i, a] = v;
            }
        }
        return (X, labels);
    }

    public override string ToString() =>
        $"K = {K}, d = {D}, n = {N}, seed = {Seed}, means = [{string.Join("; ", Means.Select(m => string.Join(", ", m.Select(v => v.ToString("G4")))))}], " +
        $"weights = [{string.Join(", ", Weights)}]";
}

/// <summary>Generators: every double comes from a mapped integer (never NaN or infinities).</summary>
public static class GaussianGenerators
{
    /// <summary>A double in [lo, hi] on a grid of 1/1000 of the range.</summary>
    public static Gen<double> Between(double lo, double hi) => Gen.Choose(0, 1000).Select(i => lo + (hi - lo) * i / 1000.0);

    public static Gen<CovarianceType> Covariance => Gen.Elements(CovarianceTypes.All.ToArray());

    /// <summary>A lower-triangular factor with diagonal in [lo, hi] and off-diagonal in [-off, off].</summary>
    public static Gen<double[,]> Factor(int d, double lo, double hi, double off) =>
        from diag in Gen.ArrayOf(Between(lo, hi), d)
        from low in Gen.ArrayOf(Between(-off, off), d * d)
        select Build(d, (a, b) => a == b ? diag[a] : a > b ? low[a * d + b] : 0.0);

    private static double[,] Build(int d, Func<int, int, double> f)
    {
        var m = new double[d, d];
        for (var a = 0; a < d; a++) for (var b = 0; b < d; b++) m[a, b] = f(a, b);
        return m;
    }

    /// <summary>Overlapping mixtures: K 1..4, d 1..4, n 40..200, means in [-4, 4], sd about 0.5..2.</summary>
    public static Gen<GaussianCase> Small =>
        from K in Gen.Choose(1, 4)
        from d in Gen.Choose(1, 4)
        from n in Gen.Choose(40, 200)
        from means in Gen.ArrayOf(Gen.ArrayOf(Between(-4, 4), d), K)
        from factors in Gen.ArrayOf(Factor(d, 0.5, 2, 0.8), K)
        from raw in Gen.ArrayOf(Gen.Choose(1, 3), K)
        from seed in Gen.Choose(1, int.MaxValue)
        select new GaussianCase(K, d, Math.Max(n, 10 * K * d), means, factors, raw.Select(r => (double)r).ToArray(), (ulong)seed);

    /// <summary>Well-separated mixtures: K 2..4, d 2..3, 100..150 rows a cluster, sd 0.1..0.2,
    /// means on a grid 10 apart (so the clusters are 50 sd apart).</summary>
    public static Gen<GaussianCase> Separated =>
        from K in Gen.Choose(2, 4)
        from d in Gen.Choose(2, 3)
        from perCluster in Gen.Choose(100, 150)
        from cells in Gen.Shuffle(Enumerable.Range(0, d == 2 ? 9 : 27).ToArray())
        from jitter in Gen.ArrayOf(Between(-2, 2), K * d)
        from factors in Gen.ArrayOf(Factor(d, 0.1, 0.2, 0.05), K)
        from seed in Gen.Choose(1, int.MaxValue)
        select new GaussianCase(K, d, K * perCluster,
            Enumerable.Range(0, K).Select(k => Enumerable.Range(0, d).Select(j => 10.0 * (cells[k] / (int)Math.Pow(3, j) % 3) + jitter[k * d + j]).ToArray()).ToArray(),
            factors, Enumerable.Repeat(1.0, K).ToArray(), (ulong)seed);

    /// <summary>A case with parameters near or far from its truth, for one covariance type.</summary>
    public static Gen<(GaussianCase Case, GaussianComponents Theta, MixingWeights Pi)> Parameters(double scale) =>
        from c in Small
        from type in Covariance
        from shifts in Gen.ArrayOf(Between(-scale, scale), c.K * c.D)
        from spread in Gen.ArrayOf(Between(0.2, 3), c.K)
        from raw in Gen.ArrayOf(Gen.Choose(1, 100), c.K)
        select (c, Components(type, c, shifts, spread), MixingWeights.Normalised(raw.Select(r => (double)r)));

    /// <summary>Components of the given type built from a case's truth, shifted and scaled.</summary>
    public static GaussianComponents Components(CovarianceType type, GaussianCase c, double[] shifts, double[] spread)
    {
        int K = c.K, d = c.D;
        var means = new double[K * d];
        for (var k = 0; k < K; k++) for (var j = 0; j < d; j++) means[k * d + j] = c.Means[k][j] + shifts[k * d + j];
        Matrix<double> Sigma(int k)
        {
            var L = Matrix<double>.Build.DenseOfArray(c.Factors[k]) * spread[k];
            var S = L * L.Transpose();
            return (S + S.Transpose()) / 2;
        }
        var cov = type switch
        {
            CovarianceType.Full => Enumerable.Range(0, K).SelectMany(k => Sigma(k).ToRowMajorArray()).ToArray(),
            CovarianceType.Tied => Sigma(0).ToRowMajorArray(),
            CovarianceType.Diag => Enumerable.Range(0, K).SelectMany(k => Sigma(k).Diagonal().ToArray()).ToArray(),
            _ => Enumerable.Range(0, K).Select(k => Sigma(k).Trace() / d).ToArray(),
        };
        return GaussianComponents.Create(type, K, d, means, cov).Value();
    }
}
