using System.Collections.Immutable;

namespace Mixtures.Domain.Grading;

/// <summary>One kind of mistake the grader can name: a stable key, a short title for the class summary, and
/// what it most likely means in a student's code.</summary>
/// <param name="Cause">Stable key (in the grades CSV and the feedback files).</param>
/// <param name="Title">Short title ("log-likelihood over the first T stores only").</param>
/// <param name="Advice">For the student: what to look at in the code.</param>
public sealed record Mistake(string Cause, string Title, string Advice);

/// <summary>
/// The catalogue of mistakes behind every failed check and every finding. A check's or finding's
/// <c>Cause</c> is one of these keys; <see cref="Of"/> gives its title and advice.
/// </summary>
public static class Mistakes
{
    /// <summary>Key <c>not-reported</c>: a K is not reported.</summary>
    public const string NotReported = "not-reported";
    /// <summary>Key <c>pi-missing</c>: pi not reported.</summary>
    public const string PiMissing = "pi-missing";
    /// <summary>Key <c>pi-count</c>: pi has the wrong number of weights.</summary>
    public const string PiCount = "pi-count";
    /// <summary>Key <c>pi-negative</c>: a negative weight.</summary>
    public const string PiNegative = "pi-negative";
    /// <summary>Key <c>pi-sum</c>: pi does not sum to 1.</summary>
    public const string PiSum = "pi-sum";
    /// <summary>Key <c>logl-missing</c>: log-likelihood not reported.</summary>
    public const string LogLMissing = "logl-missing";
    /// <summary>Key <c>no-parameters</c>: theta or pi missing, so nothing can be verified.</summary>
    public const string NoParameters = "no-parameters";
    /// <summary>Key <c>logl-impossible</c>: an impossible log-likelihood.</summary>
    public const string LogLImpossible = "logl-impossible";
    /// <summary>Key <c>logl-missing-constant</c>: the normal constant left out.</summary>
    public const string LogLMissingConstant = "logl-missing-constant";
    /// <summary>Key <c>logl-wrong-sign</c>: the log-likelihood with the wrong sign.</summary>
    public const string LogLWrongSign = "logl-wrong-sign";
    /// <summary>Key <c>logl-first-t-stores</c>: log-likelihood over the first T stores only.</summary>
    public const string LogLFirstStores = "logl-first-t-stores";
    /// <summary>Key <c>logl-observation-level</c>: observation-level mixture instead of store-level.</summary>
    public const string LogLObservationLevel = "logl-observation-level";
    /// <summary>Key <c>logl-other</c>: log-likelihood not LogL at the reported parameters.</summary>
    public const string LogLOther = "logl-other";
    /// <summary>Key <c>bic-missing</c>: BIC not reported.</summary>
    public const string BicMissing = "bic-missing";
    /// <summary>Key <c>bic-formula</c>: a wrong BIC formula.</summary>
    public const string BicFormula = "bic-formula";
    /// <summary>Key <c>bic-own-logl</c>: BIC from another log-likelihood.</summary>
    public const string BicOwnLogL = "bic-own-logl";
    /// <summary>Key <c>bic-other</c>: BIC not from the formula.</summary>
    public const string BicOther = "bic-other";
    /// <summary>Key <c>not-em-fixed-point</c>: EM stopped before convergence (or a wrong E- or M-step).</summary>
    public const string NotFixedPoint = "not-em-fixed-point";
    /// <summary>Key <c>local-optimum</c>: a local optimum.</summary>
    public const string LocalOptimum = "local-optimum";
    /// <summary>Key <c>em-cannot-continue</c>: EM cannot continue from the reported parameters.</summary>
    public const string EmCannotContinue = "em-cannot-continue";
    /// <summary>Key <c>unnormalised-m-step</c>: the M-step never divides by the total weight.</summary>
    public const string UnnormalisedMStep = "unnormalised-m-step";
    /// <summary>Key <c>parameters-off</c>: parameters differ from the maximum.</summary>
    public const string ParametersOff = "parameters-off";
    /// <summary>Key <c>flat-or-unsettled</c>: parameters not settled at the maximum.</summary>
    public const string FlatOrUnsettled = "flat-or-unsettled";
    /// <summary>Key <c>no-k-chosen</c>: no K chosen.</summary>
    public const string NoKChosen = "no-k-chosen";
    /// <summary>Key <c>wrong-k</c>: another K than the reference's lowest BIC.</summary>
    public const string WrongK = "wrong-k";
    /// <summary>Key <c>empty-segment</c>: an empty segment.</summary>
    public const string EmptySegment = "empty-segment";
    /// <summary>Key <c>equal-segments</c>: equal segments (a smaller fit in disguise).</summary>
    public const string EqualSegments = "equal-segments";
    /// <summary>Key <c>below-previous-k</c>: below the best fit with one segment fewer.</summary>
    public const string BelowPreviousK = "below-previous-k";
    /// <summary>Key <c>far-below-maximum</c>: far below the maximum.</summary>
    public const string FarBelowMaximum = "far-below-maximum";
    /// <summary>Key <c>above-reference</c>: above the grader's reference.</summary>
    public const string AboveReference = "above-reference";
    /// <summary>Key <c>stated-k-disagrees</c>: the stated K disagrees with the own BIC.</summary>
    public const string StatedKDisagrees = "stated-k-disagrees";

    private static readonly ImmutableArray<Mistake> All =
    [
        new(NotReported, "a K is not reported", "The assignment asks for K = 2, 3 and 4; report theta, pi, the log-likelihood and the BIC for each."),
        new(PiMissing, "pi not reported", "Report the K mixing weights pi for each K."),
        new(PiCount, "pi has the wrong number of weights", "pi must have exactly K weights, one per segment, in the same order as theta."),
        new(PiNegative, "a negative weight", "Weights are averages of responsibilities, so they cannot be negative: check the M-step's pi = mean of W's columns."),
        new(PiSum, "pi does not sum to 1", "pi_k = (1/N) sum_i W[i,k] sums to 1 when every row of W sums to 1: check the E-step's normalisation and that pi divides by N (stores), not by N T."),
        new(LogLMissing, "log-likelihood not reported", "Report the log-likelihood LogL(theta, pi) of each fit."),
        new(NoParameters, "theta or pi missing, so nothing can be verified", "Without theta and pi no number can be checked against the data: report the estimated parameters with every log-likelihood."),
        new(LogLImpossible, "an impossible log-likelihood", "With sigma fixed at 1 every density is at most 1/sqrt(2 pi), so log L <= -(N T / 2) ln(2 pi). A value above that is not a log-likelihood: perhaps a negative log-likelihood (an optimiser's objective) or a sum of densities instead of log-densities."),
        new(LogLMissingConstant, "the normal constant left out", "log phi(e) = -0.5 ln(2 pi) - e^2 / 2: the -0.5 ln(2 pi) term is missing (scipy.stats.norm.logpdf includes it)."),
        new(LogLWrongSign, "the log-likelihood with the wrong sign", "The reported value is minus the log-likelihood (a negative log-likelihood, as optimisers minimise). Report log L itself."),
        new(LogLFirstStores, "log-likelihood over the first T stores only", "The log-likelihood sums over the first T stores only: the loop over stores runs to the number of weeks. y is T x N (weeks in rows, stores in columns); sum over all N stores."),
        new(LogLObservationLevel, "observation-level mixture instead of store-level", "The reported value is sum over stores and weeks of log sum_c pi_c phi(y_it - ...): each week's sale gets its own segment. In this model a store's whole history belongs to one segment: sum_i log sum_c pi_c prod_t phi(y_it - alpha_c - beta_c log p_t), i.e. sum the T log-densities of a store before the log-sum-exp over segments."),
        new(LogLOther, "log-likelihood not LogL at the reported parameters", "The reported log-likelihood is not LogL at the reported theta and pi: it was computed at other parameters (before the last M-step?) or with another formula. Compute it from the parameters you report."),
        new(BicMissing, "BIC not reported", "Report BIC = (3K - 1) ln(N T) - 2 log L for each K."),
        new(BicFormula, "a wrong BIC formula", "BIC = k ln(n) - 2 log L with k = 3K - 1 free parameters (2K coefficients and K - 1 free weights) and n = N T observations."),
        new(BicOwnLogL, "BIC from another log-likelihood", "The BIC was computed from LogL at the reported parameters, not from the reported log-likelihood: the two should be the same number."),
        new(BicOther, "BIC not from the formula", "The reported BIC does not follow (3K - 1) ln(N T) - 2 log L with the reported log-likelihood."),
        new(NotFixedPoint, "EM stopped before convergence (or a wrong E- or M-step)", "One more EM step from your own theta and pi raises the log-likelihood, so your parameters are not where EM stops: EM was stopped too early (tolerance too loose, too few iterations) or the E- or M-step differs from the spec. Run EM until max |W_new - W_old| < 1e-8 and check that the log-likelihood never decreases."),
        new(LocalOptimum, "a local optimum", "EM from your parameters stays where it is, but the maximum is higher: EM converged to a local optimum. Use more random starts and keep the best log-likelihood."),
        new(EmCannotContinue, "EM cannot continue from the reported parameters", "An EM step from your theta and pi fails (a segment gets no weight): the parameters cannot be where EM converged."),
        new(UnnormalisedMStep, "the M-step never divides by the total weight", "alpha and beta are the segment's total weight sum_i w_ik times the weighted least-squares estimates: the M-step uses sum_i w_ik y_it without dividing by sum_i w_ik. Solve (sum_i w_ik) X'X b = X' (y w_k)."),
        new(ParametersOff, "parameters differ from the maximum", "The estimates differ from the maximum-likelihood estimates beyond the tolerance: see the log-likelihood checks for why."),
        new(FlatOrUnsettled, "parameters not settled at the maximum", "The log-likelihood is at the maximum but the parameters differ: the likelihood is flat there (an over-fitted K) or EM stopped before the parameters settled. Tighten the stopping rule."),
        new(NoKChosen, "no K chosen", "State the K with the lowest BIC (or report the BIC for every K)."),
        new(WrongK, "another K than the reference's lowest BIC", "The K chosen is not the one with the lowest BIC at the maximum-likelihood fits. When it is the K of your own lowest BIC, the choice follows from your log-likelihoods and BIC values: fix those (see above) and it follows; otherwise choose the K whose BIC is lowest."),
        new(EmptySegment, "an empty segment", "A segment has less than one store's weight: EM started with too little weight on it, or it drained away. Restart from other starting values."),
        new(EqualSegments, "equal segments (a smaller fit in disguise)", "Two or more segments have the same alpha and beta, so the fit has fewer distinct segments than K. EM keeps equal segments equal: this happens when EM starts from identical starting values for some segments (or when segments merge). Start from random, different responsibilities, and keep the best of several starts."),
        new(BelowPreviousK, "below the best fit with one segment fewer", "A K-segment model contains every (K-1)-segment one, so its maximum cannot be lower: this fit is far from any optimum."),
        new(FarBelowMaximum, "far below the maximum", "The log-likelihood is more than 1% below the maximum."),
        new(AboveReference, "above the grader's reference", "Your log-likelihood is higher than the grader's reference maximum: the reference missed this optimum (the instructor can grade again with more --ref-starts)."),
        new(StatedKDisagrees, "the stated K disagrees with the own BIC", "The K you state is not the one with the lowest of your own BIC values."),
    ];

    private static readonly ImmutableDictionary<string, Mistake> ByCause = All.ToImmutableDictionary(m => m.Cause);

    /// <summary>Every mistake, in the catalogue's order.</summary>
    public static ImmutableArray<Mistake> Catalogue => All;

    /// <summary>The mistake with this key.</summary>
    public static Mistake Of(string cause) => ByCause.TryGetValue(cause, out var m) ? m : new Mistake(cause, cause, "");
}
