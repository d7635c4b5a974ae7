using System.Collections.Immutable;

namespace Mixtures.Domain.Grading;

/// <summary>The checks the grader makes.</summary>
public enum CheckKind
{
    /// <summary>pi has K non-negative entries summing to 1.</summary>
    PiSumsToOne,
    /// <summary>The reported log L equals LogL at the submission's own theta, pi.</summary>
    LogLikelihoodConsistent,
    /// <summary>The reported BIC equals k ln(N T) - 2 log L with k = 3K - 1 and the reported log L.</summary>
    BicFormula,
    /// <summary>log L at the submission's parameters reaches the reference maximum.</summary>
    ReachesMaximum,
    /// <summary>theta and pi equal the reference after matching segments.</summary>
    ParametersMatch,
    /// <summary>The K chosen by BIC equals the reference choice.</summary>
    SelectedK,
}

/// <summary>One check of one submission.</summary>
/// <param name="K">The K checked, or null for a check of the whole submission.</param>
/// <param name="Kind">Which check.</param>
/// <param name="Passed">Pass or fail.</param>
/// <param name="Value">The submission's number (reported or computed from its parameters), when there is one.</param>
/// <param name="Reference">The number it is compared with.</param>
/// <param name="Difference">The difference judged against <paramref name="Tolerance"/>.</param>
/// <param name="Tolerance">The largest difference that passes.</param>
/// <param name="Detail">The finding in plain words.</param>
/// <param name="Cause">For a failed check, the <see cref="Mistakes"/> key of its likely cause; null when it passed.</param>
public sealed record CheckResult(int? K, CheckKind Kind, bool Passed, double? Value, double? Reference, double? Difference, double? Tolerance, string Detail,
    string? Cause = null)
{
    /// <summary>Short name of the check for tables.</summary>
    public string Name => Kind switch
    {
        CheckKind.PiSumsToOne => "pi sums to 1",
        CheckKind.LogLikelihoodConsistent => "logL matches own parameters",
        CheckKind.BicFormula => "BIC formula",
        CheckKind.ReachesMaximum => "reaches reference maximum",
        CheckKind.ParametersMatch => "parameters match reference",
        CheckKind.SelectedK => "K chosen by BIC",
        _ => Kind.ToString(),
    };

    /// <summary>"K = 3: BIC formula" or the name alone.</summary>
    public string Label => K is { } k ? $"K = {k}: {Name}" : Name;
}

/// <summary>Something degenerate or suspicious about a fit, named in plain words.</summary>
/// <param name="K">The K it concerns, or null for the whole submission.</param>
/// <param name="Cause">Its <see cref="Mistakes"/> key.</param>
/// <param name="Text">The sentence (it starts with "K = k: " when it concerns one K).</param>
public sealed record Finding(int? K, string Cause, string Text)
{
    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>The grade of one submission.</summary>
/// <param name="Submission">Its name.</param>
/// <param name="Checks">Every check, per K in ascending K, then the K choice.</param>
/// <param name="Findings">Degenerate results named in plain words (empty segments, equal segments, far-off log-likelihoods).</param>
/// <param name="Problems">What could not be read.</param>
/// <param name="ChosenK">The K the submission chose (stated, or lowest reported BIC), if any.</param>
/// <param name="ReferenceK">The K with the lowest reference BIC among the graded K.</param>
public sealed record GradeReport(string Submission, ImmutableArray<CheckResult> Checks, ImmutableArray<Finding> Findings, ImmutableArray<string> Problems, int? ChosenK, int ReferenceK)
{
    /// <summary>Checks passed.</summary>
    public int Passed => Checks.Count(c => c.Passed);
    /// <summary>Checks made.</summary>
    public int Total => Checks.Length;

    /// <summary>Score in percent: passed checks / checks x 100, every check weighing the same.</summary>
    public double Score => Total == 0 ? 0 : Math.Round(100.0 * Passed / Total, 1);

    /// <summary>The failed checks' labels.</summary>
    public IEnumerable<string> Failed => Checks.Where(c => !c.Passed).Select(c => c.Label);

    /// <summary>The distinct mistakes named (failed checks' causes, then findings' causes), in first-seen order.</summary>
    public IEnumerable<string> Causes => Checks.Where(c => !c.Passed && c.Cause is not null).Select(c => c.Cause!)
        .Concat(Findings.Select(f => f.Cause)).Distinct();
}
