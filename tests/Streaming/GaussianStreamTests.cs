using System.Collections.Immutable;
using Mixtures.Domain;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Streaming;
using Mixtures.Tests.Gaussian;

namespace Mixtures.Tests.Streaming;

/// <summary>Streaming EM equals plain in-memory EM from the same start, to the last bit.</summary>
public class GaussianStreamTests
{
    /// <summary>Column-major data cut into blocks of a fixed size (the last one shorter), each a fresh copy.</summary>
    internal sealed class ArrayBlocks(double[] x, int n, int d, int blockRows, ImmutableArray<string> names = default) : IRowBlocks
    {
        public int Columns => d;
        public ImmutableArray<string> ColumnNames { get; } = names.IsDefault ? [.. Enumerable.Range(1, d).Select(j => $"x{j}")] : names;
        public int Enumerations { get; private set; }

        public IEnumerable<RowBlock> Blocks()
        {
            Enumerations++;
            for (var start = 0; start < n; start += blockRows)
            {
                var r = Math.Min(blockRows, n - start);
                // a buffer longer than the block, as a reader reusing one buffer hands it over
                var b = new double[r * d + 7];
                for (var j = 0; j < d; j++) System.Array.Copy(x, j * n + start, b, j * r, r);
                yield return new RowBlock(r, b);
            }
        }
    }

    private static (GaussianData Data, double[] X, Mixture<GaussianComponents> Start) Case(int n, CovarianceType type, int K = 3, double offset = 0.0)
    {
        var (X, _, _) = GaussianTestData.Separated(n, 3, K, seed: 7, spacing: 2.5);
        if (offset != 0) X = X.Map(v => v + offset);
        var x = X.ToColumnMajorArray();
        var data = GaussianData.FromColumnMajor(n, 3, (double[])x.Clone()).Value();
        // theta_0: a few EM steps on the first 1000 rows from a k-means start, so the full-data run has work left
        var sample = GaussianData.Of(X.SubMatrix(0, 1000, 0, 3)).Value();
        var family = new GaussianFamily(type);
        var W0 = family.RandomResponsibilities(sample, K, new System.Random(3));
        var start = EmLoop.Run(family, sample, W0, new EmOptions(MaxIterations: 3), new StartInfo(StartKind.Given, 0)).Value().Mixture;
        return (data, x, start);
    }

    /// <summary>The reference: plain EM on the whole data in memory from theta_0 (W0 = E-step at theta_0, every M-step centred
    /// at the means of its W's parameters, theta_0's first), the log-likelihood stop rule.</summary>
    private static EmFit<GaussianComponents> InMemory(GaussianFamily family, GaussianData data, Mixture<GaussianComponents> start, EmOptions options) =>
        EmLoop.RunFrom(family, data, start, options, new StartInfo(StartKind.Given, 0)).Value();

    public static TheoryData<string, int, double> Cases => new()
    {
        { "full", 4096, 0 }, { "full", 8192, 0 }, { "full", 3 * 4096, 0 }, { "full", 1 << 20, 0 },
        { "tied", 4096, 0 }, { "diag", 8192, 0 }, { "spherical", 4096, 0 },
        // a large common offset: the sums about the current means do not see it
        { "full", 8192, 1e6 }, { "diag", 4096, 1e6 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streaming_EM_equals_in_memory_plain_EM_to_the_last_bit(string covariance, int blockRows, double offset)
    {
        var type = CovarianceTypes.Parse(covariance)!.Value;
        const int n = 21_000; // five full chunks and a partial one
        var (data, x, start) = Case(n, type, offset: offset);
        var family = new GaussianFamily(type);
        var options = new EmOptions(Tolerance: 1e-9, MaxIterations: 40, Rule: StopRule.LogLikelihoodChange);
        var reference = InMemory(family, data, start, options);
        var source = new ArrayBlocks(x, n, 3, blockRows);
        var passes = new List<StreamPass>();
        var stream = GaussianStream.Fit(source, family, start, options, passes.Add).Value();
        var fit = stream.Fit;

        Assert.True(reference.Iterations > 3, $"the reference ran {reference.Iterations} iterations");
        Assert.Equal(reference.Iterations, fit.Iterations);
        Assert.Equal(reference.Stop, fit.Stop);
        // (ImmutableArray compares by reference: compare the elements)
        Assert.Equal(reference.Trace.ToArray(), fit.Trace.ToArray());   // every log L_t, exactly
        Assert.Equal(reference.LogLikelihood, fit.LogLikelihood);
        Assert.Equal(reference.Mixture.Weights.Pi.ToArray(), fit.Mixture.Weights.Pi.ToArray());
        Assert.Equal(reference.Mixture.Components.Means.ToArray(), fit.Mixture.Components.Means.ToArray());
        Assert.Equal(reference.Mixture.Components.Covariances.ToArray(), fit.Mixture.Components.Covariances.ToArray());
        Assert.Equal(reference.RunOrder.IsDefault ? [] : reference.RunOrder.ToArray(), fit.RunOrder.IsDefault ? [] : fit.RunOrder.ToArray());
        // a ranges pass, one at theta_0 and one per iteration (the last at the final parameters); no recentring pass here
        Assert.DoesNotContain(passes, p => p.Kind == StreamPassKind.Scatter);
        Assert.Equal(2 + fit.Iterations, stream.Passes);
        Assert.Equal(stream.Passes, source.Enumerations);
        Assert.Equal(stream.Passes, passes.Count);
        Assert.Equal(fit.Trace[^1], passes[^1].LogLikelihood);

        // the final pass: the in-memory responsibilities and labels, bit for bit
        var W = EmLoop.Responsibilities(family, ConstantWeights.Instance, data, reference);
        var blocks = GaussianStream.Assign(source, stream, withPosteriors: true).ToList();
        Assert.Equal(n, blocks.Sum(b => b.Rows));
        var row = 0;
        foreach (var b in blocks)
        {
            for (var i = 0; i < b.Rows; i++, row++)
            {
                var best = 0;
                for (var k = 1; k < 3; k++) if (W[row, k] > W[row, best]) best = k;
                Assert.Equal(best, b.Labels[i]);
                Assert.Equal(W[row, best], b.Confidence[i]);
                for (var k = 0; k < 3; k++) Assert.Equal(W[row, k], b.Posteriors[k * b.Rows + i]);
            }
        }
    }

    [Fact]
    public void A_block_that_is_not_a_multiple_of_4096_rows_before_the_last_is_a_bug_of_the_source()
    {
        const int n = 9000;
        var (_, x, start) = Case(n, CovarianceType.Full);
        var source = new ArrayBlocks(x, n, 3, 5000);
        Assert.Throws<ArgumentException>(() => GaussianStream.Fit(source, new GaussianFamily(CovarianceType.Full), start,
            new EmOptions(MaxIterations: 2, Rule: StopRule.LogLikelihoodChange)));
    }

    [Fact]
    public void A_value_that_is_not_finite_fails_with_its_row_and_column()
    {
        const int n = 5000;
        var (_, x, start) = Case(n, CovarianceType.Diag);
        x[2 * n + 4321] = double.NaN;
        var r = GaussianStream.Fit(new ArrayBlocks(x, n, 3, 4096), new GaussianFamily(CovarianceType.Diag), start,
            new EmOptions(MaxIterations: 2, Rule: StopRule.LogLikelihoodChange));
        Assert.True(r.IsFail);
        r.IfFail(e => Assert.Contains("row 4322, column x3", e.Message));
    }
}
