using System.Collections.Immutable;
using System.Globalization;

namespace Mixtures.Domain.Grading;

/// <summary>One check of the grader explained: what it compares, the formula, and the tolerance with the values in force.</summary>
/// <param name="Name">The check's name as in the tables.</param>
/// <param name="Formula">What is computed and compared.</param>
/// <param name="Tolerance">When it passes.</param>
/// <param name="OnFailure">How a failure is diagnosed.</param>
public sealed record CheckExplanation(string Name, string Formula, string Tolerance, string OnFailure);

/// <summary>The text of <c>mixtures grade --explain</c> (and of the README's list of checks): each check, its formula and tolerance.</summary>
public static class GradingExplanation
{
    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>The checks, in the order of a report, with the tolerances of <paramref name="o"/>.</summary>
    public static ImmutableArray<CheckExplanation> Checks(GradingOptions o) =>
    [
        new("pi sums to 1",
            "K non-negative weights pi_1..pi_K with sum_c pi_c = 1.",
            $"|sum_c pi_c - 1| <= tol = {G(o.Tol)} (--tol).",
            "Names a missing pi, the wrong number of weights or a negative weight."),
        new("logL matches own parameters",
            "The reported log L equals LogL(theta, pi) = sum_i log sum_c pi_c prod_t phi(y_it - alpha_c - beta_c log p_t) at the submission's own theta and pi (pi renormalised).",
            $"|reported - LogL| <= tol max(1, |reference log L|) = {G(o.Tol)} max(1, |reference log L|): the scale is the reference maximum's, never the submission's own value.",
            "The reported value is compared with what common bugs compute at the same parameters: without the normal constant -(N T / 2) ln(2 pi), with the sign flipped, " +
            "the sum over the first T stores only (y taken as N x T), and the observation-level mixture sum_it log sum_c pi_c phi(y_it - ...), each also combined with the first two; " +
            "the first that matches is named. A value above -(N T / 2) ln(2 pi), the largest log-likelihood possible with sigma = 1, is impossible. Without theta and pi the check cannot pass."),
        new("BIC formula",
            "The reported BIC equals (3K - 1) ln(N T) - 2 log L with the reported log L (LogL at the parameters when none is reported).",
            $"|reported - formula| <= tol max(1, |formula|) = {G(o.Tol)} max(1, |formula|).",
            "Names k = 3K or 2K free parameters, n = N or T, the opposite sign, log10, a missing factor 2, the AIC, or a BIC from LogL at the parameters instead of the reported log L."),
        new("reaches reference maximum",
            "LogL at the submission's own theta and pi against the reference maximum: the best of many EM starts for this K (tolerance 1e-10 on W).",
            $"LogL >= reference - ll-tol = reference - {G(o.LogLTol)} (--ll-tol, absolute: two optima can lie within a relative 1e-4 of each other). A log-likelihood without usable theta and pi cannot pass.",
            $"EM is run from the submission's parameters (one step, then to convergence). If it climbs by more than ll-tol = {G(o.LogLTol)}, the point is not an EM fixed point " +
            "(EM stopped early, or the E- or M-step is wrong; an M-step that never divides by the total weight sum_i w_ic is recognised and named). Only a point that EM leaves (nearly) unchanged is called a local optimum."),
        new("parameters match reference",
            "alpha, beta and pi against the reference fit after the best matching of segments (the permutation minimising sum_c (alpha_c - alpha'_c)^2 + (beta_c - beta'_c)^2).",
            $"max |difference| over alpha, beta and pi <= param-tol = {G(o.ParamTol)} (--param-tol).",
            "At the maximum log-likelihood, differing parameters mean a flat likelihood (an over-fitted K) or parameters not settled; parameters that are the total weight times the weighted least-squares estimates name the unnormalised M-step."),
        new("K chosen by BIC",
            "The K the submission states (selectedK or similar), or the K of its lowest reported BIC, against the K with the lowest reference BIC among the graded K.",
            "Equal K.",
            "A stated K that disagrees with the submission's own lowest BIC is named."),
    ];

    /// <summary>The findings, which are named but not scored.</summary>
    public static ImmutableArray<string> Findings { get; } =
    [
        "an empty segment: pi_c N < 1 (less than one store's weight);",
        $"equal segments: alpha and beta within {G(Grader.SameSegment)} of each other, grouped, with the number of distinct segments, once per K;",
        "a log-likelihood below the best (K-1)-segment fit (a K-segment model can always match it), or more than 1% below the reference maximum;",
        "a log-likelihood above the reference maximum (the reference missed an optimum: grade again with more --ref-starts);",
        "a stated K that is not the K of the submission's own lowest BIC.",
    ];

    /// <summary>The whole explanation as plain lines.</summary>
    public static IEnumerable<string> Lines(GradingOptions o, int refStarts)
    {
        yield return $"Each submission is checked per K (K = {string.Join(", ", o.Ks)} and any other K it reports), then once for the K chosen.";
        yield return "Score = passed checks / all checks x 100; every check weighs the same.";
        yield return $"The reference: for K = 1..max, the best of {refStarts} random starts (--ref-starts) plus split starts from the K-1 fit, EM to max |W_new - W_old| < 1e-10 with SQUAREM and Newton steps.";
        yield return "";
        var i = 1;
        foreach (var c in Checks(o))
        {
            yield return $"{i++}. {c.Name}";
            yield return $"   compares:   {c.Formula}";
            yield return $"   passes if:  {c.Tolerance}";
            yield return $"   on failure: {c.OnFailure}";
        }
        yield return "";
        yield return "Named but not scored (\"degenerate or suspicious\"):";
        foreach (var f in Findings) yield return $"  - {f}";
    }
}
