using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Tests.Gaussian;

namespace Mixtures.Tests.Em;

/// <summary>The single-buffer EM loop (log-likelihood stop rule) and the acceptability rule of MultiStart.</summary>
public class InPlaceRunTests
{
    [Fact]
    public void EStepInto_gives_the_same_result_in_place_as_into_a_separate_buffer()
    {
        var rng = Seeds.Generator(5);
        int n = 10_000, K = 4;
        var L = Enumerable.Range(0, n * K).Select(_ => -50 * rng.NextDouble()).ToArray();
        L[3] = double.NegativeInfinity;
        var logPi = new[] { Math.Log(0.1), Math.Log(0.2), Math.Log(0.3), Math.Log(0.4) };
        var w = new double[n * K];
        var ll = EmLoop.EStepInto(L, logPi, n, K, w);
        var inPlace = (double[])L.Clone();
        var ll2 = EmLoop.EStepInto(inPlace, logPi, n, K, inPlace);
        Assert.Equal(ll, ll2);
        Assert.Equal(w, inPlace);
    }

    [Fact]
    public void Log_likelihood_stop_rule_stops_when_the_change_per_row_is_below_tol_and_W_is_the_E_step_at_the_final_parameters()
    {
        var (X, _, _) = GaussianTestData.Separated(300, 2, 3, 11, spacing: 3);
        var data = GaussianData.Of(X).Value();
        var family = new GaussianFamily(CovarianceType.Full);
        var W0 = family.RandomResponsibilities(data, 3, Seeds.Generator(3));
        var tol = 1e-6;
        var fit = EmLoop.Run(family, data, W0, new EmOptions(tol, 500, 0, StopRule.LogLikelihoodChange), new StartInfo(StartKind.Random, 0)).Value();
        Assert.True(fit.Converged);
        var t = fit.Trace;
        Assert.True(Math.Abs(t[^1] - t[^2]) < tol * 300);
        for (var s = 1; s < t.Length - 1; s++) Assert.True(Math.Abs(t[s] - t[s - 1]) >= tol * 300);
        var (W, ll) = GaussianMixture.EStepWithLogL(fit.Mixture.Components, fit.Mixture.Weights, data);
        // equal up to rounding: the loop's last E-step ran before the components were put in canonical order
        Assert.Equal(ll, fit.LogLikelihood, 1e-9);
        var w = W.ToColumnMajorArray();
        var f = EmLoop.Responsibilities(family, ConstantWeights.Instance, data, fit).ToColumnMajorArray();
        for (var j = 0; j < w.Length; j++) Assert.Equal(w[j], f[j], 1e-12);
        // the caller's W0 is not modified by Run
        Assert.Equal(family.RandomResponsibilities(data, 3, Seeds.Generator(3)).ToColumnMajorArray(), W0.ToColumnMajorArray());
    }

    [Fact]
    public void Both_stop_rules_reach_the_same_optimum()
    {
        var (X, _, _) = GaussianTestData.Separated(200, 2, 2, 4, spacing: 4);
        var data = GaussianData.Of(X).Value();
        var family = new GaussianFamily(CovarianceType.Diag);
        var W0 = family.RandomResponsibilities(data, 2, Seeds.Generator(9));
        var a = EmLoop.Run(family, data, W0, new EmOptions(1e-12, 5000), new StartInfo(StartKind.Random, 0)).Value();
        var b = EmLoop.Run(family, data, W0, new EmOptions(1e-13, 5000, 0, StopRule.LogLikelihoodChange), new StartInfo(StartKind.Random, 0)).Value();
        Assert.Equal(a.LogLikelihood, b.LogLikelihood, 1e-8);
        for (var j = 0; j < a.Mixture.Components.Means.Length; j++) Assert.Equal(a.Mixture.Components.Means[j], b.Mixture.Components.Means[j], 1e-6);
    }

    [Fact]
    public void Estimation_prefers_the_best_acceptable_run_and_marks_the_rejected_ones()
    {
        var (X, _, _) = GaussianTestData.Separated(200, 2, 3, 2, spacing: 3);
        var data = GaussianData.Of(X).Value();
        var family = new GaussianFamily(CovarianceType.Full, init: GaussianInit.Random);
        var settings = new EstimationSettings(new StartPlan(6), 1, new EmOptions(1e-8, 300, 0, StopRule.LogLikelihoodChange));
        KEstimate<GaussianComponents> Run(Func<EmFit<GaussianComponents>, bool>? ok) =>
            Estimation.ForK(family, ConstantWeights.Instance, data, 3, settings, null,
                ok is null ? null : new FitRule<GaussianComponents>("test rule", f => ok(f) ? [] : ["rejected"], true));
        var all = Run(null).Estimate!;
        var bestIndex = all.Best.Start.Index;
        // reject the overall best start: the next best acceptable one must be chosen
        var restrictedK = Run(f => f.Start.Index != bestIndex);
        var restricted = restrictedK.Estimate!;
        Assert.NotEqual(bestIndex, restricted.Best.Start.Index);
        var expected = all.Starts.Where(s => s.Start.Index != bestIndex).Max(s => s.LogLikelihood);
        Assert.Equal(expected, restricted.LogLikelihood);
        Assert.False(restricted.Starts.Single(s => s.Start.Index == bestIndex).Acceptable);
        Assert.Equal(1, restrictedK.RejectedStarts);
        Assert.False(restrictedK.Excluded);
        // none acceptable: the best overall is returned, and the K is excluded from the choice of K
        var none = Run(_ => false);
        Assert.Equal(all.LogLikelihood, none.LogLikelihood);
        Assert.True(none.Excluded);
        Assert.Equal(["rejected"], none.Problems.ToArray());
    }
}
