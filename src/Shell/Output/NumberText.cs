using System.Globalization;

namespace Mixtures.Shell.Output;

/// <summary>Numbers for tables and reports.</summary>
public static class NumberText
{
    /// <summary>
    /// v in the fixed-point format <paramref name="fmt"/> (e.g. F2), or in 6 significant digits when its
    /// magnitude is at least 1e15 or below 1e-15 (not 0), where fixed point would print hundreds of digits
    /// or only zeros (data near the limits of the double range).
    /// </summary>
    public static string Fixed(double v, string fmt) =>
        Math.Abs(v) >= 1e15 || (v != 0 && Math.Abs(v) < 1e-15)
            ? v.ToString("G6", CultureInfo.InvariantCulture)
            : v.ToString(fmt, CultureInfo.InvariantCulture);
}
