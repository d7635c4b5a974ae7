using LanguageExt;

namespace Mixtures.Domain.Em;

/// <summary>
/// A family whose weighted fit can use the current components: an iterative fit (weighted IRLS) starts from them
/// instead of from scratch, the same maximiser found in fewer iterations; a closed-form fit may use them as a numerical
/// reference (the Gaussian family sums its moments about the current means, in one sweep instead of two). The EM core
/// passes the components of the mixture it last moved to (optional: families without this interface, and the first
/// M-step of a start from responsibilities, are fitted by <see cref="IMixtureFamily{TData,TComponents}.Fit"/>).
/// </summary>
/// <remarks>flexmix's <c>FLXMRglm</c> passes <c>start = component$coef</c> to <c>glm.fit</c> in the same way.</remarks>
public interface IWarmStartFamily<TData, TComponents>
{
    /// <summary>The weighted fit of <see cref="IMixtureFamily{TData,TComponents}.Fit"/>, started from <paramref name="start"/>
    /// (K components); the result must not depend on the start beyond the fit's own convergence tolerance (a closed-form
    /// fit: beyond rounding).</summary>
    Fin<TComponents> Fit(TData data, double[] W, int K, TComponents start);
}
