using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// The steps an accelerated run is made of, on its caller's buffers: the M-step (family fit and weight model, with
/// the minimum-prior rule), the E-step in log space into a buffer, and the parameter coordinates. It counts the
/// M-steps; one instance belongs to one run and its thread.
/// </summary>
internal sealed class EmSteps<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, int n, int K, EmOptions options, StartInfo start)
{
    private readonly int fam = family.VectorLength(data, K);
    private readonly double[]? unitWeights = EmLoop.ActiveWeights(family, data);

    /// <summary>The family's fused sweep when it has one for this run: an E-step keeps the sums of the M-step that
    /// follows it on the same buffer (the runs never write a buffer between the two but through an E-step).</summary>
    private readonly FusedSweep<TD, TC>? fused = FusedSweep<TD, TC>.For(family, weights, data, n, K);

    /// <summary>The n of the per-unit log-likelihood stop rule: sum_u w_u (n without observation weights).</summary>
    public double EffectiveUnits { get; } = EmLoop.EffectiveUnits(family, data);

    /// <summary>M-steps (EM map evaluations) and Newton steps so far.</summary>
    public int Evals { get; set; }

    /// <summary>Length of the coordinate vector: the family's and the weights'.</summary>
    public int Length { get; } = family.VectorLength(data, K) + weights.VectorLength(K);

    /// <summary>The minimum-prior failure of a mixture, or null.</summary>
    public SmallPriorError? SmallPrior(Mixture<TC> mix)
    {
        if (options.MinPrior > 0)
            for (var k = 0; k < K; k++)
                if (mix.Weights.Pi[k] < options.MinPrior)
                    return new SmallPriorError(k + 1, mix.Weights.Pi[k], options.MinPrior);
        return null;
    }

    /// <summary>An M-step from the column-major responsibilities <paramref name="w"/>, failing below the minimum prior.</summary>
    public Fin<Mixture<TC>> M(double[] w)
    {
        var m = MUnchecked(w);
        return m.TryGet(out var mix, out _) && SmallPrior(mix) is { } small ? FinFail<Mixture<TC>>(small) : m;
    }

    /// <summary>An M-step without the minimum-prior check (the caller makes it once it knows whether the run moves there).</summary>
    public Fin<Mixture<TC>> MUnchecked(double[] w)
    {
        Evals++;
        var m = fused?.M(w, last) ?? EmLoop.MStep(family, weights, data, w, n, K, last);
        if (m.TryGet(out var next, out _)) last = next;
        return m;
    }

    /// <summary>The mixture last moved to or evaluated: the start of an iterative family fit (<see cref="IWarmStartFamily{TData,TComponents}"/>).</summary>
    private Mixture<TC>? last;

    /// <summary>The E-step at <paramref name="m"/> into <paramref name="dest"/> (log-densities written there first);
    /// with <paramref name="prev"/> also the largest change of W against it. Without <paramref name="needW"/> (and
    /// without <paramref name="prev"/>) a fused family that can leaves <paramref name="dest"/> unwritten
    /// (<see cref="FusedSweep{TD,TC}.E"/>): only for a run whose every M-step reads the buffer of the E-step just before
    /// it and that reads W nowhere else (the single buffer of the log-likelihood rule).</summary>
    public double E(Mixture<TC> m, double[] dest, double[]? prev, out double delta, bool needW = true)
    {
        last = m;
        if (fused is not null) return fused.E(m, dest, prev, out delta, needW);
        family.LogDensities(data, m.Components, dest);
        return EmLoop.EStepInto(dest, weights.LogPrior(m.Weights, n), n, K, dest, prev, out delta, unitWeights);
    }

    /// <summary>The mixture's coordinates into <paramref name="v"/> (length <see cref="Length"/>).</summary>
    public void ToVector(Mixture<TC> m, double[] v)
    {
        family.ToVector(data, m.Components, v.AsSpan(0, fam));
        weights.ToVector(m.Weights, v.AsSpan(fam));
    }

    /// <summary>The mixture at coordinates <paramref name="v"/>, or the reason it is not a valid parameter.</summary>
    public Fin<Mixture<TC>> FromVector(double[] v) =>
        from c in family.FromVector(data, v.AsSpan(0, fam), K)
        from w in weights.FromVector(v.AsSpan(fam))
        select new Mixture<TC>(c, w);

    /// <summary>The log-likelihood, or an exception (a bug) when it is NaN.</summary>
    public double Checked(double ll) => double.IsNaN(ll)
        ? throw new InvalidOperationException($"log-likelihood is NaN after {Evals} EM steps ({start})")
        : ll;
}
