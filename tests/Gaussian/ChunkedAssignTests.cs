using Mixtures.Domain;
using Mixtures.Domain.Gaussian;
using Xunit;

namespace Mixtures.Tests.Gaussian;

/// <summary>The estimate's labels and confidences come from the final E-step made a chunk of rows at a time; they equal
/// argmax and max of the n x K responsibilities bit for bit, over several chunks, a short last chunk and far-out rows.</summary>
public class ChunkedAssignTests
{
    [Theory]
    [InlineData(CovarianceType.Full, false)]
    [InlineData(CovarianceType.Tied, true)]
    [InlineData(CovarianceType.Diag, false)]
    [InlineData(CovarianceType.Spherical, true)]
    public void Labels_and_confidences_are_those_of_the_full_E_step(CovarianceType type, bool standardize)
    {
        // 3 chunks of 4096 rows and a last one of 811
        var (X, _, _) = GaussianTestData.Separated(3 * 4096 + 811, 3, 3, 5, spacing: 2.5);
        var est = GaussianMixture.Estimate([1, 2, 3], X, new GaussianSettings(type, Starts: 2, Standardize: standardize))
            .Match(Succ: e => e, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var (labels, confidence) = Profiles.Assign(est.Responsibilities);
        Assert.Equal(labels.ToArray(), est.Labels.ToArray());
        Assert.Equal(confidence.Select(BitConverter.DoubleToInt64Bits), est.Confidence.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Spherical)]
    public void Far_out_rows_get_the_labels_of_the_full_E_step(CovarianceType type)
    {
        var (X, _, _) = GaussianTestData.Separated(4096 + 100, 2, 2, 17);
        var model = GaussianMixture.Estimate([2], X, new GaussianSettings(type, Starts: 2))
            .Match(Succ: e => e.Model, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        // rows 1e6 and 1e200 away (log-densities -inf: the relative ones decide) in both chunks
        var Y = X.Clone();
        foreach (var i in new[] { 3, 4000, 4097, 4195 })
        {
            Y[i, 0] = (i % 2 == 0 ? 1 : -1) * (i > 4096 ? 1e200 : 1e6);
            Y[i, 1] = 0.5 * Y[i, 0];
        }
        var data = GaussianData.Of(Y).Match(Succ: d => d, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var (W, _) = GaussianMixture.EStepWithLogL(model.Components, model.Weights, data);
        var (labels, confidence) = Profiles.Assign(W);
        var (chunked, chunkedConfidence) = GaussianMixture.Assign(model.Components, model.Weights, data);
        Assert.Equal(labels.ToArray(), chunked.ToArray());
        Assert.Equal(confidence.Select(BitConverter.DoubleToInt64Bits), chunkedConfidence.Select(BitConverter.DoubleToInt64Bits));
    }
}
