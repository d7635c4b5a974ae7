using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Grading;
using Mixtures.Data;

namespace Mixtures.Tests.Instructor;

/// <summary>
/// Submissions made by real buggy code: tests/reference/grading/buggy/buggy_students.py implements each
/// bug in NumPy (transposed y in the log-likelihood, the observation-level mixture, an M-step that never
/// divides by the total weight, an impossible log-likelihood without parameters, K = 4 started from equal
/// segments, EM stopped after 3 steps, a genuine local optimum) on the committed data file the grading
/// fixture also uses. For each, every check's verdict and the cause named for each failure are fixed
/// here, and the sentence the student reads must say what the bug is.
/// </summary>
[Collection(GradingCollection.Name)]
public class BuggySubmissionTests(GradingFixture f)
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "reference", "grading", "buggy");

    private GradeReport Grade(string variant)
    {
        var s = SubmissionJson.Read(Path.Combine(Dir, variant + ".json"), variant).Value();
        return Grader.Grade(s, f.Reference, f.Y, f.X);
    }

    /// <summary>Every check not listed in <paramref name="failed"/> passes; each listed one fails with that cause.</summary>
    private static void Verdicts(GradeReport r, params (string Label, string Cause)[] failed)
    {
        var expected = failed.ToDictionary(x => x.Label, x => x.Cause);
        foreach (var c in r.Checks)
        {
            if (expected.TryGetValue(c.Label, out var cause))
            {
                Assert.False(c.Passed, $"{c.Label} should fail: {c.Detail}");
                Assert.True(cause == c.Cause, $"{c.Label}: cause {c.Cause}, expected {cause}: {c.Detail}");
            }
            else Assert.True(c.Passed, $"{c.Label} should pass: {c.Detail}");
        }
        Assert.Equal(expected.Keys.Order(), r.Failed.Order());
    }

    private static (string, string)[] PerK(string check, string cause) => [.. new[] { 2, 3, 4 }.Select(k => ($"K = {k}: {check}", cause))];

    private static CheckResult Check(GradeReport r, int? K, CheckKind kind) => r.Checks.Single(c => c.K == K && c.Kind == kind);

    [Fact]
    public void Data_file_is_the_fixtures()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(Dir, "..", "609948_60x20.csv")), File.ReadAllText(f.DataFile));
    }

    [Fact]
    public void Transposed_y_in_the_log_likelihood_is_named_as_the_first_T_stores()
    {
        var r = Grade("transposed");
        Verdicts(r, [.. PerK("logL matches own parameters", Mistakes.LogLFirstStores), ("K chosen by BIC", Mistakes.WrongK)]);
        Assert.All(new[] { 2, 3, 4 }, K => Assert.StartsWith("the reported value is LogL summed over the first T = 20 stores only (of N = 60)",
            Check(r, K, CheckKind.LogLikelihoodConsistent).Detail));
        // the parameters are right, so nothing else is said about them
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Observation_level_mixture_is_named_and_its_point_is_not_an_EM_fixed_point()
    {
        var r = Grade("observation_level");
        Verdicts(r, [.. PerK("logL matches own parameters", Mistakes.LogLObservationLevel), .. PerK("reaches reference maximum", Mistakes.NotFixedPoint),
            .. PerK("parameters match reference", Mistakes.ParametersOff), ("K chosen by BIC", Mistakes.WrongK)]);
        Assert.StartsWith("the reported value is the observation-level mixture sum_i sum_t log sum_c pi_c phi", Check(r, 3, CheckKind.LogLikelihoodConsistent).Detail);
        var max = Check(r, 2, CheckKind.ReachesMaximum);
        Assert.Contains("not an EM fixed point: one EM step from the reported theta, pi raises log L by", max.Detail);
        Assert.DoesNotContain("local optimum", max.Detail);
    }

    [Fact]
    public void Unnormalised_M_step_is_named_with_N_times_the_pooled_fit()
    {
        var r = Grade("unnormalised_mstep");
        Verdicts(r, [.. PerK("reaches reference maximum", Mistakes.UnnormalisedMStep), .. PerK("parameters match reference", Mistakes.UnnormalisedMStep),
            ("K chosen by BIC", Mistakes.WrongK)]);
        var p = Check(r, 2, CheckKind.ParametersMatch).Detail;
        Assert.Contains("are 60 times the weighted least-squares estimates", p);
        Assert.Contains("N times the pooled least-squares intercept and slope", p);
        Assert.EndsWith("the M-step never divides by the total weight", p);
        // its own log-likelihood is absurd (about -1.2e7): the consistency tolerance keeps the reference's scale
        Assert.True(Check(r, 2, CheckKind.LogLikelihoodConsistent).Value < -1e6);
        Assert.Equal(1e-4 * Math.Abs(f.Reference.For(2)!.LogLikelihood), Check(r, 2, CheckKind.LogLikelihoodConsistent).Tolerance!.Value, 12);
        // the empty segments left at (0, 0) are empty segments, not "equal segments"
        Assert.DoesNotContain(r.Findings, x => x.Cause == Mistakes.EqualSegments);
        Assert.Contains(r.Findings, x => x.Cause == Mistakes.EmptySegment && x.K == 4);
        // independent check: a segment's alpha is N times the pooled OLS intercept of all y_it on (1, log p_t)
        var y = f.Y;
        var X = f.X;
        var stacked = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(y.RowCount * y.ColumnCount, 2, (i, j) => X[i % y.RowCount, j]);
        var ys = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(y.RowCount * y.ColumnCount, i => y[i % y.RowCount, i / y.RowCount]);
        var ols = stacked.QR().Solve(ys);
        var s = SubmissionJson.Read(Path.Combine(Dir, "unnormalised_mstep.json"), "u").Value();
        Assert.Contains(s.For(2)!.Theta!.Segments, seg => Math.Abs(seg.Alpha - 60 * ols[0]) < 1e-6 * 60 * Math.Abs(ols[0]));
    }

    [Fact]
    public void Impossible_log_likelihood_without_parameters_cannot_pass_and_is_named_impossible()
    {
        var r = Grade("impossible_logl");
        Verdicts(r, [.. PerK("pi sums to 1", Mistakes.PiMissing), .. PerK("logL matches own parameters", Mistakes.LogLImpossible),
            .. PerK("reaches reference maximum", Mistakes.LogLImpossible), .. PerK("parameters match reference", Mistakes.NoParameters),
            ("K chosen by BIC", Mistakes.WrongK)]);
        var bound = Diagnostics.LogLUpperBound(f.Reference.Observations);
        Assert.Equal(-0.5 * 60 * 20 * Math.Log(2 * Math.PI), bound, 9);
        var max = Check(r, 3, CheckKind.ReachesMaximum);
        Assert.StartsWith("cannot be verified: theta is not reported", max.Detail);
        Assert.Contains($"is impossible: with sigma = 1 every log-likelihood is at most -(N T / 2) ln(2 pi) = {bound.ToString("G10", System.Globalization.CultureInfo.InvariantCulture)}", max.Detail);
        Assert.Contains("minus the reference maximum", Check(r, 3, CheckKind.LogLikelihoodConsistent).Detail);
        // never told that the reference missed an optimum
        Assert.DoesNotContain(r.Findings, x => x.Cause == Mistakes.AboveReference);
    }

    [Fact]
    public void Three_equal_segments_are_one_finding_a_two_segment_fit_and_not_a_local_optimum()
    {
        var r = Grade("equal_segments");
        Verdicts(r, ("K = 4: reaches reference maximum", Mistakes.EqualSegments), ("K = 4: parameters match reference", Mistakes.ParametersOff));
        var equal = Assert.Single(r.Findings, x => x.Cause == Mistakes.EqualSegments);
        Assert.StartsWith("K = 4: segments 1, 3 and 4 are the same", equal.Text);
        Assert.EndsWith("this is a 2-segment fit in disguise", equal.Text);
        Assert.Contains("not a local optimum of K = 4 segments", Check(r, 4, CheckKind.ReachesMaximum).Detail);
    }

    [Fact]
    public void EM_stopped_after_three_steps_is_not_a_fixed_point_rather_than_a_local_optimum()
    {
        var r = Grade("early_stopped");
        Assert.Contains(r.Checks, c => c.Kind == CheckKind.ReachesMaximum && !c.Passed);
        foreach (var c in r.Checks.Where(c => c.Kind == CheckKind.ReachesMaximum && !c.Passed))
        {
            Assert.Equal(Mistakes.NotFixedPoint, c.Cause);
            Assert.Contains("not an EM fixed point", c.Detail);
            Assert.Contains("EM stopped before converging", c.Detail);
        }
        Assert.DoesNotContain(r.Checks, c => c.Detail.Contains("local optimum"));
        // the identities hold: its log-likelihood and BIC are computed right, at the parameters reported
        Assert.All(r.Checks.Where(c => c.Kind is CheckKind.PiSumsToOne or CheckKind.LogLikelihoodConsistent or CheckKind.BicFormula), c => Assert.True(c.Passed, c.Label));
    }

    [Fact]
    public void A_genuine_local_optimum_is_called_one()
    {
        // K = 3 from a start that converges (one more EM step changes log L by < 1e-8) 16 below the best of 200 starts
        var r = Grade("local_optimum");
        Verdicts(r, ("K = 3: reaches reference maximum", Mistakes.LocalOptimum), ("K = 3: parameters match reference", Mistakes.ParametersOff),
            ("K chosen by BIC", Mistakes.WrongK));
        var max = Check(r, 3, CheckKind.ReachesMaximum);
        Assert.StartsWith("stuck at a local optimum 16 below the reference maximum: EM from the reported theta, pi stays there", max.Detail);
        Assert.Empty(r.Findings);
    }
}
