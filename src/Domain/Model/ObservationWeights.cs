using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Model;

/// <summary>
/// Observation weights w_u &gt;= 0 of the units of a mixture (a row, a group with <c>--group</c>, a store), finite and
/// with a positive sum. The weighted incomplete-data log-likelihood is
///   log L = sum_u w_u log sum_k pi_uk f(y_u | k),
/// the E-step is unchanged, and the M-step is the family's and the weight model's fit from the responsibilities
/// W[u,k] w_u. For whole-number weights every quantity (log L, the estimates, the observed information and so the
/// standard errors, BIC) is that of the data with unit u repeated w_u times; a unit of weight 0 is left out (it still
/// gets a posterior). n in BIC is the sum of the weights over the observations (rows; a group's weight counts once per
/// row, a store's once per week), as flexmix's <c>nobs = sum(weights)</c>.
/// </summary>
/// <remarks>flexmix's <c>flexmix(..., weights = w)</c> (whole numbers only there); scikit-learn has no sample weights in
/// <c>GaussianMixture</c>; Stata's <c>fmm [fweight = w]</c> (frequency weights) and <c>[iweight = w]</c>.</remarks>
public sealed class ObservationWeights
{
    internal readonly double[] values;

    private ObservationWeights(double[] values)
    {
        this.values = values;
        var s = 0.0;
        var positive = 0;
        var ones = true;
        foreach (var w in values)
        {
            s += w;
            if (w > 0) positive++;
            if (w != 1.0) ones = false;
        }
        Sum = s;
        Positive = positive;
        AllOne = ones;
    }

    /// <summary>w_u, one per unit.</summary>
    public IReadOnlyList<double> Values => System.Array.AsReadOnly(values);

    /// <summary>Number of units.</summary>
    public int Count => values.Length;

    /// <summary>w_u of unit <paramref name="u"/>.</summary>
    public double this[int u] => values[u];

    /// <summary>sum_u w_u.</summary>
    public double Sum { get; }

    /// <summary>Units with a positive weight (the units the fit uses).</summary>
    public int Positive { get; }

    /// <summary>Whether every weight is exactly 1: the fit is then computed exactly as without weights (bit for bit).</summary>
    public bool AllOne { get; }

    /// <summary>The weights the computations use: null when every weight is 1 (the unweighted code path).</summary>
    internal double[]? Active => AllOne ? null : values;

    /// <summary>sum_u w_u n_u: the weighted number of observations when unit u has n_u of them (n in BIC).</summary>
    public double Observations(IReadOnlyList<int> unitRows)
    {
        if (unitRows.Count != values.Length) throw new ArgumentException($"{unitRows.Count} unit sizes for {values.Length} weights");
        var s = 0.0;
        for (var u = 0; u < values.Length; u++) s += values[u] * unitRows[u];
        return s;
    }

    /// <summary>The weights, every one checked: finite and &gt;= 0, with a positive sum. A bad value fails with a
    /// <see cref="RowValueError"/> naming the unit (0-based) and the column "weight"; all zero with an
    /// <see cref="InvalidDataError"/>.</summary>
    public static Fin<ObservationWeights> Of(IReadOnlyList<double> w)
    {
        if (w.Count == 0) return FinFail<ObservationWeights>(new InvalidDataError("no weights"));
        var a = new double[w.Count];
        for (var u = 0; u < a.Length; u++)
        {
            var v = w[u];
            if (Problem(v) is { } why) return FinFail<ObservationWeights>(new RowValueError(u, "weight", why));
            a[u] = v;
        }
        var result = new ObservationWeights(a);
        if (!(result.Sum > 0)) return FinFail<ObservationWeights>(new InvalidDataError("every weight is 0 (at least one must be positive)"));
        if (!double.IsFinite(result.Sum)) return FinFail<ObservationWeights>(new InvalidDataError("the weights sum beyond the range of doubles"));
        return result;
    }

    /// <summary>Why a weight is not allowed (not finite, or negative), or null when it is.</summary>
    public static string? Problem(double w) =>
        !double.IsFinite(w) ? $"{w.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is not a finite number; a weight is a number >= 0"
        : w < 0 ? $"{w.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is negative; a weight is a number >= 0"
        : null;

    /// <summary>The weights as an immutable array.</summary>
    public ImmutableArray<double> ToImmutableArray() => [.. values];
}
