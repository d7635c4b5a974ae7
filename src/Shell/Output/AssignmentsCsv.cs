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
        using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        var K = W.ColumnCount;
        w.Write("row,cluster,probability");
        for (var k = 1; k <= K; k++) w.Write($",p{k}");
        w.WriteLine();
        var a = W.AsColumnMajorArray() ?? W.ToColumnMajorArray();
        var n = W.RowCount;
        for (var i = 0; i < n; i++)
        {
            w.Write(lines[i].ToString(CultureInfo.InvariantCulture));
            w.Write(',');
            w.Write((labels[i] + 1).ToString(CultureInfo.InvariantCulture));
            w.Write(',');
            w.Write(a[labels[i] * n + i].ToString("R", CultureInfo.InvariantCulture));
            for (var k = 0; k < K; k++)
            {
                w.Write(',');
                w.Write(a[k * n + i].ToString("R", CultureInfo.InvariantCulture));
            }
            w.WriteLine();
        }
    }
}
