namespace Mixtures.Domain.Comparison;

/// <summary>Accuracy of predictions e_i = y_i - yhat_i over m rows.</summary>
/// <param name="Rows">m.</param>
/// <param name="Mae">Mean absolute error (1/m) sum |e_i|.</param>
/// <param name="Rmse">Root mean squared error sqrt((1/m) sum e_i^2).</param>
/// <param name="R2">1 - sum e_i^2 / sum (y_i - ybar)^2 with ybar the mean of these rows; null when
/// the y of these rows are all equal (the ratio is undefined).</param>
public sealed record PredictionMetrics(int Rows, double Mae, double Rmse, double? R2)
{
    /// <summary>MAE, RMSE and R^2 of <paramref name="predicted"/> against <paramref name="actual"/> (at least one row).</summary>
    /// <remarks>scikit-learn's <c>mean_absolute_error</c>, <c>sqrt(mean_squared_error)</c> and <c>r2_score</c>
    /// (which returns 0 or 1 instead of null for constant y).</remarks>
    public static PredictionMetrics Of(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        if (actual.Count != predicted.Count) throw new ArgumentException($"{actual.Count} values but {predicted.Count} predictions");
        var m = actual.Count;
        if (m == 0) throw new ArgumentException("no rows to score");
        double abs = 0, sq = 0, mean = 0;
        for (var i = 0; i < m; i++) mean += actual[i];
        mean /= m;
        var tot = 0.0;
        var largest = 0.0;
        for (var i = 0; i < m; i++)
        {
            var e = actual[i] - predicted[i];
            abs += Math.Abs(e);
            sq += e * e;
            tot += (actual[i] - mean) * (actual[i] - mean);
            largest = Math.Max(largest, Math.Max(Math.Abs(e), Math.Abs(actual[i] - mean)));
        }
        var unit = Regression.RegressionData.UnitExponent(largest);
        if (unit != 0)
        {
            // errors near the limits of the double range: squares in units of a power of two (exact)
            sq = 0; tot = 0;
            for (var i = 0; i < m; i++)
            {
                var e = Math.ScaleB(actual[i] - predicted[i], -unit);
                var t = Math.ScaleB(actual[i] - mean, -unit);
                sq += e * e;
                tot += t * t;
            }
            return new PredictionMetrics(m, abs / m, Math.ScaleB(Math.Sqrt(sq / m), unit), tot > 0 ? 1 - sq / tot : null);
        }
        return new PredictionMetrics(m, abs / m, Math.Sqrt(sq / m), tot > 0 ? 1 - sq / tot : null);
    }
}
