using System.Globalization;
using Mixtures.Domain.Simulate;

namespace Mixtures.Shell.Output;

/// <summary>Writes simulated customers as a tab-separated file with a header (a missing income is an empty cell).</summary>
public static class CustomerTsvWriter
{
    public static void Write(Stream stream, CustomerSample sample)
    {
        using var w = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions { NewLine = "\n", Separator = '\t' }, leaveOpen: true);
        w.WriteHeader([.. new[] { "ID", "Year_Birth", "Income", "Kidhome", "Recency" }.Concat(sample.Categories)]);
        var row = new string[5 + sample.Categories.Count()];
        foreach (var c in sample.Customers)
        {
            row[0] = c.Id.ToString(CultureInfo.InvariantCulture);
            row[1] = c.YearBirth.ToString(CultureInfo.InvariantCulture);
            row[2] = c.Income is { } inc ? inc.ToString("0", CultureInfo.InvariantCulture) : "";
            row[3] = c.Kidhome.ToString(CultureInfo.InvariantCulture);
            row[4] = c.Recency.ToString(CultureInfo.InvariantCulture);
            var j = 5;
            foreach (var v in c.Spending) row[j++] = v.ToString(CultureInfo.InvariantCulture);
            w.WriteRecord(row);
        }
        w.Flush();
    }
}
