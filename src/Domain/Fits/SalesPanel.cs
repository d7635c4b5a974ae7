using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Fits;

/// <summary>
/// The data of the sales model: N stores observed over the same T weeks at weekly prices p_t. Made from unit sales with
/// a row per store (<see cref="Of(double[,], double[])"/>, the shape of the other families' data), it holds what the
/// spec functions of <see cref="SalesModel"/> take: the log sales y (T x N, y[t,i] = log S_it) and, from the prices,
/// the design X = [1, log p_t] (<see cref="Design"/>).
/// </summary>
/// <param name="LogSales">y[t,i] = log S_it (T x N), all finite.</param>
/// <param name="Prices">p_t, positive, not all equal.</param>
public sealed record SalesPanel(Matrix<double> LogSales, ImmutableArray<double> Prices)
{
    /// <summary>N, the stores.</summary>
    public int Stores => LogSales.ColumnCount;

    /// <summary>T, the weeks.</summary>
    public int Weeks => Prices.Length;

    /// <summary>S_it = exp(y[t,i]), a row per store (N x T).</summary>
    public Matrix<double> Sales => Matrix<double>.Build.Dense(Stores, Weeks, (i, t) => Math.Exp(LogSales[t, i]));

    /// <summary>X = [1, log p_t] (T x 2), as the spec functions take it.</summary>
    public Matrix<double> Design => SalesModel.Design(Prices);

    /// <summary>A panel from a rectangular array of unit sales (a row per store, a column per week) and the weekly prices;
    /// fails, naming the store and week (1-based), when a sales value is not positive and finite, or when a price is not,
    /// or all prices are equal.</summary>
    public static Fin<SalesPanel> Of(double[,] sales, double[] prices) => Of(PlainArrays.ToMatrix(sales), prices);

    /// <summary>A panel from jagged unit sales (one inner array per store); see the rectangular overload.</summary>
    public static Fin<SalesPanel> Of(double[][] sales, double[] prices) => PlainArrays.ToMatrix(sales).Bind(S => Of(S, prices));

    /// <summary>A panel from an N x T matrix of unit sales; see the rectangular overload.</summary>
    public static Fin<SalesPanel> Of(Matrix<double> sales, IReadOnlyList<double> prices)
    {
        if (sales.ColumnCount != prices.Count)
            return FinFail<SalesPanel>(new InvalidDataError($"the sales have {sales.ColumnCount} weeks (columns) but there are {prices.Count} prices"));
        for (var i = 0; i < sales.RowCount; i++)
        for (var t = 0; t < sales.ColumnCount; t++)
            if (!(sales[i, t] > 0) || !double.IsFinite(sales[i, t]))
                return FinFail<SalesPanel>(new InvalidDataError($"store {i + 1}, week {t + 1}: the sales {sales[i, t]} are not a positive finite number (the model is on log sales)"));
        return FromLogSales(Matrix<double>.Build.Dense(sales.ColumnCount, sales.RowCount, (t, i) => Math.Log(sales[i, t])), prices);
    }

    /// <summary>A panel from the spec's log sales y (T x N) and the prices; fails when a value is not finite or the prices
    /// are not usable.</summary>
    public static Fin<SalesPanel> FromLogSales(Matrix<double> y, IReadOnlyList<double> prices)
    {
        if (y.RowCount != prices.Count)
            return FinFail<SalesPanel>(new InvalidDataError($"the log sales have {y.RowCount} weeks (rows) but there are {prices.Count} prices"));
        if (prices.Count < 3) return FinFail<SalesPanel>(new InvalidDataError($"{prices.Count} week(s): the model needs at least 3"));
        for (var t = 0; t < prices.Count; t++)
            if (!(prices[t] > 0) || !double.IsFinite(prices[t]))
                return FinFail<SalesPanel>(new InvalidDataError($"week {t + 1}: the price {prices[t]} is not a positive finite number"));
        if (prices.All(p => p == prices[0])) return FinFail<SalesPanel>(new InvalidDataError("every week has the same price, so price elasticities cannot be estimated"));
        for (var t = 0; t < y.RowCount; t++)
        for (var i = 0; i < y.ColumnCount; i++)
            if (!double.IsFinite(y[t, i]))
                return FinFail<SalesPanel>(new InvalidDataError($"store {i + 1}, week {t + 1}: the log sales {y[t, i]} are not finite"));
        return new SalesPanel(y.Clone(), [.. prices]);
    }
}

/// <summary>How <see cref="SalesModel.Fit(SalesPanel, IEnumerable{int}?, SalesSettings?)"/> searches: the defaults are those of
/// <c>mixtures sales</c> and of <see cref="SalesModel.Estimate"/>.</summary>
/// <param name="Starts">Random starts per K (the split starts of the K - 1 fit come on top).</param>
/// <param name="Seed">Master seed; start r of K uses the seed derived from (Seed, K, r).</param>
/// <param name="Options">The EM options of every run; null: <see cref="SalesModel.EstimationOptions"/>.</param>
/// <param name="Criterion">The criterion choosing K among the fitted ones (lower is better).</param>
public sealed record SalesSettings(int Starts = SalesModel.DefaultStarts, ulong Seed = 1, EmOptions? Options = null,
    SelectionCriterion Criterion = SelectionCriterion.Bic)
{
    /// <summary>Every default.</summary>
    public static SalesSettings Default { get; } = new();

    /// <summary>The start plan, seed and EM options of the estimation pipeline.</summary>
    public EstimationSettings Estimation => new(SalesModel.Plan(Starts), Seed, Options ?? SalesModel.EstimationOptions);
}
