using LanguageExt;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// Mixing weights pi_k shared by every unit, with the closed-form M-step pi_k = (1/n) sum_u W[u,k].
/// Coordinates for acceleration are the weights themselves: the M-step is linear in W, so EM's path is
/// nearly straight in them (in log pi it bends, and SQUAREM's extrapolations along flat ridges were rejected
/// twice as often: measured in bench/README.md); an extrapolated point with a weight &lt;= 0 is invalid.
/// </summary>
/// <remarks>flexmix's <c>FLXPconstant</c>; scikit-learn's <c>weights_ = nk / n</c>.</remarks>
public sealed class ConstantWeights : IWeightModel
{
    /// <summary>The one instance (the model has no settings).</summary>
    public static ConstantWeights Instance { get; } = new();

    private ConstantWeights() { }

    /// <inheritdoc/>
    public string Name => "constant";

    /// <inheritdoc/>
    public int FreeParameters(int K) => K - 1;

    /// <inheritdoc/>
    public Fin<MixingWeights> Fit(double[] W, int n, int K) => MixingWeights.FromColumnMeans(W, n, K);

    /// <inheritdoc/>
    public double[] LogPrior(MixingWeights weights, int units) => weights.LogPi();

    /// <inheritdoc/>
    public int VectorLength(int K) => K;

    /// <inheritdoc/>
    public void ToVector(MixingWeights weights, Span<double> v)
    {
        for (var k = 0; k < weights.K; k++) v[k] = weights.Pi[k];
    }

    /// <inheritdoc/>
    public Fin<MixingWeights> FromVector(ReadOnlySpan<double> v)
    {
        var s = 0.0;
        foreach (var p in v)
        {
            if (!(p > 0) || !double.IsFinite(p)) return FinFail<MixingWeights>(new InvalidDataError("an extrapolated mixing weight is not positive"));
            s += p;
        }
        var pi = new double[v.Length];
        for (var k = 0; k < v.Length; k++) pi[k] = v[k] / s;
        return MixingWeights.Normalised(pi);
    }
}
