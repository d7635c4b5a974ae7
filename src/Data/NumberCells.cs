using System.Globalization;
using System.Text;

namespace Mixtures.Data;

/// <summary>
/// How the numbers of a delimited file are written, and the one parser every reader uses.
/// A cell is read with <see cref="NumberStyles.Float"/> only (optional sign, digits, one decimal
/// separator, an exponent): never with thousands separators, currency signs or parentheses, so that
/// <c>0,5</c> is never read as 5 nor <c>2,25</c> as 225. The decimal separator is the point of the
/// invariant culture, or the comma with <c>--decimal-comma</c> (the usual European export, whose
/// separator is then a semicolon or a tab). Nothing is guessed from the file's content.
/// </summary>
public sealed record NumberCells(bool DecimalComma)
{
    /// <summary>Numbers with a decimal point (the invariant culture): the default.</summary>
    public static readonly NumberCells Point = new(false);

    /// <summary>Numbers with a decimal comma (<c>--decimal-comma</c>).</summary>
    public static readonly NumberCells Comma = new(true);

    private static readonly NumberFormatInfo CommaFormat = MakeCommaFormat();

    private static NumberFormatInfo MakeCommaFormat()
    {
        var f = (NumberFormatInfo)NumberFormatInfo.InvariantInfo.Clone();
        f.NumberDecimalSeparator = ",";
        f.NumberGroupSeparator = "\u00a0";
        return NumberFormatInfo.ReadOnly(f);
    }

    private IFormatProvider Provider => DecimalComma ? CommaFormat : NumberFormatInfo.InvariantInfo;

    /// <summary>The description used in help texts and errors.</summary>
    public string Name => DecimalComma ? "decimal comma" : "decimal point";

    /// <summary>Parses a cell (UTF-8, as the CSV reader hands it out).</summary>
    public bool TryParse(ReadOnlySpan<byte> utf8, out double value) =>
        double.TryParse(utf8, NumberStyles.Float, Provider, out value);

    /// <summary>Parses a cell given as text.</summary>
    public bool TryParse(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, Provider, out value);

    /// <summary>Parses a cell that must hold a finite number; on failure <paramref name="problem"/> says why
    /// in words that end with the fix (e.g. "... use --decimal-comma").</summary>
    public bool TryFinite(ReadOnlySpan<byte> utf8, out double value, out CellProblem problem)
    {
        problem = default;
        if (TryParse(utf8, out value) && double.IsFinite(value)) return true;
        problem = Explain(Encoding.UTF8.GetString(utf8));
        return false;
    }

    /// <summary>Why a cell is not a finite number, with the fix when the cause is the decimal separator.</summary>
    public CellProblem Explain(string cell)
    {
        var shown = cell.Length > 40 ? cell[..40] + "..." : cell;
        if (cell.Trim().Length == 0) return new("missing value", false);
        if (TryParse(cell.AsSpan(), out var v))
            return new($"'{shown}' is not a finite number", false);
        if (!DecimalComma && cell.Contains(','))
            return new(Point.TryParse(cell.Replace(',', '.').AsSpan(), out _)
                ? $"'{shown}' has a comma; numbers are read with a decimal point (for a file with decimal commas use --decimal-comma)"
                : $"'{shown}' has a comma; numbers are read with a decimal point and without thousands separators", true);
        if (DecimalComma && cell.Contains('.'))
            return new($"'{shown}' has a point, but --decimal-comma reads numbers with a decimal comma and without thousands separators", true);
        return new($"'{shown}' is not a finite number", false);
    }

    /// <summary>Whether a cell that is not a number here would be one with the other decimal separator or without
    /// thousands separators (<c>0,5</c> or <c>1,000</c> without <c>--decimal-comma</c>; <c>0.5</c> with it): such a cell
    /// is a number in the wrong format, never a text value (a categorical level).</summary>
    public bool OtherSeparatorNumber(string cell)
    {
        var c = cell.Trim();
        var other = DecimalComma ? '.' : ',';
        var own = DecimalComma ? ',' : '.';
        if (c.IndexOf(other) < 0) return false;
        return TryParse(c.Replace(other, own).AsSpan(), out _) || TryParse(c.Replace(other.ToString(), "").AsSpan(), out _);
    }

    /// <summary>The usage problem of a separator with this number format, if any: with decimal commas the
    /// separator cannot be a comma.</summary>
    public string? SeparatorProblem(char separator) =>
        DecimalComma && separator == ','
            ? "--decimal-comma: the file's separator is a comma, so a comma cannot also be the decimal separator (give --sep ; or --sep tab)"
            : null;
}

/// <summary>Why a cell is not a number.</summary>
/// <param name="Text">The reason, in words, ending with the fix where there is one.</param>
/// <param name="Separator">Whether the decimal or thousands separator is to blame: a format error of the whole
/// file, which <c>--drop-missing</c> must not hide.</param>
public readonly record struct CellProblem(string Text, bool Separator)
{
    /// <summary>The description of the problem.</summary>
    public override string ToString() => Text;
}
