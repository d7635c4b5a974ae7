using Mixtures.Domain.Em;
using Mixtures.Domain.Model;

namespace Mixtures.Shell.Output.Plots;

/// <summary>Information criteria of the fit with K components (null where K has no admissible fit).</summary>
/// <param name="K">Number of components.</param>
/// <param name="Bic">BIC of the K's best fit.</param>
/// <param name="Aic">AIC of the K's best fit.</param>
/// <param name="Icl">ICL of the K's best fit, given only when ICL chooses K (drawn as a third series).</param>
/// <param name="Degenerate">Whether the best fit has problems (e.g. a collapsed component).</param>
/// <param name="Excluded">Whether those problems exclude the K from the choice of K.</param>
public sealed record CriterionPoint(int K, double? Bic, double? Aic, double? Icl = null, bool Degenerate = false, bool Excluded = false)
{
    /// <summary>The point of one K of an estimation path: its criteria (ICL only when <paramref name="criterion"/> is ICL)
    /// and whether the fit rule found it degenerate.</summary>
    public static CriterionPoint Of<TComponents>(KEstimate<TComponents> f, SelectionCriterion criterion = SelectionCriterion.Bic) =>
        new(f.K, f.Estimate?.Bic, f.Estimate?.Aic, criterion == SelectionCriterion.Icl ? f.Estimate?.Icl : null, f.HasProblems, f.Excluded);
}
