using System.Globalization;
using Mixtures.Domain.Model;

namespace Mixtures.Shell.Output;

/// <summary>The observation weights of a fit in model.json / results.json: the column, the number of units, their sum,
/// n in BIC (the sum over the observations) and how weights relate to replication.</summary>
/// <param name="Column">The weights column (of the data file, or of the <c>--stores</c> file for <c>sales</c>).</param>
/// <param name="Units">Units weighted (rows, groups or stores).</param>
/// <param name="ZeroWeight">Units of weight 0 (left out of the fit).</param>
/// <param name="Sum">sum_u w_u.</param>
/// <param name="BicN">n in BIC: the sum of the weights over the observations (rows; a group's weight on each of its rows,
/// a store's on each week).</param>
/// <param name="Meaning">What the weights do, in words.</param>
public sealed record ObservationWeightsJson(string Column, int Units, int ZeroWeight, double Sum, double BicN, string Meaning)
{
    /// <summary>The sentence of <see cref="Meaning"/>.</summary>
    public const string Rule = "log L = sum_u w_u log f(y_u); whole-number weights give exactly the fit of the data with every unit repeated w_u times; n in BIC = sum of the weights over the observations (flexmix: nobs = sum(weights))";

    /// <summary>The record of a weighted fit, or null without <c>--weights</c>.</summary>
    public static ObservationWeightsJson? Of<TC>(string? column, ObservationWeights? weights, Mixtures.Domain.Model.EstimationPath<TC> path) =>
        column is null || weights is null ? null
            : new(column, weights.Count, weights.Count - weights.Positive, weights.Sum, path.SampleSize, Rule);

    /// <summary>The record of a weighted sales fit (n in BIC = T sum_i w_i), or null without weights.</summary>
    public static ObservationWeightsJson? Of(string? column, ObservationWeights? weights, int weeks) =>
        column is null || weights is null ? null
            : new(column, weights.Count, weights.Count - weights.Positive, weights.Sum, weeks * weights.Sum, Rule);

    /// <summary>"n = 390 = sum of the weights (w) over 200 rows" or, without weights, "n = 200 rows".</summary>
    public static string SampleSizeText(int rows, double? weightedN, string? column, string unit = "rows") =>
        weightedN is { } n
            ? $"n = {Number(n)} = sum of the weights{(column is null ? "" : $" ({column})")} over {rows} {unit}"
            : $"n = {rows} {unit}";

    /// <summary>A number in short invariant form.</summary>
    public static string Number(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
