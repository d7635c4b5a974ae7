using System.Collections.Immutable;
using System.Globalization;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Grading;

/// <summary>
/// Grades a sales-model submission against the grader's own reference fits. Per K (the assignment's
/// K = 2, 3, 4 and any other K reported):
/// <list type="bullet">
/// <item>pi sums to 1: K non-negative weights with |sum - 1| &lt;= tol;</item>
/// <item>the reported log L equals LogL(theta, pi) at the submission's OWN parameters (tolerance tol max(1, |reference log L|));
/// when it does not, the quantities common bugs compute at those parameters are tried and the matching one named
/// (no normal constant, wrong sign, the first T stores only, the observation-level mixture, and their combinations);</item>
/// <item>the reported BIC equals (3K - 1) ln(N T) - 2 log L with the reported log L (relative tol); common wrong formulas are named;</item>
/// <item>log L at the submission's own parameters reaches the reference maximum (within the absolute log-likelihood
/// tolerance). A log-likelihood without usable parameters cannot pass. A failure is explained from EM run from the
/// submission's parameters: when EM climbs more than the tolerance from there, the point is not an EM fixed point
/// (stopped early, or a wrong E- or M-step); only a point EM leaves (nearly) unchanged is a local optimum;</item>
/// <item>alpha, beta, pi equal the reference within the parameter tolerance after the optimal matching of segments;</item>
/// </list>
/// and once: the K with the lowest BIC (stated, or the lowest reported BIC) equals the reference choice.
/// Degenerate results are named in plain words: a segment with less than one store's weight, groups of
/// segments with the same alpha and beta (within 1e-3; reported once per K with the number of distinct segments),
/// a log L above the largest possible value -(N T / 2) ln(2 pi), below the best (K-1)-segment fit (which
/// a K-segment model can always match) or more than 1% below the reference maximum.
/// Every failed check and finding carries a <see cref="Mistakes"/> key.
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
        var findings = ImmutableArray.CreateBuilder<Finding>();
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
                foreach (var kind in PerK) checks.Add(new CheckResult(K, kind, false, null, null, null, null, $"K = {K} is not reported", Mistakes.NotReported));
                continue;
            }
            var own = OwnLogL(m, y, X, out var why);
            var at = own is null ? null : new AtOwn(m, y, X);
            var consistency = ConsistencyCheck(m, own, why, at, reference, best, o);
            checks.Add(PiCheck(m, o));
            checks.Add(consistency);
            checks.Add(BicCheck(m, own, n, N, reference.Weeks, o));
            var maximum = MaximumCheck(m, own, why, at, best, reference.For(K - 1), n, consistency.Cause, o, findings);
            checks.Add(maximum);
            checks.Add(ParameterCheck(m, best, maximum.Passed, at, N, o));
            findings.AddRange(Degenerate(m, N));
        }
        var referenceK = graded.Count == 0 ? 0 : graded.MinBy(k => reference.For(k)!.Bic);
        var chosen = ChosenK(submission, findings);
        checks.Add(chosen is null
            ? new CheckResult(null, CheckKind.SelectedK, false, null, referenceK, null, null, "no K chosen (no BIC reported and no selected K stated)", Mistakes.NoKChosen)
            : new CheckResult(null, CheckKind.SelectedK, chosen == referenceK, chosen, referenceK, null, null,
                chosen == referenceK
                    ? $"K = {chosen} has the lowest BIC, as in the reference"
                    : $"chose K = {chosen} but the reference BIC is lowest at K = {referenceK}", chosen == referenceK ? null : Mistakes.WrongK));
        return new GradeReport(submission.Name, checks.ToImmutable(), findings.ToImmutable(), problems.ToImmutable(), chosen, referenceK);
    }

    private static readonly CheckKind[] PerK =
        [CheckKind.PiSumsToOne, CheckKind.LogLikelihoodConsistent, CheckKind.BicFormula, CheckKind.ReachesMaximum, CheckKind.ParametersMatch];

    private static string G(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
    private static string G3(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
    private static string G6(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>What is computed at a submission's own (usable) parameters, each at most once.</summary>
    private sealed class AtOwn(SubmittedModel m, Matrix<double> y, Matrix<double> X)
    {
        public Theta Theta { get; } = m.Theta!;
        public MixingWeights Pi { get; } = MixingWeights.Normalised(m.Pi!.Value);
        private readonly Lazy<Fin<EmProbe>> probe = new(() => Diagnostics.Probe(m.Theta!, MixingWeights.Normalised(m.Pi!.Value), y, X));
        private readonly Lazy<double[]?> factors = new(() => Diagnostics.UnnormalisedFactors(m.Theta!, MixingWeights.Normalised(m.Pi!.Value), y, X));

        /// <summary>EM from the submission's parameters (<see cref="Diagnostics.Probe"/>).</summary>
        public Fin<EmProbe> Probe => probe.Value;

        /// <summary>The unnormalised M-step's factors (<see cref="Diagnostics.UnnormalisedFactors"/>), or null.</summary>
        public double[]? Unnormalised => factors.Value;

        public double FirstStores(int stores) => Diagnostics.LogLFirstStores(Theta, Pi, y, X, stores);
        public double ObservationLevel() => Diagnostics.ObservationLevelLogL(Theta, Pi, y, X);
    }

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
        if (m.Pi is not { } pi) return new(m.K, kind, false, null, 1, null, o.Tol, "pi is not reported", Mistakes.PiMissing);
        if (pi.Length != m.K) return new(m.K, kind, false, null, 1, null, o.Tol, $"pi has {pi.Length} weight(s) for K = {m.K}", Mistakes.PiCount);
        if (pi.Any(p => p < 0)) return new(m.K, kind, false, pi.Sum(), 1, null, o.Tol, "pi has a negative weight", Mistakes.PiNegative);
        var sum = pi.Sum();
        var d = Math.Abs(sum - 1);
        return new(m.K, kind, d <= o.Tol, sum, 1, d, o.Tol, d <= o.Tol ? "sum(pi) = 1" : $"the weights sum to {G(sum)}, not 1", d <= o.Tol ? null : Mistakes.PiSum);
    }

    /// <summary>"; it is above the largest possible log-likelihood ...: impossible" when the reported value exceeds the bound.</summary>
    private static string Impossible(double reported, int n, double? referenceMax = null, double tol = 0) =>
        reported > Diagnostics.LogLUpperBound(n)
            ? $"; the reported {G(reported)} is impossible: with sigma = 1 every log-likelihood is at most -(N T / 2) ln(2 pi) = {G(Diagnostics.LogLUpperBound(n))}" +
              (referenceMax is { } r && Math.Abs(reported + r) <= tol ? " (it is minus the reference maximum: a negative log-likelihood?)" : "")
            : "";

    private static CheckResult ConsistencyCheck(SubmittedModel m, double? own, string why, AtOwn? at, GradingReference reference, SalesEstimate best,
        GradingOptions o)
    {
        var kind = CheckKind.LogLikelihoodConsistent;
        var n = reference.Observations;
        if (m.LogLikelihood is not { } rep) return new(m.K, kind, false, null, own, null, null, "the log-likelihood is not reported", Mistakes.LogLMissing);
        var impossible = rep > Diagnostics.LogLUpperBound(n);
        // the tolerance scales with the reference maximum, not with the submission's own (possibly absurd) value
        var tol = o.Tol * Math.Max(1, Math.Abs(best.LogLikelihood));
        if (own is not { } L || at is null)
            return new(m.K, kind, false, rep, null, null, tol, $"cannot evaluate LogL at the submission's parameters: {why}{Impossible(rep, n, best.LogLikelihood, tol)}",
                impossible ? Mistakes.LogLImpossible : Mistakes.NoParameters);
        var d = Math.Abs(rep - L);
        if (d <= tol) return new(m.K, kind, true, rep, L, d, tol, "the reported log-likelihood is LogL at the reported theta, pi");
        var match = Alternatives(L, at, reference).FirstOrDefault(a => Math.Abs(rep - a.Value()) <= tol);
        return match.Text is not null
            ? new(m.K, kind, false, rep, L, d, tol, match.Text, match.Cause)
            : new(m.K, kind, false, rep, L, d, tol,
                $"the reported log-likelihood differs by {G3(rep - L)} from LogL at the reported theta, pi (computed at other parameters, or with another formula){Impossible(rep, n)}",
                impossible ? Mistakes.LogLImpossible : Mistakes.LogLOther);
    }

    /// <summary>
    /// What common bugs report instead of LogL at the submission's parameters, most common first: the spec's
    /// sum over stores, over the first T stores only, or the observation-level mixture; each as is, without the
    /// normal constant, or with the sign flipped (the spec itself as is is LogL).
    /// </summary>
    private static IEnumerable<(Func<double> Value, string Cause, string Text)> Alternatives(double L, AtOwn at, GradingReference reference)
    {
        var N = reference.Stores;
        var T = reference.Weeks;
        var ln2pi = Math.Log(2 * Math.PI);
        var bases = new List<(Func<double> Value, int Observations, string Cause, string What)>
        {
            (() => L, N * T, "", "LogL"),
        };
        if (T < N)
            bases.Add((Once(() => at.FirstStores(T)), T * T, Mistakes.LogLFirstStores,
                $"LogL summed over the first T = {T} stores only (of N = {N}): the loop over stores stops at the number of weeks (y taken as N x T instead of T x N)"));
        bases.Add((Once(at.ObservationLevel), N * T, Mistakes.LogLObservationLevel,
            "the observation-level mixture sum_i sum_t log sum_c pi_c phi(y_it - alpha_c - beta_c log p_t), which gives every week its own segment, " +
            "not the store-level sum_i log sum_c pi_c prod_t phi(y_it - alpha_c - beta_c log p_t)"));
        foreach (var b in bases)
        {
            var constant = 0.5 * b.Observations * ln2pi;
            var isSpec = b.Cause.Length == 0;
            if (!isSpec) yield return (b.Value, b.Cause, $"the reported value is {b.What}");
            yield return (() => b.Value() + constant, isSpec ? Mistakes.LogLMissingConstant : b.Cause,
                isSpec ? $"the reported value leaves out the constant -(N T / 2) log(2 pi) = {G(-0.5 * N * T * ln2pi)} of the normal density"
                       : $"the reported value is {b.What}, and without the normal constant -(n / 2) log(2 pi)");
            yield return (() => -b.Value(), isSpec ? Mistakes.LogLWrongSign : b.Cause,
                isSpec ? "the reported value has the wrong sign (a negative log-likelihood?)" : $"the reported value is minus {b.What}");
            yield return (() => -(b.Value() + constant), isSpec ? Mistakes.LogLWrongSign : b.Cause,
                isSpec ? "the reported value has the wrong sign and leaves out the normal constant -(N T / 2) log(2 pi)"
                       : $"the reported value is minus {b.What}, without the normal constant");
        }
    }

    /// <summary>f, evaluated at most once (an alternative is computed only if the ones before it did not match).</summary>
    private static Func<double> Once(Func<double> f)
    {
        var value = new Lazy<double>(f);
        return () => value.Value;
    }

    private static CheckResult BicCheck(SubmittedModel m, double? own, int n, int N, int T, GradingOptions o)
    {
        var kind = CheckKind.BicFormula;
        var K = m.K;
        var k = SalesModel.FreeParameters(K);
        if (m.Bic is not { } bic) return new(K, kind, false, null, null, null, null, "the BIC is not reported", Mistakes.BicMissing);
        if ((m.LogLikelihood ?? own) is not { } L) return new(K, kind, false, bic, null, null, null, "no log-likelihood to check the BIC against", Mistakes.LogLMissing);
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
        if (match.Why is not null) return new(K, kind, false, bic, expected, d, tol, $"the reported BIC {match.Why}", Mistakes.BicFormula);
        if (own is { } Lo && m.LogLikelihood is not null && Math.Abs(bic - Selection.Bic(Lo, k, n)) <= tol)
            return new(K, kind, false, bic, expected, d, tol, "the BIC uses LogL at the reported parameters, not the reported log-likelihood", Mistakes.BicOwnLogL);
        return new(K, kind, false, bic, expected, d, tol, $"the reported BIC differs by {G3(bic - expected)} from (3K - 1) ln(N T) - 2 logL = {G(expected)}", Mistakes.BicOther);
    }

    private static CheckResult MaximumCheck(SubmittedModel m, double? own, string why, AtOwn? at, SalesEstimate best, SalesEstimate? previous, int n, string? consistencyCause, GradingOptions o,
        ImmutableArray<Finding>.Builder findings)
    {
        var kind = CheckKind.ReachesMaximum;
        var K = m.K;
        var Lref = best.LogLikelihood;
        var tol = o.LogLTol;
        if (own is not { } Ls || at is null)
        {
            // a reported number alone proves nothing: the check cannot pass without the parameters
            if (m.LogLikelihood is not { } rep) return new(K, kind, false, null, Lref, null, tol, $"no log-likelihood to compare, and {why}", Mistakes.NoParameters);
            var impossible = rep > Diagnostics.LogLUpperBound(n);
            return new(K, kind, false, rep, Lref, null, tol,
                $"cannot be verified: {why}, so the reported log-likelihood cannot be recomputed{Impossible(rep, n)}",
                impossible ? Mistakes.LogLImpossible : Mistakes.NoParameters);
        }
        var shortfall = Lref - Ls;
        if (shortfall < -tol)
            findings.Add(new Finding(K, Mistakes.AboveReference,
                $"K = {K}: the log-likelihood {G(Ls)} at the submission's parameters is above the reference maximum {G(Lref)}: the reference missed this optimum (grade again with more --ref-starts)"));
        if (previous is not null && Ls < previous.LogLikelihood - tol)
            findings.Add(new Finding(K, Mistakes.BelowPreviousK,
                $"K = {K}: the log-likelihood {G(Ls)} is below even the best K = {K - 1} fit ({G(previous.LogLikelihood)}); a {K}-segment model can always match a {K - 1}-segment one, so this cannot be the K = {K} maximum"));
        else if (shortfall > 0.01 * Math.Abs(Lref))
            findings.Add(new Finding(K, Mistakes.FarBelowMaximum, $"K = {K}: the log-likelihood is {G3(shortfall)} below the reference maximum, far from the optimum"));
        if (shortfall <= tol)
            return new(K, kind, true, Ls, Lref, Math.Max(0, shortfall), tol, "reaches the reference maximum");
        if (at.Unnormalised is not null)
            return new(K, kind, false, Ls, Lref, shortfall, tol,
                $"{G3(shortfall)} below the reference maximum: the parameters come from an M-step that never divides by the segment's total weight (see the parameter check), so they are not where EM stops",
                Mistakes.UnnormalisedMStep);
        if (!at.Probe.TryGet(out var p, out var error))
            return new(K, kind, false, Ls, Lref, shortfall, tol,
                $"{G3(shortfall)} below the reference maximum, and an EM step from the reported theta, pi fails ({error.Message}): EM cannot have stopped there",
                Mistakes.EmCannotContinue);
        if (p.TotalRise > tol)
        {
            var end = Lref - p.Continued <= tol ? "the reference maximum" : $"{G3(Lref - p.Continued)} below the reference maximum";
            var cause = consistencyCause == Mistakes.LogLObservationLevel
                ? "EM stopped before converging, or the E- or M-step is wrong (the reported log-likelihood is the observation-level mixture's, so the E-step probably gives every observation its own segment)"
                : "EM stopped before converging, or the E- or M-step is wrong";
            return new(K, kind, false, Ls, Lref, shortfall, tol,
                $"{G3(shortfall)} below the reference maximum and not an EM fixed point: one EM step from the reported theta, pi raises log L by {G3(p.StepRise)} " +
                $"(EM continued from them gains {G3(p.TotalRise)} and stops at {end}): {cause}",
                Mistakes.NotFixedPoint);
        }
        var equal = Diagnostics.EqualGroups(at.Theta, SameSegment);
        if (equal.Length > 0)
            return new(K, kind, false, Ls, Lref, shortfall, tol,
                $"stuck {G3(shortfall)} below the reference maximum at a point EM does not leave (it gains {G3(Math.Max(0, p.TotalRise))}): segments {string.Join("; ", equal.Select(ListOf))} are equal, " +
                $"and EM keeps equal segments equal, so this is a {at.Theta.K - equal.Sum(g => g.Length - 1)}-segment fit in disguise, not a local optimum of K = {K} segments",
                Mistakes.EqualSegments);
        return new(K, kind, false, Ls, Lref, shortfall, tol,
            $"stuck at a local optimum {G3(shortfall)} below the reference maximum: EM from the reported theta, pi stays there (it gains {G3(Math.Max(0, p.TotalRise))})",
            Mistakes.LocalOptimum);
    }

    private static CheckResult ParameterCheck(SubmittedModel m, SalesEstimate best, bool atMaximum, AtOwn? at, int N, GradingOptions o)
    {
        var kind = CheckKind.ParametersMatch;
        var K = m.K;
        if (m.Theta is null || m.Theta.K != K)
            return new(K, kind, false, null, null, null, o.ParamTol, m.Theta is null ? "theta is not reported" : $"theta has {m.Theta.K} segment(s) for K = {K}", Mistakes.NoParameters);
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
        if (ok) return new(K, kind, true, null, null, worst, o.ParamTol, $"{matching}largest difference {G3(worst)}");
        var detail = $"{matching}largest difference {G3(worst)} in {where}{piNote}";
        if (at?.Unnormalised is { } f)
        {
            var c = Enumerable.Range(0, K).MaxBy(c => f[c]);
            return new(K, kind, false, null, null, worst, o.ParamTol,
                $"{detail}; alpha and beta of segment {c + 1} are {G6(f[c])} times the weighted least-squares estimates at the submission's own responsibilities, " +
                $"and {G6(f[c])} is that segment's total weight sum_i w_i{c + 1} (N = {N}" +
                (Math.Abs(f[c] - N) <= 1e-6 * N ? ": every store is in that segment, so these are N times the pooled least-squares intercept and slope" : "") +
                "): the M-step never divides by the total weight",
                Mistakes.UnnormalisedMStep);
        }
        if (atMaximum && pi is not null)
            return new(K, kind, false, null, null, worst, o.ParamTol,
                $"{detail}; the log-likelihood is at the maximum, so the likelihood is flat there (an over-fitted K) or EM stopped before the parameters settled", Mistakes.FlatOrUnsettled);
        return new(K, kind, false, null, null, worst, o.ParamTol, detail, pi is null ? Mistakes.PiCount : Mistakes.ParametersOff);
    }

    private static IEnumerable<Finding> Degenerate(SubmittedModel m, int N)
    {
        if (m.Pi is { } pi && pi.Length == m.K)
            for (var c = 0; c < m.K; c++)
                if (pi[c] * N < 1)
                    yield return new Finding(m.K, Mistakes.EmptySegment, $"K = {m.K}: segment {c + 1} has weight {G3(pi[c])}, less than one store of {N}: an empty segment");
        if (m.Theta is { } t)
        {
            // a group of segments that are all empty is named by the empty-segment finding, not as equal segments
            var empty = m.Pi is { } w && w.Length == m.K ? Enumerable.Range(0, m.K).Select(c => w[c] * N < 1).ToArray() : new bool[m.K];
            var groups = Diagnostics.EqualGroups(t, SameSegment).Where(g => !g.All(c => empty[c])).ToImmutableArray();
            if (groups.Length == 0) yield break;
            var distinct = t.K - groups.Sum(g => g.Length - 1);
            static string List(ImmutableArray<int> g) => ListOf(g);
            string Part(ImmutableArray<int> g) => $"{List(g)} (alpha = {G3(t.Segments[g[0]].Alpha)}, beta = {G3(t.Segments[g[0]].Beta)})";
            var first = groups[0];
            var text = $"K = {m.K}: segments {List(first)} are the same (alpha = {G3(t.Segments[first[0]].Alpha)}, beta = {G3(t.Segments[first[0]].Beta)})" +
                       string.Concat(groups.Skip(1).Select(g => $", and so are segments {Part(g)}"));
            yield return new Finding(m.K, Mistakes.EqualSegments,
                $"{text}: this is a {distinct}-segment fit in disguise");
        }
    }

    /// <summary>"1 and 2", "1, 3 and 4" (1-based).</summary>
    private static string ListOf(ImmutableArray<int> g) =>
        g.Length == 2 ? $"{g[0] + 1} and {g[1] + 1}" : $"{string.Join(", ", g.Take(g.Length - 1).Select(c => c + 1))} and {g[^1] + 1}";

    private static int? ChosenK(Submission s, ImmutableArray<Finding>.Builder findings)
    {
        var withBic = s.Models.Where(m => m.Bic is { } b && double.IsFinite(b)).ToList();
        int? lowest = withBic.Count == 0 ? null : withBic.MinBy(m => m.Bic!.Value)!.K;
        if (s.StatedK is { } stated && lowest is { } l && stated != l)
            findings.Add(new Finding(null, Mistakes.StatedKDisagrees, $"the submission states K = {stated} but its own BIC is lowest at K = {l}"));
        return s.StatedK ?? lowest;
    }
}
