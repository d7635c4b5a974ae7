namespace Mixtures.Domain.Model;

/// <summary>Which change the EM loop compares with the tolerance.</summary>
public enum StopRule
{
    /// <summary>Stop when max_{i,k} |W_t[i,k] - W_{t-1}[i,k]| &lt; tol (the sales-model spec's rule; the default).</summary>
    WeightChange,
    /// <summary>
    /// Stop when |log L_t - log L_{t-1}| / n &lt; tol, n the number of units: the change of the mean
    /// log-likelihood per unit, which is scikit-learn's <c>GaussianMixture(tol=...)</c> rule. The loop
    /// then keeps a single n x K buffer (log-densities and responsibilities share it).
    /// </summary>
    LogLikelihoodChange,
}
