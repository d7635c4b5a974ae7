using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;

namespace Mixtures.Tests.Gaussian;

/// <summary>
/// The one-sweep M-step of an EM iteration (sums about the current means c, then mu' = c + T / n and
/// S(mu') = S^c - T T' / n) against the two-sweep M-step (the means first, then the scatter summed about them): the same
/// maximiser to a tight relative tolerance, also on data far from the origin, where the uncentred one-pass form
/// sum W x x' - n mu mu' loses every digit.
/// </summary>
public class CentredMomentsTests
{
    private const double Reg = 1e-6;

    /// <summary>Well-separated clusters (spacing 8 sd) shifted by <paramref name="offset"/>; the EM situation: theta_0 fitted
    /// from a k-means start, W1 its E-step. Returns the data, W1 and theta_0's components (the centre).</summary>
    private static (GaussianData Data, double[] W, GaussianComponents Current) Case(CovarianceType type, int n, int d, int K, double offset)
    {
        var (X, _, _) = GaussianTestData.Separated(n, d, K, seed: 21);
        var data = GaussianData.Of(X.Map(v => v + offset)).Value();
        var family = new GaussianFamily(type, Reg);
        var W0 = family.RandomResponsibilities(data, K, new System.Random(5));
        var theta0 = family.Fit(data, W0).Value();
        var W = new double[n * K];
        family.LogDensities(data, theta0, W);
        EmLoop.EStepInto(W, Enumerable.Repeat(Math.Log(1.0 / K), K).ToArray(), n, K, W);
        return (data, W, theta0);
    }

    /// <summary>|a - b| within rel of the scale of the entry: sqrt(Sigma_aa Sigma_cc) for covariances.</summary>
    private static void Close(double expected, double actual, double scale, double rel, string what) =>
        Assert.True(Math.Abs(expected - actual) <= rel * scale, $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual) / scale:E2} of {scale:E3})");

    private static void SameFit(GaussianComponents twoSweeps, GaussianComponents oneSweep, double rel)
    {
        var K = twoSweeps.K;
        var d = twoSweeps.D;
        for (var k = 0; k < K; k++)
        {
            var S2 = twoSweeps.Covariance(k);
            var S1 = oneSweep.Covariance(k);
            for (var a = 0; a < d; a++)
            {
                // a mean to the precision of its own magnitude or its spread, whichever is larger
                Close(twoSweeps.Means[k * d + a], oneSweep.Means[k * d + a], Math.Max(Math.Abs(twoSweeps.Means[k * d + a]), Math.Sqrt(S2[a, a])), rel, $"mu[{k},{a}]");
                for (var c = 0; c < d; c++)
                    Close(S2[a, c], S1[a, c], Math.Sqrt(S2[a, a] * S2[c, c]), rel, $"Sigma[{k}][{a},{c}]");
            }
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full, 0.0)]
    [InlineData(CovarianceType.Full, 1e6)]
    [InlineData(CovarianceType.Tied, 0.0)]
    [InlineData(CovarianceType.Tied, 1e6)]
    [InlineData(CovarianceType.Diag, 0.0)]
    [InlineData(CovarianceType.Diag, 1e6)]
    [InlineData(CovarianceType.Spherical, 1e6)]
    public void The_one_sweep_fit_about_the_current_means_equals_the_scatter_about_the_new_means(CovarianceType type, double offset)
    {
        const int n = 3 * 4096 + 1001, d = 5, K = 4;
        var (data, W, current) = Case(type, n, d, K, offset);
        var family = new GaussianFamily(type, Reg);
        var twoSweeps = family.Fit(data, W, K).Value();
        var oneSweep = family.Fit(data, W, K, current).Value();
        SameFit(twoSweeps, oneSweep, 1e-12);
        // the step of the means is real (the centre is not the answer already)
        Assert.True(Enumerable.Range(0, K * d).Max(t => Math.Abs(current.Means[t] - oneSweep.Means[t])) > 1e-6);
    }

    [Fact]
    public void The_uncentred_one_pass_form_would_fail_where_the_centred_one_holds()
    {
        // the contrast that motivates the centre: at an offset of 1e6 with unit spread, sum W x^2 / n - mu^2 keeps about
        // 4 of 16 digits, while the centred identity (the test above) agrees with the two-sweep scatter to 1e-12
        const int n = 8192, d = 3, K = 3;
        var (data, W, _) = Case(CovarianceType.Diag, n, d, K, 1e6);
        var twoSweeps = new GaussianFamily(CovarianceType.Diag, 0.0).Fit(data, W, K).Value();
        var worst = 0.0;
        for (var k = 0; k < K; k++)
        for (var j = 0; j < d; j++)
        {
            double nk = 0, s1 = 0, s2 = 0;
            for (var i = 0; i < n; i++) { var w = W[k * n + i]; var x = data[i, j]; nk += w; s1 += w * x; s2 += w * x * x; }
            var naive = s2 / nk - (s1 / nk) * (s1 / nk);
            var v = twoSweeps.Covariances[k * d + j];
            worst = Math.Max(worst, Math.Abs(naive - v) / v);
        }
        Assert.True(worst > 1e-8, $"the uncentred form lost only {worst:E2}");
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    public void A_centre_far_from_the_new_means_is_recentred_by_a_second_sweep(CovarianceType type)
    {
        // the centre 10^3 away (hundreds of spreads): the identity would cancel about 6 digits, so the scatter is summed
        // again about the new means
        const int n = 5000, d = 3, K = 2;
        var (data, W, current) = Case(type, n, d, K, 0.0);
        var family = new GaussianFamily(type, Reg);
        var far = GaussianComponents.Create(type, K, d, current.Means.Select(m => m + 1e3).ToArray(), current.Covariances.ToArray(), data.Columns).Value();
        var twoSweeps = family.Fit(data, W, K).Value();
        var recentred = family.Fit(data, W, K, far).Value();
        SameFit(twoSweeps, recentred, 1e-12);
    }

    [Fact]
    public void EM_from_parameters_with_one_sweep_M_steps_climbs_and_does_not_depend_on_the_thread_count()
    {
        const int n = 2 * 4096 + 77, d = 4, K = 3;
        var (data, _, current) = Case(CovarianceType.Full, n, d, K, 1e6);
        var family = new GaussianFamily(CovarianceType.Full, Reg);
        var theta0 = new Mixture<GaussianComponents>(current, MixingWeights.Uniform(K));
        var options = new EmOptions(Tolerance: 0.0, MaxIterations: 15, Rule: StopRule.LogLikelihoodChange);
        var parallel = EmLoop.RunFrom(family, data, theta0, options, new StartInfo(StartKind.Given, 0)).Value();
        var sequential = Parallelism.OnThisThread(() => EmLoop.RunFrom(family, data, theta0, options, new StartInfo(StartKind.Given, 0)).Value());
        Assert.Equal(sequential.Trace.ToArray(), parallel.Trace.ToArray());
        Assert.Equal(sequential.Mixture.Components.Covariances.ToArray(), parallel.Mixture.Components.Covariances.ToArray());
        for (var t = 1; t < parallel.Trace.Length; t++)
            Assert.True(parallel.Trace[t] >= parallel.Trace[t - 1] - 1e-9 * Math.Abs(parallel.Trace[t - 1]), $"log L fell at iteration {t + 1}");
    }
}
