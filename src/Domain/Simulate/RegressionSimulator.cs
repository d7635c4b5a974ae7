using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;

namespace Mixtures.Domain.Simulate;

/// <summary>The true model behind a simulated regression file.</summary>
/// <param name="Classes">Per class: beta (intercept first, then one slope per covariate) and sigma.</param>
/// <param name="Pi">True class probabilities.</param>
public sealed record RegressionTruth(RegressionComponents Classes, MixingWeights Pi)
{
    /// <summary>Number of classes K.</summary>
    public int K => Classes.K;

    /// <summary>Coefficients per class p (intercept included).</summary>
    public int P => Classes.Classes[0].Beta.Length;

    /// <summary>Number of covariates (p - 1).</summary>
    public int Covariates => P - 1;

    /// <summary>A truth from rows of beta (intercept first), sigmas and weights.</summary>
    public static RegressionTruth Of(double[][] betas, double[] sigmas, double[] pi)
    {
        if (betas.Length == 0 || betas.Length != sigmas.Length || betas.Length != pi.Length)
            throw new ArgumentException("betas, sigmas and pi need one entry per class");
        if (betas.Any(b => b.Length != betas[0].Length || b.Length < 1)) throw new ArgumentException("every class needs the same number of coefficients");
        if (sigmas.Any(s => !(s > 0) || !double.IsFinite(s))) throw new ArgumentException("sigmas must be positive");
        return new RegressionTruth(
            new RegressionComponents(betas.Select((b, c) => new RegressionClass(b.ToImmutableArray(), sigmas[c])).ToImmutableArray()),
            MixingWeights.Normalised(pi));
    }

    /// <summary>The worked example's truth: n = 1200 rows, three classes with
    /// beta = [5, 2, 0], [3, -1, 2.5], [1.5, 0, -2] (intercept, x1, x2), sigma = 1, 1.3, 0.8,
    /// pi = 0.45, 0.35, 0.20.</summary>
    public static RegressionTruth Example { get; } = Of(
        [[5.0, 2.0, 0.0], [3.0, -1.0, 2.5], [1.5, 0.0, -2.0]],
        [1.0, 1.3, 0.8],
        [0.45, 0.35, 0.20]);

    /// <summary>Rows in the worked example.</summary>
    public const int ExampleRows = 1200;

    /// <summary>Seed of the worked example's data set (data/regression.csv).</summary>
    public const ulong ExampleSeed = 123;
}

/// <summary>A simulated regression data set.</summary>
/// <param name="Y">The n responses.</param>
/// <param name="Covariates">n x (p - 1) covariates x1, x2, ... (no intercept column).</param>
/// <param name="Classes">Each row's true class (0-based).</param>
/// <param name="Groups">Each row's group (1-based), or empty when every row is its own unit.</param>
/// <param name="Truth">The model simulated from.</param>
/// <param name="Seed">The seed used.</param>
public sealed record RegressionSample(
    ImmutableArray<double> Y, Matrix<double> Covariates, ImmutableArray<int> Classes, ImmutableArray<int> Groups,
    RegressionTruth Truth, ulong Seed)
{
    /// <summary>Rows simulated.</summary>
    public int Rows => Y.Length;

    /// <summary>The design [1, x1, x2, ...] (n x p).</summary>
    public Matrix<double> Design => LatentClassRegression.Design(Covariates, intercept: true);
}

/// <summary>
/// Pure simulator of the latent class regression model. Draws come from xoshiro256** streams
/// derived from the seed with SplitMix64 (stream 1: classes, 2: covariates, 3: noise), so a seed
/// gives the same data on every machine.
/// </summary>
public static class RegressionSimulator
{
    /// <summary>
    /// Simulates n rows: x_ij ~ N(0, 1) for every covariate j; the class C ~ Categorical(pi), drawn
    /// once per group of <paramref name="rowsPerGroup"/> consecutive rows (1: per row);
    /// y_i = [1, x_i]' beta_C + e_i with e_i ~ N(0, sigma_C^2).
    /// </summary>
    /// <remarks>The worked example is <c>Simulate(RegressionTruth.Example, 1200, 123)</c>; NumPy's
    /// <c>rng.choice</c> / <c>rng.normal</c> draw the same distributions from another generator.</remarks>
    public static RegressionSample Simulate(RegressionTruth truth, int n, ulong seed, int rowsPerGroup = 1)
    {
        if (n < 1) throw new ArgumentException("n must be positive");
        if (rowsPerGroup < 1) throw new ArgumentException("rowsPerGroup must be positive");
        var classRng = Seeds.Generator(Seeds.Derive(seed, 1));
        var xRng = Seeds.Generator(Seeds.Derive(seed, 2));
        var noise = Seeds.Generator(Seeds.Derive(seed, 3));
        var cum = new double[truth.K];
        var acc = 0.0;
        for (var c = 0; c < truth.K; c++) { acc += truth.Pi.Pi[c]; cum[c] = acc; }
        var m = truth.Covariates;
        var x = new double[n * m];
        var y = new double[n];
        var classes = new int[n];
        var groups = new int[rowsPerGroup > 1 ? n : 0];
        var cls = 0;
        for (var i = 0; i < n; i++)
        {
            if (i % rowsPerGroup == 0)
            {
                var u = classRng.NextDouble();
                cls = 0;
                while (cls < truth.K - 1 && u >= cum[cls]) cls++;
            }
            classes[i] = cls;
            if (rowsPerGroup > 1) groups[i] = i / rowsPerGroup + 1;
            var b = truth.Classes.Classes[cls];
            var f = b.Beta[0];
            for (var j = 0; j < m; j++)
            {
                var v = Normal.Sample(xRng, 0.0, 1.0);
                x[j * n + i] = v;
                f += b.Beta[j + 1] * v;
            }
            y[i] = f + Normal.Sample(noise, 0.0, b.Sigma);
        }
        return new RegressionSample(y.ToImmutableArray(), Matrix<double>.Build.Dense(n, m, x), classes.ToImmutableArray(),
            groups.ToImmutableArray(), truth, seed);
    }
}
