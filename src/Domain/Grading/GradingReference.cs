using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Grading;

/// <summary>
/// The grader's own estimates on a data file: the best of many EM starts at a tight tolerance for
/// K = 1..MaxK, against which submissions are compared.
/// </summary>
/// <param name="Stores">N.</param>
/// <param name="Weeks">T.</param>
/// <param name="Fits">The best fit per K.</param>
/// <param name="Starts">Random starts per K (split starts from the K-1 fit come on top).</param>
/// <param name="Seed">Master seed of the starts.</param>
/// <param name="Options">EM stopping rule used.</param>
public sealed record GradingReference(int Stores, int Weeks, ImmutableSortedDictionary<int, SalesEstimate> Fits, int Starts, ulong Seed, EmOptions Options)
{
    /// <summary>Default random starts per K.</summary>
    public const int DefaultStarts = 20;

    /// <summary>Default stopping rule: max |W_new - W_old| &lt; 1e-10, at most 10000 steps, with SQUAREM and
    /// Newton steps (so flat likelihoods above the true K converge too).</summary>
    public static EmOptions DefaultOptions { get; } = SalesModel.EstimationOptions with { Tolerance = 1e-10, MaxIterations = 10_000 };

    /// <summary>n = N T, the observations in BIC.</summary>
    public int Observations => Stores * Weeks;

    /// <summary>The reference fit for K, or null when K was not estimated.</summary>
    public SalesEstimate? For(int K) => Fits.TryGetValue(K, out var e) ? e : null;

    /// <summary>
    /// Estimates K = 1..maxK (each K gets split starts from the best K-1 fit and <paramref name="starts"/> seeded
    /// random starts of every kind, all run to convergence: no screening), with <see cref="SalesModel.EstimatePath(IEnumerable{int}, MathNet.Numerics.LinearAlgebra.Matrix{double}, MathNet.Numerics.LinearAlgebra.Matrix{double}, Em.EstimationSettings)"/>.
    /// </summary>
    /// <remarks>R: <c>stepFlexmix(..., k = 1:maxK, nrep = starts)</c> with a tight <c>tolerance</c>.</remarks>
    public static Fin<GradingReference> Compute(Matrix<double> y, Matrix<double> X, int maxK, int starts = DefaultStarts, ulong seed = 1, EmOptions? options = null)
    {
        var o = options ?? DefaultOptions;
        var ks = Enumerable.Range(1, Math.Max(1, Math.Min(maxK, y.ColumnCount))).ToArray();
        var path = SalesModel.EstimatePath(ks, y, X, new Em.EstimationSettings(new Em.StartPlan(starts), seed, o));
        if (path.Fits.FirstOrDefault(f => !f.Ok) is { } failed) return failed.Error!;
        var fits = path.Fits.Select(f => SalesModel.ToSalesEstimate(f, y, X)).ToImmutableSortedDictionary(e => e.K, e => e);
        return new GradingReference(y.ColumnCount, y.RowCount, fits, starts, seed, o);
    }
}
