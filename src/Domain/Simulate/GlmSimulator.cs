using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;

namespace Mixtures.Domain.Simulate;

/// <summary>The true model behind a simulated GLM mixture file.</summary>
/// <param name="Response">Poisson or binomial.</param>
/// <param name="Classes">Per class: beta (intercept first, then one slope per covariate).</param>
/// <param name="Pi">True class probabilities.</param>
/// <param name="Trials">Binomial trials per row (1: 0/1 responses); ignored for Poisson.</param>
public sealed record GlmTruth(GlmResponse Response, GlmComponents Classes, MixingWeights Pi, int Trials = 1)
{
    /// <summary>Number of covariates (p - 1).</summary>
    public int Covariates => Classes.Classes[0].Beta.Length - 1;

    /// <summary>The example Poisson mixture: x1 ~ N(0, 1), log mu = (1 + 0.5 x1, 2.5 - 0.5 x1), pi = (0.6, 0.4).</summary>
    public static GlmTruth PoissonExample { get; } = new(GlmResponse.Poisson, GlmComponents.Of([1.0, 0.5], [2.5, -0.5]), MixingWeights.Of([0.6, 0.4]));

    /// <summary>The example binomial mixture with <paramref name="trials"/> trials per row: logit p = (-1 + 1.5 x1, 1 - 0.5 x1), pi = (0.5, 0.5).</summary>
    public static GlmTruth BinomialExample(int trials) => new(GlmResponse.Binomial, GlmComponents.Of([-1.0, 1.5], [1.0, -0.5]), MixingWeights.Of([0.5, 0.5]), trials);
}

/// <summary>A simulated GLM mixture data set.</summary>
/// <param name="Y">The n responses (counts or successes).</param>
/// <param name="Covariates">n x (p - 1) covariates (no intercept column).</param>
/// <param name="Trials">The trials of every row (binomial; empty for Poisson).</param>
/// <param name="Classes">Each row's true class (0-based).</param>
/// <param name="Groups">Each row's group (1-based), or empty.</param>
/// <param name="Truth">The model simulated from.</param>
public sealed record GlmSample(ImmutableArray<double> Y, Matrix<double> Covariates, ImmutableArray<double> Trials, ImmutableArray<int> Classes,
    ImmutableArray<int> Groups, GlmTruth Truth)
{
    /// <summary>Rows simulated.</summary>
    public int Rows => Y.Length;
}

/// <summary>Pure simulator of GLM mixtures: xoshiro256** streams derived from the seed (1: classes, 2: covariates, 3: responses).</summary>
public static class GlmSimulator
{
    /// <summary>n rows: x_ij ~ N(0, 1); the class C ~ Categorical(pi), once per group of <paramref name="rowsPerGroup"/> rows;
    /// y_i ~ Poisson(exp([1, x_i]'beta_C)) or Binomial(trials, 1 / (1 + exp(-[1, x_i]'beta_C))) (MathNet's samplers).</summary>
    public static GlmSample Simulate(GlmTruth truth, int n, ulong seed, int rowsPerGroup = 1)
    {
        if (n < 1) throw new ArgumentException("n must be positive");
        if (rowsPerGroup < 1) throw new ArgumentException("rowsPerGroup must be positive");
        if (truth.Response == GlmResponse.Binomial && truth.Trials < 1) throw new ArgumentException("trials must be at least 1");
        var classRng = Seeds.Generator(Seeds.Derive(seed, 1));
        var xRng = Seeds.Generator(Seeds.Derive(seed, 2));
        var noise = Seeds.Generator(Seeds.Derive(seed, 3));
        var K = truth.Classes.K;
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
                var acc = truth.Pi.Pi[0];
                while (cls < K - 1 && u >= acc) acc += truth.Pi.Pi[++cls];
            }
            classes[i] = cls;
            if (rowsPerGroup > 1) groups[i] = i / rowsPerGroup + 1;
            var b = truth.Classes.Classes[cls].Beta;
            var eta = b[0];
            for (var j = 0; j < m; j++)
            {
                var v = Normal.Sample(xRng, 0.0, 1.0);
                x[j * n + i] = v;
                eta += b[j + 1] * v;
            }
            y[i] = truth.Response == GlmResponse.Poisson
                ? Poisson.Sample(noise, Math.Exp(eta))
                : Binomial.Sample(noise, 1.0 / (1.0 + Math.Exp(-eta)), truth.Trials);
        }
        return new GlmSample([.. y], Matrix<double>.Build.Dense(n, m, x),
            truth.Response == GlmResponse.Binomial ? [.. Enumerable.Repeat((double)truth.Trials, n)] : [],
            [.. classes], [.. groups], truth);
    }
}
