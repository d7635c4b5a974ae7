using System.Collections.Immutable;

namespace Mixtures.Domain.Model;

/// <summary>A concomitant variable as read, one value per unit (before its treatment coding): numbers, or the levels of a
/// categorical one. The class profiles describe each class by these (<see cref="ConcomitantProfile"/>).</summary>
/// <param name="Name">The column name.</param>
public abstract record ConcomitantVariable(string Name)
{
    /// <summary>Units (values).</summary>
    public abstract int Units { get; }

    /// <summary>A numeric variable: z_u for every unit u.</summary>
    /// <param name="Name">The column name.</param>
    /// <param name="Values">z_u, u = 1..U.</param>
    public sealed record Numeric(string Name, ImmutableArray<double> Values) : ConcomitantVariable(Name)
    {
        /// <inheritdoc/>
        public override int Units => Values.Length;
    }

    /// <summary>A categorical variable: the level of every unit.</summary>
    /// <param name="Name">The column name.</param>
    /// <param name="Levels">The levels in coding order (the reference first unless chosen otherwise).</param>
    /// <param name="Codes">The 0-based index in <paramref name="Levels"/> of every unit's level.</param>
    public sealed record Categorical(string Name, ImmutableArray<string> Levels, ImmutableArray<int> Codes) : ConcomitantVariable(Name)
    {
        /// <inheritdoc/>
        public override int Units => Codes.Length;
    }
}

/// <summary>One row of the concomitant profile: a numeric variable's posterior-weighted mean per class, or one level's
/// posterior-weighted share per class.</summary>
/// <param name="Variable">The column name.</param>
/// <param name="Level">The level (null for a numeric variable).</param>
/// <param name="ByClass">Per class c (canonical order), sum_u W[u,c] v_u / sum_u W[u,c] with v_u the value, or 1 when unit u
/// has the level (NaN for a class with no weight).</param>
/// <param name="Overall">The same over all units (the unweighted mean or share).</param>
public sealed record ConcomitantMean(string Variable, string? Level, ImmutableArray<double> ByClass, double Overall)
{
    /// <summary>"z" for a numeric variable, "region = north" for a level.</summary>
    public string Label => Level is null ? Variable : $"{Variable} = {Level}";
}

/// <summary>The mean of each concomitant variable per class, weighted by the posterior class probabilities.</summary>
public static class ConcomitantProfile
{
    /// <summary>
    /// For every variable (a numeric one: one row; a categorical one: a row per level) and class c,
    /// m_c = sum_u W[u,c] v_u / sum_u W[u,c], where W is the U x K posterior (column-major in the first U K entries of
    /// <paramref name="W"/>) and v_u the value (or the indicator of the level). Soft weights, not the hard assignment: at the
    /// ML estimate of a concomitant model the M-step's moment condition sum_u (W[u,c] - p_uc) z_u = 0 holds, so these means
    /// are also the prior-weighted ones, sum_u p_uc v_u / sum_u p_uc, for every term of the model.
    /// </summary>
    /// <remarks>With observation weights o_u (<paramref name="unitWeights"/>) the means are weighted by them too:
    /// sum_u o_u W[u,c] z_u / sum_u o_u W[u,c], and the overall mean sum_u o_u z_u / sum_u o_u.</remarks>
    public static ImmutableArray<ConcomitantMean> Of(double[] W, int U, int K, IReadOnlyList<ConcomitantVariable> variables, ObservationWeights? unitWeights = null)
    {
        var ow = unitWeights?.Active;
        if (ow is not null)
        {
            var scaled = new double[U * K];
            for (var c = 0; c < K; c++)
            for (var u = 0; u < U; u++) scaled[c * U + u] = W[c * U + u] * ow[u];
            W = scaled;
        }
        var total = ow?.Sum() ?? U;
        var colSum = new double[K];
        for (var c = 0; c < K; c++)
        for (var u = 0; u < U; u++) colSum[c] += W[c * U + u];
        var rows = ImmutableArray.CreateBuilder<ConcomitantMean>();
        ImmutableArray<double> Means(Func<int, double> v, out double overall)
        {
            var m = new double[K];
            var all = 0.0;
            for (var u = 0; u < U; u++)
            {
                var x = v(u);
                all += (ow?[u] ?? 1.0) * x;
                if (x == 0) continue;
                for (var c = 0; c < K; c++) m[c] += W[c * U + u] * x;
            }
            overall = total > 0 ? all / total : double.NaN;
            for (var c = 0; c < K; c++) m[c] = colSum[c] > 0 ? m[c] / colSum[c] : double.NaN;
            return [.. m];
        }
        foreach (var variable in variables)
        {
            if (variable.Units != U) throw new ArgumentException($"concomitant {variable.Name} has {variable.Units} values for {U} units");
            switch (variable)
            {
                case ConcomitantVariable.Numeric num:
                    rows.Add(new ConcomitantMean(num.Name, null, Means(u => num.Values[u], out var o), o));
                    break;
                case ConcomitantVariable.Categorical cat:
                    for (var l = 0; l < cat.Levels.Length; l++)
                    {
                        var level = l;
                        rows.Add(new ConcomitantMean(cat.Name, cat.Levels[l], Means(u => cat.Codes[u] == level ? 1.0 : 0.0, out var s), s));
                    }
                    break;
            }
        }
        return rows.ToImmutable();
    }
}
