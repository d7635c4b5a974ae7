using System.Text.Json.Serialization;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Data;

namespace Mixtures.Shell.Output;

/// <summary>
/// JSON printed by <c>mixtures spec</c>: the function, the data it ran on, the inputs it used and
/// its result, every double in shortest round-trip form (parsing the text gives the same bits).
/// Segments are [alpha, beta] pairs; W has one row per store (in data-file column order).
/// </summary>
public sealed record SpecOutput(
    string Function,
    SpecData Data,
    SpecInputsEcho Inputs,
    [property: JsonPropertyName("K")] int K,
    double[][]? Theta = null,
    double[]? Pi = null,
    [property: JsonPropertyName("logL")] double? LogL = null,
    [property: JsonPropertyName("W")] double[][]? W = null,
    int? Iterations = null,
    bool? Converged = null,
    double[]? Trace = null,
    int? FreeParameters = null,
    int? Observations = null,
    double? Bic = null,
    int? StartsAtBest = null,
    IReadOnlyList<SalesResultsStart>? Starts = null,
    string? Note = null)
{
    public static double[][] Pairs(Theta t) => t.Segments.Select(s => new[] { s.Alpha, s.Beta }).ToArray();
    public static double[][] Rows(Matrix<double> W) => Enumerable.Range(0, W.RowCount).Select(i => W.Row(i).ToArray()).ToArray();
}

/// <summary>The data file a spec function ran on.</summary>
public sealed record SpecData(string File, int Stores, int Weeks)
{
    public static SpecData From(SalesInput input) => new(Path.GetFileName(input.File), input.Stores, input.Weeks);
}

/// <summary>What was given to the function (null when not used).</summary>
public sealed record SpecInputsEcho(
    double[][]? Theta = null, double[]? Pi = null, string? Weights = null, int? Starts = null, ulong? Seed = null,
    double? Tol = null, int? MaxIterations = null, string? Start = null, string? Algorithm = null);
