using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Shell.Input;

/// <summary>A validated sales file: T weekly prices and the T x N log sales.</summary>
/// <param name="File">The path as given.</param>
/// <param name="StoreNames">Column names after Price.</param>
/// <param name="Prices">p_t, all positive and finite, not all equal.</param>
/// <param name="LogSales">y[t,i] = log S_it (T x N).</param>
public sealed record SalesInput(string File, ImmutableArray<string> StoreNames, ImmutableArray<double> Prices, Matrix<double> LogSales)
{
    public int Weeks => Prices.Length;
    public int Stores => StoreNames.Length;
}
