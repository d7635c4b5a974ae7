using System.Globalization;
using Mixtures.Domain.Simulate;

namespace Mixtures.Shell.Output;

/// <summary>Writes a simulated customer file: tenure_months,monthly_spend,orders,segment,ltv (shortest round-trip numbers).</summary>
public static class LifetimeValueCsvWriter
{
    public const string Header = "tenure_months,monthly_spend,orders,segment,ltv";

    public static void Write(Stream stream, LifetimeValueSample sample)
    {
        using var w = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        w.WriteHeader(Header.Split(','));
        for (var i = 0; i < sample.Rows; i++)
            w.WriteRecord([
                sample.Tenure[i].ToString("R", CultureInfo.InvariantCulture),
                sample.Spend[i].ToString("R", CultureInfo.InvariantCulture),
                sample.Orders[i].ToString(CultureInfo.InvariantCulture),
                LifetimeValueSimulator.Segments[sample.Segment[i]],
                sample.Ltv[i].ToString("R", CultureInfo.InvariantCulture)]);
        w.Flush();
    }
}
