using System.Globalization;
using CsvHelper;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Shell.Output;

/// <summary>
/// Per-store posterior segment probabilities (<c>sales --assignments</c>, <c>predict</c> with a sales model):
/// <c>store,resp_1..resp_K,segment,probability</c>, one line per store (its column name in the sales file),
/// the segment the most probable one (1-based; the first on ties) and its probability.
/// </summary>
public static class SalesAssignmentsCsv
{
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static void Write(Stream stream, IReadOnlyList<string> stores, Matrix<double> W)
    {
        var K = W.ColumnCount;
        using var w = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        w.WriteHeader(["store", .. Enumerable.Range(1, K).Select(k => $"resp_{k}"), "segment", "probability"]);
        var row = new string[K + 3];
        for (var i = 0; i < W.RowCount; i++)
        {
            var best = 0;
            for (var k = 0; k < K; k++)
            {
                row[k + 1] = N(W[i, k]);
                if (W[i, k] > W[i, best]) best = k;
            }
            row[0] = stores[i];
            row[K + 1] = (best + 1).ToString(CultureInfo.InvariantCulture);
            row[K + 2] = N(W[i, best]);
            w.WriteRecord(row);
        }
        w.Flush();
    }
}
