namespace Mixtures.Domain.Em;

/// <summary>The criterion choosing K (every one "lower is better").</summary>
public enum SelectionCriterion
{
    /// <summary>BIC = -2 log L + k ln n.</summary>
    Bic,
    /// <summary>AIC = -2 log L + 2k.</summary>
    Aic,
    /// <summary>ICL = BIC - 2 sum_u log max_k W[u,k].</summary>
    Icl,
}
