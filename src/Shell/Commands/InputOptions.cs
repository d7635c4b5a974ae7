using System.CommandLine;
using Mixtures.Data;

namespace Mixtures.Shell.Commands;

/// <summary>The options every command reading a delimited data file shares: how its numbers are written.</summary>
public static class InputOptions
{
    /// <summary>--decimal-comma.</summary>
    public static Option<bool> DecimalComma() => new("--decimal-comma")
    {
        Description = "Numbers use a decimal comma (0,5), as in a European export; the separator must then be a semicolon or a tab. " +
                      "Without it numbers use a decimal point and a cell with a comma is an error (never read with thousands separators).",
    };

    /// <summary>The number format the option selects.</summary>
    public static NumberCells Numbers(bool decimalComma) => decimalComma ? NumberCells.Comma : NumberCells.Point;
}
