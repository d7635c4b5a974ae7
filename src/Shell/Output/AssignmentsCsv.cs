using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Shell.Output;

/// <summary>
/// Per-row assignments: <c>row,cluster,probability,p1,...,pK</c>, where row is the line of the input
/// file (the header is line 1), cluster the 1-based most probable component, probability its posterior
/// probability, and p1..pK all posterior probabilities (shortest round-trip formatting).
/// </summary>
public static class AssignmentsCsv
{
    public static void Write(Stream stream, IReadOnlyList<int> lines, IReadOnlyList<int> labels, Matrix<double> W)
    {
        using var w = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        var K = W.ColumnCount;
        w.WriteHeader(["row", "cluster", "probability", .. Enumerable.Range(1, K).Select(k => $"p{k}")]);
        var a = W.AsColumnMajorArray() ?? W.ToColumnMajorArray();
        var n = W.RowCount;
        var row = new string[K + 3];
        for (var i = 0; i < n; i++)
        {
            row[0] = lines[i].ToString(CultureInfo.InvariantCulture);
            row[1] = (labels[i] + 1).ToString(CultureInfo.InvariantCulture);
            row[2] = a[labels[i] * n + i].ToString("R", CultureInfo.InvariantCulture);
            for (var k = 0; k < K; k++) row[k + 3] = a[k * n + i].ToString("R", CultureInfo.InvariantCulture);
            w.WriteRecord(row);
        }
        w.Flush();
    }
}
