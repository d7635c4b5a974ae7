using LanguageExt;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Em;

/// <summary>
/// The mixing-weight model: how the prior class probabilities Pr[C_u = k] are fitted in the M-step and
/// used in the E-step. The EM core never computes weights itself; it calls this hook, as flexmix's driver
/// calls <c>concomitant@fit</c>. <see cref="ConstantWeights"/> (pi_k the same for every unit) is the
/// model of all three families today; a multinomial logit of concomitant variables is a second
/// implementation of the same four functions.
/// </summary>
public interface IWeightModel
{
    /// <summary>Short name for output ("constant").</summary>
    string Name { get; }

    /// <summary>Free parameters of the weights of a K-component mixture (K - 1 for constant weights).</summary>
    int FreeParameters(int K);

    /// <summary>The weights' M-step from the n x K responsibilities W, column-major in the first n K entries of
    /// <paramref name="W"/> (read only during the call).</summary>
    Fin<MixingWeights> Fit(double[] W, int n, int K);

    /// <summary>The M-step of <see cref="Fit(double[], int, int)"/> started from the weights of the mixture EM last moved to
    /// (<paramref name="current"/>, K components, or null): an iterative fit starts there, so that it never ends below the
    /// current weights' objective (a generalised EM step even where the maximum is at infinity).</summary>
    Fin<MixingWeights> Fit(double[] W, int n, int K, MixingWeights? current) => Fit(W, n, K);

    /// <summary>
    /// log Pr[C_u = k] for the E-step: an array of K values shared by every unit, or of n K values
    /// (column-major, unit u of component k at <c>k * n + u</c>) when the prior differs between units.
    /// </summary>
    double[] LogPrior(MixingWeights weights, int units);

    /// <summary>Number of coordinates of the weights (for acceleration).</summary>
    int VectorLength(int K);

    /// <summary>The weights as coordinates (see <see cref="VectorLength"/>).</summary>
    void ToVector(MixingWeights weights, Span<double> v);

    /// <summary>The weights at coordinates; fails when they are not valid weights.</summary>
    Fin<MixingWeights> FromVector(ReadOnlySpan<double> v);
}
