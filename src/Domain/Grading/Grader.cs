using System.Collections.Immutable;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Grading;

/// <summary>
/// Grades a sales-model submission against the grader's own reference fits. Per K (the assignment's
/// K = 2, 3, 4 and any other K reported):
/// <list type="bullet">
/// <item>pi sums to 1: K non-negative weights with |sum - 1| &lt;= tol;</item>
/// <item>the reported log L equals LogL(theta, pi) at the submission's OWN parameters (relative tol);</item>
/// <item>the reported BIC equals (3K - 1) ln(N T) - 2 log L with the reported log L (relative tol);</item>
/// <item>log L at the submission's parameters reaches the reference maximum (within the absolute log-likelihood tolerance) or is stuck at a local optimum;</item>
/// <item>alpha, beta, pi equal the reference within the parameter tolerance after the optimal matching of segments;</item>
/// </list>
/// and once: the K with the lowest BIC (stated, or the lowest reported BIC) equals the reference choice.
/// Degenerate results are named in plain words: a segment with less than one store's weight, two
/// segments with the same alpha and beta (within 1e-3), a log L below the best (K-1)-segment fit (which
/// a K-segment model can always match) or more than 1% below the reference maximum.
/// </summary>
/// <remarks>No R or Python package grades EM submissions; the checks are those an instructor does by
/// hand with <c>flexmix</c> or NumPy: refit, compare log-likelihoods, recompute BIC, match labels.</remarks>
public static class Grader
{
    /// <summary>Two segments whose alpha and beta differ by at most this are "the same".</summary>
    public const double SameSegment = 1e-3;

    /// <summary>
    /// Grades <paramref name="submission"/> on data (y: T x N log sales, X: T x 2) whose reference fits
    /// are <paramref name="reference"/>.
    /// </summary>
    public static GradeReport Grade(Submission submission, GradingReference reference, Matrix<double> y, Matrix<double> X, GradingOptions? options = null)
    {
        var o = options ?? new GradingOptions();
        var N = reference.Stores;
        var n = reference.Observations;
        var checks = ImmutableArray.CreateBuilder<CheckResult>();
        var findings = ImmutableArray.CreateBuilder<string>();
        var problems = submission.Problems.ToBuilder();
        var graded = new List<int>();
        foreach (var K in o.Ks.Concat(submission.Models.Select(m => m.K)).Distinct().Order())
        {
            var best = reference.For(K);
            if (best is null)
            {
                problems.Add($"K = {K}: not graded (the reference was estimated for K = 1..{reference.Fits.Keys.Max()} only)");
                continue;
            }
            graded.Add(K);
            var m = submission.For(K);
            if (m is null)
            {
                foreach (var kind in PerK) checks.Add(new CheckResult(K, kind, false, null, null, null, null, $"K = {K} is not reported"));
                continue;
            }
            var own = OwnLogL(m, y, X, out var why);
            checks.Add(PiCheck(m, o));
            checks.Add(ConsistencyCheck(m, own, why, n, o));
            checks.Add(BicCheck(m, own, n, N, reference.Weeks, o));
            var maximum = MaximumCheck(m, own, why, best, reference.For(K - 1), o, findings);
            checks.Add(maximum);
            var parameters = ParameterCheck(m, best, o);
            checks.Add(maximum.Passed && !parameters.Passed && m.Pi is { } w && w.Length == K
                ? parameters with { Detail = parameters.Detail + "; the log-likelihood is at the maximum, so the likelihood is flat there (an over-fitted K) or EM stopped before the parameters settled" }
                : parameters);
            findings.AddRange(Degenerate(m, N));
        }
        var referenceK = graded.Count == 0 ? 0 : graded.MinBy(k => reference.For(k)!.Bic);
        var chosen = ChosenK(submission, findings);
        checks.Add(chosen is null
            ? new CheckResult(null, CheckKind.SelectedK, false, null, referenceK, null, null, "no K chosen (no BIC reported and no selected K stated)")
            : new CheckResult(null, CheckKind.SelectedK, chosen == referenceK, chosen, referenceK, null, null,
                chosen == referenceK
                    ? $"K = {chosen} has the lowest BIC, as in the reference"
                    : $"chose K = {chosen} but the reference BIC is lowest at K = {referenceK}"));
        return new GradeReport(submission.Name, checks.ToImmutable(), findings.ToImmutable(), problems.ToImmutable(), chosen, referenceK);
    }

    private static readonly CheckKind[] PerK =
        [CheckKind.PiSumsToOne, CheckKind.LogLikelihoodConsistent, CheckKind.BicFormula, CheckKind.ReachesMaximum, CheckKind.ParametersMatch];

    private static string G(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
    private static string G3(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>LogL at the submission's theta and pi (pi renormalised), or null with the reason.</summary>
    public static double? OwnLogL(SubmittedModel m, Matrix<double> y, Matrix<double> X, out string why)
    {
        why = "";
        if (m.Theta is null) { why = "theta is not reported"; return null; }
        if (m.Pi is not { } pi) { why = "pi is not reported"; return null; }
        if (m.Theta.K != m.K) { why = $"theta has {m.Theta.K} segment(s)"; return null; }
        if (pi.Length != m.K) { why = $"pi has {pi.Length} weight(s)"; return null; }
        if (pi.Any(p => !double.IsFinite(p) || p < 0) || pi.Sum() <= 0) { why = "pi has negative or non-finite weights"; return null; }
        return SalesModel.LogL(m.Theta, MixingWeights.Normalised(pi), y, X);
    }

    private static CheckResult PiCheck(SubmittedModel m, GradingOptions o)
    {
        var kind = CheckKind.PiSumsToOne;
        if (m.Pi is not { } pi) return new(m.K, kind, false, null, 1, null, o.Tol, "pi is not reported");
        if (pi.Length != m.K) return new(m.K, kind, false, null, 1, null, o.Tol, $"pi has {pi.Length} weight(s) for K = {m.K}");
        if (pi.Any(p => p < 0)) return new(m.K, kind, false, pi.Sum(), 1, null, o.Tol, "pi has a negative weight");
        var sum = pi.Sum();
        var d = Math.Abs(sum - 1);
        return new(m.K, kind, d <= o.Tol, sum, 1, d, o.Tol, d <= o.Tol ? "sum(pi) = 1" : $"the weights sum to {G(sum)}, not 1");
    }

    private static CheckResult ConsistencyCheck(SubmittedModel m, double? own, string why, int n, GradingOptions o)
    {
        var kind = CheckKind.LogLikelihoodConsistent;
        if (m.LogLikelihood is not { } rep) return new(m.K, kind, false, null, own, null, null, "the log-likelihood is not reported");
        if (own is not { } L) return new(m.K, kind, false, rep, null, null, null, $"cannot evaluate LogL at the submission's parameters: {why}");
        var tol = o.Tol * Math.Max(1, Math.Abs(L));
        var d = Math.Abs(rep - L);
        if (d <= tol) return new(m.K, kind, true, rep, L, d, tol, "the reported log-likelihood is LogL at the reported theta, pi");
        var constant = 0.5 * n * Math.Log(2 * Math.PI);
        var detail = Math.Abs(rep - (L + constant)) <= tol
            ? $"the reported value leaves out the constant -(N T / 2) log(2 pi) = {G(-constant)} of the normal density"
            : Math.Abs(rep + L) <= tol
                ? "the reported value has the wrong sign (a negative log-likelihood?)"
                : $"the reported log-likelihood differs by {G3(rep - L)} from LogL at the reported theta, pi (computed at other parameters, or with another formula)";
        return new(m.K, kind, false, rep, L, d, tol, detail);
    }

    private static CheckResult BicCheck(SubmittedModel m, double? own, int n, int N, int T, GradingOptions o)
    {
        var kind = CheckKind.BicFormula;
        var K = m.K;
        var k = SalesModel.FreeParameters(K);
        if (m.Bic is not { } bic) return new(K, kind, false, null, null, null, null, "the BIC is not reported");
        if ((m.LogLikelihood ?? own) is not { } L) return new(K, kind, false, bic, null, null, null, "no log-likelihood to check the BIC against");
        var expected = Selection.Bic(L, k, n);
        var tol = o.Tol * Math.Max(1, Math.Abs(expected));
        var d = Math.Abs(bic - expected);
        var source = m.LogLikelihood is null ? " (with LogL at the reported parameters: no log-likelihood reported)" : "";
        if (d <= tol) return new(K, kind, true, bic, expected, d, tol, $"BIC = (3K - 1) ln(N T) - 2 logL{source}");
        (double Value, string Why)[] alternatives =
        [
            (3 * K * Math.Log(n) - 2 * L, "counts all K weights as free (k = 3K instead of 3K - 1)"),
            (2 * K * Math.Log(n) - 2 * L, "leaves out the weights (k = 2K instead of 3K - 1)"),
            (k * Math.Log(N) - 2 * L, "uses n = N stores instead of N T observations"),
            (k * Math.Log(T) - 2 * L, "uses n = T weeks instead of N T observations"),
            (-expected, "has the opposite sign (2 logL - k ln n, the mclust convention; lower must be better)"),
            (k * Math.Log10(n) - 2 * L, "uses log10 instead of the natural logarithm"),
            (k * Math.Log(n) - L, "leaves out the factor 2 on logL"),
            (2 * k - 2 * L, "is the AIC (2k - 2 logL), not the BIC"),
        ];
        var match = alternatives.FirstOrDefault(a => Math.Abs(bic - a.Value) <= tol);
        string detail;
        if (match.Why is not null) detail = $"the reported BIC {match.Why}";
        else if (own is { } Lo && m.LogLikelihood is not null && Math.Abs(bic - Selection.Bic(Lo, k, n)) <= tol)
            detail = "the BIC uses LogL at the reported parameters, not the reported log-likelihood";
        else detail = $"the reported BIC differs by {G3(bic - expected)} from (3K - 1) ln(N T) - 2 logL = {G(expected)}";
        return new(K, kind, false, bic, expected, d, tol, detail);
    }

    private static CheckResult MaximumCheck(SubmittedModel m, double? own, string why, SalesEstimate best, SalesEstimate? previous, GradingOptions o,
        ImmutableArray<string>.Builder findings)
    {
        var kind = CheckKind.ReachesMaximum;
        var K = m.K;
        var L = own ?? m.LogLikelihood;
        var Lref = best.LogLikelihood;
        if (L is not { } Ls) return new(K, kind, false, null, Lref, null, null, $"no log-likelihood: {why}");
        var basis = own is null ? $" (reported value; parameters unusable: {why})" : "";
        var tol = o.LogLTol;
        var shortfall = Lref - Ls;
        if (shortfall < -tol)
            findings.Add($"K = {K}: the log-likelihood {G(Ls)} is above the reference maximum {G(Lref)}: the reference missed this optimum (grade again with more --ref-starts)");
        if (previous is not null && Ls < previous.LogLikelihood - tol)
            findings.Add($"K = {K}: the log-likelihood {G(Ls)} is below even the best K = {K - 1} fit ({G(previous.LogLikelihood)}); a {K}-segment model can always match a {K - 1}-segment one, so this fit is far from any optimum (EM not converged, or an error in the E- or M-step)");
        else if (shortfall > 0.01 * Math.Abs(Lref))
            findings.Add($"K = {K}: the log-likelihood is {G3(shortfall)} below the reference maximum, far from the optimum");
        return shortfall <= tol
            ? new(K, kind, true, Ls, Lref, Math.Max(0, shortfall), tol, $"reaches the reference maximum{basis}")
            : new(K, kind, false, Ls, Lref, shortfall, tol, $"stuck at a local optimum {G3(shortfall)} below the reference maximum{basis}");
    }

    private static CheckResult ParameterCheck(SubmittedModel m, SalesEstimate best, GradingOptions o)
    {
        var kind = CheckKind.ParametersMatch;
        var K = m.K;
        if (m.Theta is null || m.Theta.K != K) return new(K, kind, false, null, null, null, o.ParamTol, m.Theta is null ? "theta is not reported" : $"theta has {m.Theta.K} segment(s) for K = {K}");
        var pi = m.Pi is { } p && p.Length == K ? p : (ImmutableArray<double>?)null;
        var s = m.Theta.Segments;
        var r = best.Theta.Segments;
        var cost = new double[K, K];
        for (var c = 0; c < K; c++)
        for (var j = 0; j < K; j++)
            cost[c, j] = Math.Pow(s[c].Alpha - r[j].Alpha, 2) + Math.Pow(s[c].Beta - r[j].Beta, 2);
        var perm = Relabel.BestPermutation(cost);
        var worst = 0.0;
        var where = "";
        for (var c = 0; c < K; c++)
        {
            var j = perm[c];
            void Compare(double a, double b, string name)
            {
                var d = Math.Abs(a - b);
                if (d > worst) { worst = d; where = $"{name} of segment {c + 1} (reference segment {j + 1})"; }
            }
            Compare(s[c].Alpha, r[j].Alpha, "alpha");
            Compare(s[c].Beta, r[j].Beta, "beta");
            if (pi is { } w) Compare(w[c], best.Pi.Pi[j], "pi");
        }
        var matching = perm.Select((j, c) => j == c).All(x => x) ? "" : $"segments matched to reference {string.Join(", ", perm.Select(j => j + 1))}; ";
        var piNote = pi is null ? " (pi not compared: not reported with K weights)" : "";
        var ok = worst <= o.ParamTol && pi is not null;
        return new(K, kind, ok, null, null, worst, o.ParamTol,
            ok ? $"{matching}largest difference {G3(worst)}" : $"{matching}largest difference {G3(worst)} in {where}{piNote}");
    }

    private static IEnumerable<string> Degenerate(SubmittedModel m, int N)
    {
        if (m.Pi is { } pi && pi.Length == m.K)
            for (var c = 0; c < m.K; c++)
                if (pi[c] * N < 1)
                    yield return $"K = {m.K}: segment {c + 1} has weight {G3(pi[c])}, less than one store of {N}: an empty segment";
        if (m.Theta is { } t)
            for (var c = 0; c < t.K; c++)
            for (var d = c + 1; d < t.K; d++)
                if (Math.Abs(t.Segments[c].Alpha - t.Segments[d].Alpha) <= SameSegment && Math.Abs(t.Segments[c].Beta - t.Segments[d].Beta) <= SameSegment)
                    yield return $"K = {m.K}: segments {c + 1} and {d + 1} are the same (alpha = {G3(t.Segments[c].Alpha)}, beta = {G3(t.Segments[c].Beta)}): " +
                                 $"this is a {t.K - 1}-segment fit in disguise (EM started from equal segments?)";
    }

    private static int? ChosenK(Submission s, ImmutableArray<string>.Builder findings)
    {
        var withBic = s.Models.Where(m => m.Bic is { } b && double.IsFinite(b)).ToList();
        int? lowest = withBic.Count == 0 ? null : withBic.MinBy(m => m.Bic!.Value)!.K;
        if (s.StatedK is { } stated && lowest is { } l && stated != l)
            findings.Add($"the submission states K = {stated} but its own BIC is lowest at K = {l}");
        return s.StatedK ?? lowest;
    }
}
