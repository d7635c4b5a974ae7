using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// Mixing weights pi_k shared by every unit, with the closed-form M-step pi_k = (1/n) sum_u W[u,k].
/// Coordinates for acceleration are eta_k = log pi_k, mapped back by the softmax
/// pi_k = exp(eta_k) / sum_j exp(eta_j), so an extrapolated point is always a valid weight vector.
/// </summary>
/// <remarks>flexmix's <c>FLXPconstant</c>; scikit-learn's <c>weights_ = nk / n</c>.</remarks>
public sealed class ConstantWeights : IWeightModel
{
    public static ConstantWeights Instance { get; } = new();

    private ConstantWeights() { }

    public string Name => "constant";

    public int FreeParameters(int K) => K - 1;

    public Fin<MixingWeights> Fit(Matrix<double> W) => MixingWeights.FromColumnMeans(W);

    public double[] LogPrior(MixingWeights weights, int units) => weights.LogPi();

    public int VectorLength(int K) => K;

    public void ToVector(MixingWeights weights, Span<double> v)
    {
        for (var k = 0; k < weights.K; k++) v[k] = Math.Log(weights.Pi[k]);
    }

    public Fin<MixingWeights> FromVector(ReadOnlySpan<double> v)
    {
        var max = double.NegativeInfinity;
        foreach (var e in v) max = Math.Max(max, e);
        if (!double.IsFinite(max)) return FinFail<MixingWeights>(new InvalidDataError("mixing-weight coordinates are not finite"));
        var pi = new double[v.Length];
        var s = 0.0;
        for (var k = 0; k < v.Length; k++) { pi[k] = Math.Exp(v[k] - max); s += pi[k]; }
        for (var k = 0; k < v.Length; k++) pi[k] /= s;
        return MixingWeights.Normalised(pi);
    }
}
