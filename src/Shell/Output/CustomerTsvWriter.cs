using System.Globalization;
using Mixtures.Domain.Simulate;

namespace Mixtures.Shell.Output;

/// <summary>Writes simulated customers as a tab-separated file with a header (a missing income is an empty cell).</summary>
public static class CustomerTsvWriter
{
    public static void Write(Stream stream, CustomerSample sample)
    {
        using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        w.WriteLine(string.Join('\t', new[] { "ID", "Year_Birth", "Income", "Kidhome", "Recency" }.Concat(sample.Categories)));
        foreach (var c in sample.Customers)
        {
            w.Write(c.Id.ToString(CultureInfo.InvariantCulture)); w.Write('\t');
            w.Write(c.YearBirth.ToString(CultureInfo.InvariantCulture)); w.Write('\t');
            if (c.Income is { } inc) w.Write(inc.ToString("0", CultureInfo.InvariantCulture));
            w.Write('\t');
            w.Write(c.Kidhome.ToString(CultureInfo.InvariantCulture)); w.Write('\t');
            w.Write(c.Recency.ToString(CultureInfo.InvariantCulture));
            foreach (var v in c.Spending) { w.Write('\t'); w.Write(v.ToString(CultureInfo.InvariantCulture)); }
            w.WriteLine();
        }
    }
}
