using System.Globalization;
using Mixtures.Domain.Simulate;

namespace Mixtures.Shell.Output;

/// <summary>Writes a simulated customer file: tenure_months,monthly_spend,orders,segment,ltv (shortest round-trip numbers).</summary>
public static class LifetimeValueCsvWriter
{
    public const string Header = "tenure_months,monthly_spend,orders,segment,ltv";

    public static void Write(Stream stream, LifetimeValueSample sample)
    {
        using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
        w.WriteLine(Header);
        for (var i = 0; i < sample.Rows; i++)
            w.WriteLine(string.Join(",",
                sample.Tenure[i].ToString("R", CultureInfo.InvariantCulture),
                sample.Spend[i].ToString("R", CultureInfo.InvariantCulture),
                sample.Orders[i].ToString(CultureInfo.InvariantCulture),
                LifetimeValueSimulator.Segments[sample.Segment[i]],
                sample.Ltv[i].ToString("R", CultureInfo.InvariantCulture)));
    }
}
