using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Simulate;
using Mixtures.Data;

namespace Mixtures.Shell.Output;

/// <summary>CSV outputs of the regression commands (comma-separated, header, invariant culture).</summary>
public static class RegressionCsvWriters
{
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A field quoted when it holds a comma, quote or line break (RFC 4180).</summary>
    public static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static StreamWriter Writer(Stream s) => new(s, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };

    /// <summary>
    /// --assignments: one line per unit. Rows: <c>row</c> (the file line, header = 1); groups: the group
    /// label and its row count. Then resp_1..resp_K, the most likely class and its probability.
    /// </summary>
    public static void Assignments(Stream stream, RegressionInput input, Matrix<double> W)
    {
        using var w = Writer(stream);
        var K = W.ColumnCount;
        var grouped = input.GroupIds is not null;
        var rowsOf = new int[input.Units];
        if (grouped) foreach (var g in input.GroupIds!.Value) rowsOf[g]++;
        w.Write(grouped ? Field(input.Columns.Group!) + ",rows" : "row");
        for (var k = 1; k <= K; k++) w.Write($",resp_{k}");
        w.WriteLine(",class,probability");
        for (var u = 0; u < W.RowCount; u++)
        {
            w.Write(grouped ? Field(input.GroupLabels[u]) + "," + rowsOf[u].ToString(CultureInfo.InvariantCulture)
                            : input.Table.Lines[u].ToString(CultureInfo.InvariantCulture));
            var best = 0;
            for (var k = 0; k < K; k++)
            {
                w.Write(',');
                w.Write(N(W[u, k]));
                if (W[u, k] > W[u, best]) best = k;
            }
            w.WriteLine($",{best + 1},{N(W[u, best])}");
        }
    }

    /// <summary>A simulated data set: y, x1..xm, [group], true_class (1-based).</summary>
    public static void Sample(Stream stream, RegressionSample sample)
    {
        using var w = Writer(stream);
        var m = sample.Covariates.ColumnCount;
        var grouped = sample.Groups.Length > 0;
        w.Write("y");
        for (var j = 1; j <= m; j++) w.Write($",x{j}");
        w.WriteLine(grouped ? ",group,true_class" : ",true_class");
        for (var i = 0; i < sample.Rows; i++)
        {
            w.Write(N(sample.Y[i]));
            for (var j = 0; j < m; j++) { w.Write(','); w.Write(N(sample.Covariates[i, j])); }
            if (grouped) w.Write("," + sample.Groups[i].ToString(CultureInfo.InvariantCulture));
            w.WriteLine("," + (sample.Classes[i] + 1).ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A simulated GLM mixture: y, x1..xm, [trials], [group], true_class (1-based).</summary>
    public static void Sample(Stream stream, GlmSample sample)
    {
        using var w = Writer(stream);
        var m = sample.Covariates.ColumnCount;
        var grouped = sample.Groups.Length > 0;
        var trials = sample.Trials.Length > 0;
        w.Write("y");
        for (var j = 1; j <= m; j++) w.Write($",x{j}");
        if (trials) w.Write(",trials");
        w.WriteLine(grouped ? ",group,true_class" : ",true_class");
        for (var i = 0; i < sample.Rows; i++)
        {
            w.Write(N(sample.Y[i]));
            for (var j = 0; j < m; j++) { w.Write(','); w.Write(N(sample.Covariates[i, j])); }
            if (trials) w.Write("," + N(sample.Trials[i]));
            if (grouped) w.Write("," + sample.Groups[i].ToString(CultureInfo.InvariantCulture));
            w.WriteLine("," + (sample.Classes[i] + 1).ToString(CultureInfo.InvariantCulture));
        }
    }
}
