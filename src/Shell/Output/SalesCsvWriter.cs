using System.Globalization;
using Mixtures.Domain.Simulate;

namespace Mixtures.Shell.Output;

/// <summary>Writes a sales panel in the input format (Price,Store1,...,StoreN; one row per week).</summary>
public static class SalesCsvWriter
{
    public static void Write(Stream stream, SalesSample sample)
    {
        using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        w.Write("Price");
        for (var i = 0; i < sample.Stores; i++) { w.Write(",Store"); w.Write((i + 1).ToString(CultureInfo.InvariantCulture)); }
        w.WriteLine();
        Span<char> buf = stackalloc char[32];
        for (var t = 0; t < sample.Weeks; t++)
        {
            w.Write(sample.Prices[t].ToString("0.00", CultureInfo.InvariantCulture));
            for (var i = 0; i < sample.Stores; i++)
            {
                w.Write(',');
                sample.Sales[t, i].TryFormat(buf, out var n, "G10", CultureInfo.InvariantCulture);
                w.Write(buf[..n]);
            }
            w.WriteLine();
        }
    }
}
