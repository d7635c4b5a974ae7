using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Streaming;

namespace Mixtures.Tests.Streaming;

/// <summary>Streaming EM for mixtures of regressions equals plain in-memory EM from the same start, to the last bit: the
/// estimates, every log L, the responsibilities, the profiles and the standard errors.</summary>
public class RegressionStreamTests
{
    private static readonly ImmutableArray<string> Names = ["y", "x1", "x2"];

    /// <summary>n rows of a K = 3 mixture of regressions on [1, x1, x2]: the source's columns (y, x1, x2, column-major) and
    /// the in-memory design; <paramref name="yScale"/> and <paramref name="x2Scale"/> move y and x2 far from 1.</summary>
    private static (double[] Columns, double[] Y, Matrix<double> X) Rows(int n, int seed, double yScale = 1, double x2Scale = 1)
    {
        var rng = new System.Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        double[][] beta = [[0.0, 1.0, -1.0], [3.0, -1.0, 0.5], [-2.0, 0.2, 2.0]];
        double[] sigma = [0.5, 1.0, 0.7];
        var cols = new double[3 * n];
        var y = new double[n];
        var X = Matrix<double>.Build.Dense(n, 3);
        for (var i = 0; i < n; i++)
        {
            var c = rng.NextDouble() switch { < 0.5 => 0, < 0.8 => 1, _ => 2 };
            var x1 = 4 * rng.NextDouble() - 2;
            var x2 = Normal();
            var v = beta[c][0] + beta[c][1] * x1 + beta[c][2] * x2 + sigma[c] * Normal();
            y[i] = v * yScale;
            cols[i] = y[i];
            cols[n + i] = x1;
            cols[2 * n + i] = x2 * x2Scale;
            X[i, 0] = 1.0; X[i, 1] = x1; X[i, 2] = x2 * x2Scale;
        }
        return (cols, y, X);
    }

    /// <summary>theta_0: three EM steps on the first 1000 rows from random responsibilities, so the full-data run has work left.</summary>
    private static Mixture<RegressionComponents> Start(double[] y, Matrix<double> X, RegressionFamily family, int K = 3)
    {
        var sample = RegressionData.FromRows(y.Take(1000).ToArray(), X.SubMatrix(0, 1000, 0, X.ColumnCount));
        var W0 = family.RandomResponsibilities(sample, K, new System.Random(5));
        return EmLoop.Run(family, sample, W0, new EmOptions(MaxIterations: 3), new StartInfo(StartKind.Given, 0)).Value().Mixture;
    }

    /// <summary>The reference: plain EM on the whole data in memory from W0 = E-step at theta_0, the log-likelihood stop rule.</summary>
    private static EmFit<RegressionComponents> InMemory(RegressionFamily family, RegressionData data, Mixture<RegressionComponents> start, EmOptions options)
    {
        var n = data.Units;
        var K = start.Components.K;
        var W0 = new double[n * K];
        family.LogDensities(data, start.Components, W0);
        EmLoop.EStepInto(W0, start.Weights.LogPi(), n, K, W0);
        return EmLoop.RunInPlace(family, data, W0, n, K, options, new StartInfo(StartKind.Given, 0)).Value();
    }

    private static VarianceModel Variance(string name) => name switch
    {
        "per-class" => VarianceModel.PerClass,
        "common" => VarianceModel.Common,
        _ => VarianceModel.Fixed(0.6),
    };

    public static TheoryData<string, int, double, double> Cases => new()
    {
        { "per-class", 4096, 1, 1 }, { "per-class", 8192, 1, 1 }, { "per-class", 3 * 4096, 1, 1 }, { "per-class", 1 << 20, 1, 1 },
        { "common", 4096, 1, 1 }, { "fixed", 8192, 1, 1 },
        // y around 1e100 and x2 around 1e-90: both stored in units of a power of two
        { "per-class", 4096, 1e100, 1e-90 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streaming_EM_equals_in_memory_plain_EM_to_the_last_bit(string varianceName, int blockRows, double yScale, double x2Scale)
    {
        const int n = 21_000; // five full chunks and a partial one
        var variance = Variance(varianceName);
        if (variance.Kind == VarianceKind.Fixed) yScale = 1;
        var (cols, y, X) = Rows(n, 11, yScale, x2Scale);
        var family = new RegressionFamily(variance);
        var data = RegressionData.FromRows(y, X);
        var start = Start(y, X, family);
        var options = new EmOptions(Tolerance: 1e-10, MaxIterations: 60, Rule: StopRule.LogLikelihoodChange);
        var reference = InMemory(family, data, start, options);
        var source = new GaussianStreamTests.ArrayBlocks(cols, n, 3, blockRows, Names);
        var passes = new List<StreamPass>();
        var stream = RegressionStream.Fit(source, intercept: true, variance, start, options, passes.Add).Value();
        var fit = stream.Fit;

        Assert.True(reference.Iterations > 3, $"the reference ran {reference.Iterations} iterations");
        Assert.Equal(reference.Iterations, fit.Iterations);
        Assert.Equal(reference.Stop, fit.Stop);
        Assert.Equal(reference.Trace.ToArray(), fit.Trace.ToArray());
        Assert.Equal(reference.LogLikelihood, fit.LogLikelihood);
        Assert.Equal(reference.Mixture.Weights.Pi.ToArray(), fit.Mixture.Weights.Pi.ToArray());
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(reference.Mixture.Components.Classes[c].Beta.ToArray(), fit.Mixture.Components.Classes[c].Beta.ToArray());
            Assert.Equal(reference.Mixture.Components.Classes[c].Sigma, fit.Mixture.Components.Classes[c].Sigma);
        }
        Assert.Equal(reference.RunOrder.IsDefault ? [] : reference.RunOrder.ToArray(), fit.RunOrder.IsDefault ? [] : fit.RunOrder.ToArray());
        Assert.Equal(data.Beta0.ToArray(), stream.Beta0.ToArray());
        // ranges, cross products, the pass at theta_0 and one per iteration
        Assert.Equal(3 + fit.Iterations, stream.Passes);
        Assert.Equal(stream.Passes, source.Enumerations);
        Assert.Equal(stream.Passes, passes.Count);
        Assert.Equal(fit.Trace[^1], passes[^1].LogLikelihood);
        Assert.Equal(family.FreeParameters(data, 3), stream.FreeParameters);

        // the final pass: the in-memory responsibilities, labels, profiles and standard errors, bit for bit
        var W = EmLoop.Responsibilities(family, ConstantWeights.Instance, data, reference);
        var row = 0;
        var summary = RegressionStream.Final(source, stream, b =>
        {
            for (var i = 0; i < b.Rows; i++, row++)
            {
                var best = 0;
                for (var k = 1; k < 3; k++) if (W[row, k] > W[row, best]) best = k;
                Assert.Equal(best, b.Labels[i]);
                Assert.Equal(W[row, best], b.Confidence[i]);
                for (var k = 0; k < 3; k++) Assert.Equal(W[row, k], b.Posteriors[k * b.Rows + i]);
                Assert.Equal(y[row], b.Block.Values.Span[i]);
            }
        });
        Assert.Equal(n, row);
        var profiles = ClassProfile.Of(W, null, y, X.SubMatrix(0, n, 1, 2));
        Assert.Equal(profiles.Length, summary.Profiles.Length);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(profiles[c].Units, summary.Profiles[c].Units);
            Assert.Equal(profiles[c].MeanY, summary.Profiles[c].MeanY);
            Assert.Equal(profiles[c].MeanCovariates.ToArray(), summary.Profiles[c].MeanCovariates.ToArray());
            Assert.Equal(profiles[c].MeanPosterior, summary.Profiles[c].MeanPosterior);
        }
        Assert.Equal(Selection.LogMaxPosterior(W), summary.LogMaxPosterior);
        var se = LatentClassRegression.StandardErrors(reference.Mixture.Components, reference.Mixture.Weights, data, variance).Value();
        var streamed = summary.Inference.Value();
        for (var c = 0; c < 3; c++) Assert.Equal(se.Beta[c].ToArray(), streamed.Beta[c].ToArray());
        Assert.Equal(se.Sigma.ToArray(), streamed.Sigma.ToArray());
        Assert.Equal(se.Pi.ToArray(), streamed.Pi.ToArray());
    }

    [Fact]
    public void Without_an_intercept_the_design_is_the_covariates_alone()
    {
        const int n = 9000;
        var (cols, y, X) = Rows(n, 3);
        var Xn = X.SubMatrix(0, n, 1, 2);
        var family = new RegressionFamily(VarianceModel.PerClass);
        var data = RegressionData.FromRows(y, Xn);
        var start = Start(y, Xn, family, K: 2);
        var options = new EmOptions(Tolerance: 1e-10, MaxIterations: 30, Rule: StopRule.LogLikelihoodChange);
        var reference = InMemory(family, data, start, options);
        var stream = RegressionStream.Fit(new GaussianStreamTests.ArrayBlocks(cols, n, 3, 4096, Names), intercept: false, VarianceModel.PerClass, start, options).Value();
        Assert.Equal(reference.Trace.ToArray(), stream.Fit.Trace.ToArray());
        for (var c = 0; c < 2; c++)
            Assert.Equal(reference.Mixture.Components.Classes[c].Beta.ToArray(), stream.Fit.Mixture.Components.Classes[c].Beta.ToArray());
    }

    private static string Failure(double[] cols, int n, bool intercept = true)
    {
        var (_, y, X) = Rows(n, 3);
        var family = new RegressionFamily(VarianceModel.PerClass);
        var start = Start(y, X, family);
        var r = RegressionStream.Fit(new GaussianStreamTests.ArrayBlocks(cols, n, 3, 4096, Names), intercept, VarianceModel.PerClass, start,
            new EmOptions(MaxIterations: 2, Rule: StopRule.LogLikelihoodChange));
        Assert.True(r.IsFail);
        var message = "";
        r.IfFail(e => message = e.Message);
        return message;
    }

    [Fact]
    public void Bad_data_fail_with_the_in_memory_messages()
    {
        const int n = 5000;
        var (cols, _, _) = Rows(n, 3);
        var nan = (double[])cols.Clone();
        nan[2 * n + 4321] = double.PositiveInfinity;
        Assert.Contains("row 4322, column x2", Failure(nan, n));
        var constant = (double[])cols.Clone();
        System.Array.Fill(constant, 2.5, n, n);
        Assert.Contains("column x1 is constant", Failure(constant, n));
        var zero = (double[])cols.Clone();
        System.Array.Fill(zero, 0.0, 2 * n, n);
        Assert.Contains("column x2 is zero in every row", Failure(zero, n));
        var collinear = (double[])cols.Clone();
        for (var i = 0; i < n; i++) collinear[2 * n + i] = 1 - 2 * collinear[n + i];
        Assert.Contains("collinear", Failure(collinear, n));
        var exact = (double[])cols.Clone();
        for (var i = 0; i < n; i++) exact[i] = 1 + exact[n + i] - 3 * exact[2 * n + i];
        Assert.Contains("exact linear function", Failure(exact, n));
    }
}
