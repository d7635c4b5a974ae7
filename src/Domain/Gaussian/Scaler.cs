using System.Collections.Immutable;
using LanguageExt;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Gaussian;

/// <summary>
/// Standardisation z_ij = (x_ij - m_j) / s_j with the column mean m_j and the population standard
/// deviation s_j = sqrt(sum_i (x_ij - m_j)^2 / n) (ddof = 0).
/// </summary>
/// <remarks>scikit-learn's <c>StandardScaler</c> (which silently uses s_j = 1 for a constant column;
/// here a constant column is rejected before any fit). R's <c>scale()</c> divides by n - 1 instead.</remarks>
/// <param name="Mean">m_j per column.</param>
/// <param name="Scale">s_j per column (positive).</param>
public sealed record Scaler(ImmutableArray<double> Mean, ImmutableArray<double> Scale)
{
    /// <summary>Mean and population standard deviation of every column (two passes, no cancellation; columns
    /// near the limits of the double range in units of a power of two, see <see cref="GaussianData.UnitExponent"/>).
    /// Fails for a constant column, naming it.</summary>
    public static Fin<Scaler> Fit(GaussianData data)
    {
        var n = data.N;
        var mean = new double[data.D];
        var scale = new double[data.D];
        for (var j = 0; j < data.D; j++)
        {
            var col = new ReadOnlySpan<double>(data.x, j * n, n);
            var (m, s) = GaussianData.MeanAndSd(col, data.UnitExponent[j], sumFirst: false);
            if (!(s > 0)) return FinFail<Scaler>(new InvalidDataError($"column {data.Columns[j]} is constant ({col[0]} in every row) and cannot be standardized"));
            mean[j] = m;
            scale[j] = s;
        }
        return new Scaler(mean.ToImmutableArray(), scale.ToImmutableArray());
    }

    /// <summary>z_ij = (x_ij - m_j) / s_j (the data were fitted with this scaler, so every z is finite).</summary>
    public GaussianData Transform(GaussianData data) => TryTransform(data).Value();

    /// <summary>
    /// z_ij = (x_ij - m_j) / s_j; where x_ij - m_j overflows, in units of s_j's power of two (exact).
    /// Fails, naming the first row (0-based) and column, when a z is beyond the double range (a row
    /// astronomically far from the data the scaler was fitted on).
    /// </summary>
    public Fin<GaussianData> TryTransform(GaussianData data)
    {
        if (data.D != Mean.Length) throw new ArgumentException($"the scaler has {Mean.Length} columns, the data {data.D}");
        var n = data.N;
        var z = new double[data.x.Length];
        for (var j = 0; j < data.D; j++)
        {
            var m = Mean[j];
            var s = Scale[j];
            var e = Math.ILogB(s);
            for (var i = 0; i < n; i++)
            {
                var x = data.x[j * n + i];
                var v = (x - m) / s;
                if (!double.IsFinite(v)) v = (Math.ScaleB(x, -e) - Math.ScaleB(m, -e)) / Math.ScaleB(s, -e);
                if (!double.IsFinite(v))
                    return FinFail<GaussianData>(new RowValueError(i, data.Columns[j],
                        $"{x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is too far from the scaler's mean " +
                        $"{m.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} for its scale {s.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}: the standardized value overflows"));
                z[j * n + i] = v;
            }
        }
        return GaussianData.FromColumnMajor(n, data.D, z, data.Columns).Map(t => t.WithWeights(data.Weights));
    }

    /// <summary>A mean in original units: m_j + s_j z_j.</summary>
    public double[] MeanToOriginal(IReadOnlyList<double> z) => z.Select((v, j) => Mean[j] + Scale[j] * v).ToArray();

    /// <summary>A covariance in original units: D Sigma D with D = diag(s).</summary>
    public MathNet.Numerics.LinearAlgebra.Matrix<double> CovarianceToOriginal(MathNet.Numerics.LinearAlgebra.Matrix<double> sigma) =>
        MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(sigma.RowCount, sigma.ColumnCount, (a, b) => Scale[a] * sigma[a, b] * Scale[b]);
}
