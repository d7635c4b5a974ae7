using LanguageExt;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// The E-steps and M-steps of one EM run through a family's fused sweep (<see cref="IFusedFamily{TData,TComponents}"/>):
/// <see cref="E"/> writes W into the run's buffer (or, asked not to and where the family can, leaves it to be made on
/// demand: <see cref="IFusedWithoutW{TData,TComponents}"/>) and keeps the sums of the next M-step; <see cref="M"/> on that same
/// buffer fits from the sums instead of reading W again (the mixing weights from W's column sums when the sweep takes them,
/// else from W). Results equal
/// the unfused steps bit for bit. The caller must not write the buffer between the two calls (the run's loops only
/// write a buffer through an E-step). One instance belongs to one run and its thread.
/// </summary>
internal sealed class FusedSweep<TD, TC>
{
    private readonly IFusedFamily<TD, TC> family;
    private readonly IWeightModel weights;
    private readonly TD data;
    private readonly int n;
    private readonly int K;
    private readonly double[] statistics;
    private readonly double[]? columnSums; // W's column sums, when the family's sweep takes them (IFusedColumnSums)
    private double[]? owner; // the buffer holding the W that the statistics were summed from
    private TC? ownerComponents; // the components of the E-step that wrote it
    private double[]? ownerLogPi; // and its log weights: to make W on demand
    private bool written = true; // whether owner holds that W (false after an E-step without W, until it is made)
    private readonly IMixtureFamily<TD, TC> mixtureFamily;

    private FusedSweep(IMixtureFamily<TD, TC> mixtureFamily, IFusedFamily<TD, TC> family, IWeightModel weights, TD data, int n, int K, int length)
    {
        this.mixtureFamily = mixtureFamily;
        this.family = family; this.weights = weights; this.data = data; this.n = n; this.K = K;
        statistics = new double[length];
        if (family is IFusedColumnSums<TD, TC>) columnSums = new double[K];
    }

    /// <summary>The fused steps of a run, or null when the run takes the unfused path: the family has no fused sweep
    /// for these data, the units have observation weights, or the mixing weights are not constant.</summary>
    public static FusedSweep<TD, TC>? For(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, int n, int K) =>
        family is IFusedFamily<TD, TC> fused && weights is ConstantWeights
        && EmLoop.ActiveWeights(family, data) is null && fused.FusedStatistics(data, K) is > 0 and var length
            ? new FusedSweep<TD, TC>(family, fused, weights, data, n, K, length)
            : null;

    /// <summary>Whether <see cref="E"/> takes <c>prev</c> the same buffer as <c>dest</c> (<see cref="IFusedFamily{TData,TComponents}.FusedInPlace"/>).</summary>
    public bool OverPrevious => family.FusedInPlace(data, K);

    /// <summary>The E-step at <paramref name="m"/> into <paramref name="dest"/> with max |W - prev| (0 without
    /// <paramref name="prev"/>); returns log L. Without <paramref name="needW"/> (and without <paramref name="prev"/>) a
    /// family that can (<see cref="IFusedWithoutW{TData,TComponents}"/>) leaves <paramref name="dest"/> unwritten: the next
    /// <see cref="M"/> on it then makes W there only if the fit reads it, and otherwise the buffer keeps what it held (the
    /// caller reads no W from it).</summary>
    public double E(Mixture<TC> m, double[] dest, double[]? prev, out double delta, bool needW = true)
    {
        owner = null;
        ownerComponents = default;
        ownerLogPi = null;
        var logPi = weights.LogPrior(m.Weights, n);
        double ll;
        if (!needW && prev is null && family is IFusedWithoutW<TD, TC> without && without.SweepsWithoutW(data, K))
        {
            ll = without.FusedStepWithoutW(data, m.Components, logPi, n, K, dest, statistics, columnSums!);
            delta = 0.0;
            written = false;
        }
        else
        {
            ll = columnSums is not null
                ? ((IFusedColumnSums<TD, TC>)family).FusedStep(data, m.Components, logPi, n, K, dest, prev, out delta, statistics, columnSums)
                : family.FusedStep(data, m.Components, logPi, n, K, dest, prev, out delta, statistics);
            written = true;
        }
        owner = dest;
        ownerComponents = m.Components;
        ownerLogPi = logPi;
        return ll;
    }

    /// <summary>The last E-step's W in its buffer: made now (log-densities, then the E-step in place) when that E-step left
    /// it unwritten, the same numbers as the sweep's (the fused contract).</summary>
    private double[] Written()
    {
        var w = owner!;
        if (written) return w;
        mixtureFamily.LogDensities(data, ownerComponents!, w);
        EmLoop.EStepInto(w, ownerLogPi!, n, K, w);
        written = true;
        return w;
    }

    /// <summary>The M-step from the responsibilities in <paramref name="w"/> when they are the last <see cref="E"/>'s;
    /// null otherwise (the caller takes the unfused M-step, on a buffer that then holds its W: made first when the last
    /// E-step left it unwritten). For a family whose fit starts from the current mixture
    /// (<see cref="IWarmStartFamily{TData,TComponents}"/>: the Gaussian family centres its sums at the current means),
    /// also only when <paramref name="current"/> is the mixture that E-step was at, as the sweep's sums are centred there.</summary>
    public Fin<Mixture<TC>>? M(double[] w, Mixture<TC>? current)
    {
        if (!ReferenceEquals(w, owner)) return null;
        if (family is IWarmStartFamily<TD, TC> && (current is null || !ReferenceEquals(current.Components, ownerComponents)))
        {
            // the caller reads W from this buffer: it must hold the E-step's
            Written();
            return null;
        }
        // the constant weights' fit (FusedSweep.For takes no other weight model) from the sweep's column sums: the same numbers
        var fit = family is IFusedWithoutW<TD, TC> without ? without.FitStatistics(data, statistics, K, Written) : family.FitStatistics(data, statistics, K, w);
        return from c in fit
               from pi in columnSums is not null ? FinSucc(MixingWeights.FromColumnSums(columnSums, n)) : weights.Fit(Written(), n, K)
               select new Mixture<TC>(c, pi);
    }
}
