using System.Collections.Immutable;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Grading;
using Mixtures.Domain.Model;

namespace Mixtures.Tests.Instructor;

[Collection(GradingCollection.Name)]
public class GraderTests(GradingFixture f)
{
    private GradeReport Grade(Submission s, GradingOptions? o = null) => Grader.Grade(s, f.Reference, f.Y, f.X, o);

    private static Submission With(Submission s, int K, Func<SubmittedModel, SubmittedModel> change) =>
        s with { Models = [.. s.Models.Select(m => m.K == K ? change(m) : m)] };

    private static CheckResult Check(GradeReport r, int? K, CheckKind kind) => r.Checks.Single(c => c.K == K && c.Kind == kind);

    [Fact]
    public void Reference_finds_the_true_three_segments_and_BIC_chooses_K_3()
    {
        var r = Grade(f.Correct());
        Assert.Equal(3, r.ReferenceK);
        // the small third segment (10 of 60 stores) has a positive price effect
        Assert.Equal(3, f.Reference.For(3)!.Theta.K);
        Assert.True(f.Reference.For(3)!.LogLikelihood > f.Reference.For(2)!.LogLikelihood + 10);
    }

    [Fact]
    public void Correct_submission_passes_every_check()
    {
        var r = Grade(f.Correct());
        Assert.All(r.Checks, c => Assert.True(c.Passed, $"{c.Label}: {c.Detail}"));
        Assert.Equal(16, r.Total);
        Assert.Equal(100.0, r.Score);
        Assert.Empty(r.Findings);
        Assert.Empty(r.Problems);
        Assert.Equal(3, r.ChosenK);
    }

    [Fact]
    public void Independent_NumPy_solution_passes_every_check()
    {
        // tests/reference/grading/student_numpy.py: a plain NumPy/SciPy solution of the assignment (40 random
        // starts, tol 1e-10) run on the committed copy of this data set, written in the student layout
        var dir = Path.Combine(AppContext.BaseDirectory, "reference", "grading");
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "609948_60x20.csv")), File.ReadAllText(f.DataFile));
        var s = Mixtures.Data.SubmissionJson.Read(Path.Combine(dir, "student_numpy_results.json"), "numpy").Value();
        Assert.Empty(s.Problems);
        var r = Grade(s);
        Assert.All(r.Checks, c => Assert.True(c.Passed, $"{c.Label}: {c.Detail}"));
        // its log-likelihoods are LogL at its own parameters to rounding, and equal our reference maxima
        Assert.All(r.Checks.Where(c => c.Kind == CheckKind.LogLikelihoodConsistent), c => Assert.True(c.Difference < 1e-9, c.Label));
        Assert.All(r.Checks.Where(c => c.Kind == CheckKind.ReachesMaximum), c => Assert.True(c.Difference < 1e-8, c.Label));
        Assert.All(r.Checks.Where(c => c.Kind == CheckKind.ParametersMatch), c => Assert.True(c.Difference < 1e-8, c.Label));
    }

    [Fact]
    public void Permuted_segments_pass_after_matching()
    {
        var s = f.Correct();
        s = s with
        {
            Models = [.. s.Models.Select(m => m with
            {
                Theta = Theta.Of(m.Theta!.Segments.Reverse()),
                Pi = [.. m.Pi!.Value.Reverse()],
            })],
        };
        var r = Grade(s);
        Assert.All(r.Checks, c => Assert.True(c.Passed, $"{c.Label}: {c.Detail}"));
        Assert.StartsWith("segments matched to reference 3, 2, 1", Check(r, 3, CheckKind.ParametersMatch).Detail);
    }

    [Theory]
    [InlineData("k3K", "counts all K weights as free (k = 3K instead of 3K - 1)")]
    [InlineData("nN", "uses n = N stores instead of N T observations")]
    [InlineData("sign", "has the opposite sign")]
    [InlineData("aic", "is the AIC (2k - 2 logL), not the BIC")]
    public void Wrong_BIC_formula_fails_the_BIC_checks_and_says_which_mistake(string mistake, string expected)
    {
        var n = f.Reference.Observations;
        double Wrong(SubmittedModel m) => mistake switch
        {
            "k3K" => 3 * m.K * Math.Log(n) - 2 * m.LogLikelihood!.Value,
            "nN" => (3 * m.K - 1) * Math.Log(f.Reference.Stores) - 2 * m.LogLikelihood!.Value,
            "sign" => 2 * m.LogLikelihood!.Value - (3 * m.K - 1) * Math.Log(n),
            _ => 2 * (3 * m.K - 1) - 2 * m.LogLikelihood!.Value,
        };
        var s = f.Correct() with { Models = [.. f.Correct().Models.Select(m => m with { Bic = Wrong(m) })] };
        var r = Grade(s);
        foreach (var K in new[] { 2, 3, 4 })
        {
            var c = Check(r, K, CheckKind.BicFormula);
            Assert.False(c.Passed);
            Assert.Contains(expected, c.Detail);
            Assert.Equal(Selection.Bic(f.Reference.For(K)!.LogLikelihood, 3 * K - 1, n), c.Reference!.Value, 9);
        }
        Assert.All(r.Checks.Where(c => c.Kind is not (CheckKind.BicFormula or CheckKind.SelectedK)), c => Assert.True(c.Passed, c.Label));
    }

    [Fact]
    public void Local_optimum_fails_reaching_the_maximum_and_the_parameters_only()
    {
        // EM started next to a known local optimum of this data set for K = 3: the small segment merged
        // into the large one and the first true segment split in two (log L about 16 below the maximum)
        var start = Theta.Of((1.93, -2.29), (2.24, -2.38), (4.12, -1.50));
        var fit = SalesModel.EM(start, MixingWeights.Of([0.14, 0.18, 0.68]), f.Y, f.X, new EmOptions(1e-10, 10_000)).Value();
        Assert.True(fit.Converged);
        Assert.True(fit.LogLikelihood < f.Reference.For(3)!.LogLikelihood - 10);
        var s = With(f.Correct(), 3, _ => f.Model(fit.Theta, fit.Pi, fit.LogLikelihood));
        var r = Grade(s);
        var max = Check(r, 3, CheckKind.ReachesMaximum);
        Assert.False(max.Passed);
        Assert.StartsWith("stuck at a local optimum", max.Detail);
        Assert.Equal(f.Reference.For(3)!.LogLikelihood - fit.LogLikelihood, max.Difference!.Value, 9);
        Assert.False(Check(r, 3, CheckKind.ParametersMatch).Passed);
        // and with K = 3 at the local optimum its own BIC now prefers K = 2
        Assert.Equal(["K = 3: reaches reference maximum", "K = 3: parameters match reference", "K chosen by BIC"], r.Failed);
        Assert.Equal(2, r.ChosenK);
        // 16 below the maximum but above the best K = 2 fit and within 1%: a local optimum, not a degenerate fit
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Inconsistent_log_likelihood_fails_the_consistency_check()
    {
        var s = With(f.Correct(), 2, m => m with { LogLikelihood = m.LogLikelihood + 5, Bic = m.Bic - 10 });
        var r = Grade(s);
        var c = Check(r, 2, CheckKind.LogLikelihoodConsistent);
        Assert.False(c.Passed);
        Assert.Equal(5, c.Difference!.Value, 6);
        Assert.StartsWith("the reported log-likelihood differs by 5", c.Detail);
        // the BIC is judged with the reported log L, so it is still consistent
        Assert.True(Check(r, 2, CheckKind.BicFormula).Passed);
        Assert.Equal(["K = 2: logL matches own parameters"], r.Failed);
    }

    [Fact]
    public void Log_likelihood_without_the_normal_constant_is_named()
    {
        var constant = 0.5 * f.Reference.Observations * Math.Log(2 * Math.PI);
        var r = Grade(With(f.Correct(), 3, m => m with { LogLikelihood = m.LogLikelihood + constant }));
        Assert.Contains("leaves out the constant -(N T / 2) log(2 pi)", Check(r, 3, CheckKind.LogLikelihoodConsistent).Detail);
    }

    [Fact]
    public void Degenerate_K_4_with_two_equal_segments_and_an_empty_one_is_named()
    {
        var best3 = f.Reference.For(3)!;
        var s3 = best3.Theta.Segments;
        // the K = 3 optimum with its first segment duplicated and (almost) no weight on the copy
        var theta = Theta.Of([s3[0], s3[0], s3[1], s3[2]]);
        var pi = MixingWeights.Of([best3.Pi.Pi[0] - 0.001, 0.001, best3.Pi.Pi[1], best3.Pi.Pi[2]]);
        var logL = SalesModel.LogL(theta, pi, f.Y, f.X);
        var r = Grade(With(f.Correct(), 4, _ => f.Model(theta, pi, logL)));
        Assert.Contains(r.Findings.Select(x => x.Text), x => x.StartsWith("K = 4: segments 1 and 2 are the same") && x.Contains("3-segment fit in disguise"));
        Assert.Contains(r.Findings.Select(x => x.Text), x => x.StartsWith("K = 4: segment 2 has weight 0.001, less than one store of 60: an empty segment"));
        Assert.True(Check(r, 4, CheckKind.LogLikelihoodConsistent).Passed);
    }

    [Fact]
    public void A_fit_far_below_the_K_minus_1_maximum_is_named()
    {
        var e = f.Reference.For(4)!;
        var bad = Theta.Of(e.Theta.Segments.Select(x => new Segment(x.Alpha + 0.5, x.Beta)));
        var logL = SalesModel.LogL(bad, e.Pi, f.Y, f.X);
        var r = Grade(With(f.Correct(), 4, _ => f.Model(bad, e.Pi, logL)));
        Assert.Contains(r.Findings.Select(x => x.Text), x => x.StartsWith("K = 4: the log-likelihood") && x.Contains("below even the best K = 3 fit"));
    }

    [Fact]
    public void Parameters_off_at_the_maximum_are_explained_as_flat_or_unsettled()
    {
        var e = f.Reference.For(4)!;
        var t = Theta.Of(e.Theta.Segments.Select(x => new Segment(x.Alpha + 0.01, x.Beta)));
        var logL = SalesModel.LogL(t, e.Pi, f.Y, f.X);
        var r = Grade(With(f.Correct(), 4, _ => f.Model(t, e.Pi, logL)), new GradingOptions(LogLTol: 100));
        Assert.True(Check(r, 4, CheckKind.ReachesMaximum).Passed);
        var c = Check(r, 4, CheckKind.ParametersMatch);
        Assert.False(c.Passed);
        Assert.Contains("largest difference 0.01 in alpha", c.Detail);
        Assert.EndsWith("or EM stopped before the parameters settled", c.Detail);
    }

    [Fact]
    public void Weights_not_summing_to_one_fail_that_check()
    {
        var r = Grade(With(f.Correct(), 2, m => m with { Pi = [0.5, 0.4] }));
        var c = Check(r, 2, CheckKind.PiSumsToOne);
        Assert.False(c.Passed);
        Assert.Equal("the weights sum to 0.9, not 1", c.Detail);
    }

    [Fact]
    public void A_missing_K_fails_its_five_checks()
    {
        var s = f.Correct() with { Models = [.. f.Correct().Models.Where(m => m.K != 4)] };
        var r = Grade(s);
        Assert.Equal(5, r.Checks.Count(c => c.K == 4 && !c.Passed && c.Detail == "K = 4 is not reported"));
        Assert.Equal(11, r.Passed);
        Assert.Equal(68.8, r.Score);
    }

    [Fact]
    public void A_stated_K_against_the_own_BIC_fails_the_choice_and_is_named()
    {
        var r = Grade(f.Correct() with { StatedK = 2 });
        Assert.False(Check(r, null, CheckKind.SelectedK).Passed);
        Assert.Contains("the submission states K = 2 but its own BIC is lowest at K = 3", r.Findings.Select(x => x.Text));
    }

    [Fact]
    public void Loose_but_near_optimal_estimates_pass_within_the_tolerances()
    {
        // a student who stopped EM early: parameters off by 1e-4, log L a little below the maximum
        var s = f.Correct();
        s = s with
        {
            Models = [.. s.Models.Select(m =>
            {
                var t = Theta.Of(m.Theta!.Segments.Select(x => new Segment(x.Alpha + 1e-4, x.Beta - 1e-4)));
                var pi = MixingWeights.Of(m.Pi!.Value);
                return f.Model(t, pi, SalesModel.LogL(t, pi, f.Y, f.X));
            })],
        };
        var r = Grade(s);
        Assert.All(r.Checks, c => Assert.True(c.Passed, $"{c.Label}: {c.Detail}"));
    }
}
