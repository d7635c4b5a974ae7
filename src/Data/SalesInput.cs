using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Data;

/// <summary>A validated sales file: T weekly prices and the T x N log sales.</summary>
/// <param name="File">The path as given.</param>
/// <param name="StoreNames">Column names after Price.</param>
/// <param name="Prices">p_t, all positive and finite, not all equal.</param>
/// <param name="LogSales">y[t,i] = log S_it (T x N).</param>
public sealed record SalesInput(string File, ImmutableArray<string> StoreNames, ImmutableArray<double> Prices, Matrix<double> LogSales)
{
    /// <summary>T, the number of weeks.</summary>
    public int Weeks => Prices.Length;
    /// <summary>N, the number of stores.</summary>
    public int Stores => StoreNames.Length;

    /// <summary>The file as the data of <see cref="Mixtures.Domain.SalesModel.Fit(Mixtures.Domain.Fits.SalesPanel, IEnumerable{int}?, Mixtures.Domain.Fits.SalesSettings?)"/>
    /// (the same log sales, not recomputed).</summary>
    public Mixtures.Domain.Fits.SalesPanel Panel => new(LogSales, Prices);
}
