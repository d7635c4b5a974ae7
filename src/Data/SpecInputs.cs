using System.Globalization;
using System.Text.Json;
using CsvHelper;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// Parameters given on the command line as JSON (<c>--theta</c>, <c>--pi</c>) and responsibilities
/// given as a CSV file (<c>--weights</c>), validated into the spec's types.
/// </summary>
public static class SpecInputs
{
    /// <summary>Largest |sum(pi) - 1| accepted; pi is then renormalised to sum to one exactly.</summary>
    public const double PiSumTolerance = 1e-6;

    /// <summary>Largest |sum_k W[i,k] - 1| accepted in a weights file (room for values printed to 6 decimals).</summary>
    public const double RowSumTolerance = 1e-4;

    /// <summary>theta as K pairs <c>[[alpha, beta], ...]</c> or the spec's flat vector <c>[alpha1, beta1, ..., alphaK, betaK]</c>.</summary>
    public static Fin<Theta> ParseTheta(string json, string option = "--theta") =>
        ParseArray(json, option).Bind(root => ThetaFrom(root).Match(
            Succ: t => Fin<Theta>.Succ(t),
            Fail: why => FinFail<Theta>(Failure.Usage($"{option}: {why}"))));

    /// <summary>theta from a parsed JSON array; the reason (without the option name) on failure.
    /// <paramref name="lenient"/> also reads numbers written as strings ("2.5") and one-element lists ([2.5]).</summary>
    public static Fin<Theta> ThetaFrom(JsonElement root, bool lenient = false)
    {
        bool Num(JsonElement e, out double v) => lenient ? Lenient(e, out v) : Finite(e, out v);
        bool IsNum(JsonElement e) => Num(e, out _) || e.ValueKind == JsonValueKind.Number;
        var items = root.EnumerateArray().ToList();
        if (items.Count == 0) return FinFail<Theta>(Error("is empty; expected K pairs [alpha, beta] or 2K numbers"));
        if (items.All(i => i.ValueKind == JsonValueKind.Array) && !(lenient && items.All(i => i.GetArrayLength() == 1)))
        {
            var segments = new List<Segment>();
            for (var c = 0; c < items.Count; c++)
            {
                var pair = items[c].EnumerateArray().ToList();
                if (pair.Count != 2) return FinFail<Theta>(Error($"segment {c + 1} has {pair.Count} number(s); each segment is a pair [alpha, beta]"));
                if (!Num(pair[0], out var a) || !Num(pair[1], out var b)) return FinFail<Theta>(Error($"segment {c + 1} holds something other than two finite numbers"));
                segments.Add(new Segment(a, b));
            }
            return Theta.Of(segments);
        }
        if (items.All(IsNum))
        {
            var v = new double[items.Count];
            for (var j = 0; j < v.Length; j++)
                if (!Num(items[j], out v[j])) return FinFail<Theta>(Error($"entry {j + 1} is not a finite number"));
            if (v.Length % 2 != 0)
                return FinFail<Theta>(Error($"a flat theta has 2K numbers (alpha1, beta1, ..., alphaK, betaK); found {v.Length}"));
            return Theta.FromVector(v);
        }
        return FinFail<Theta>(Error("mixes numbers and lists; expected K pairs [alpha, beta] or 2K numbers"));
    }

    /// <summary>A finite number, also when written as a string or inside a one-element list.</summary>
    public static bool Lenient(JsonElement e, out double v)
    {
        v = double.NaN;
        return e.ValueKind switch
        {
            JsonValueKind.Number => e.TryGetDouble(out v) && double.IsFinite(v),
            JsonValueKind.String => double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v),
            JsonValueKind.Array when e.GetArrayLength() == 1 => Lenient(e[0], out v),
            _ => false,
        };
    }

    /// <summary>pi as a JSON array of K non-negative numbers summing to one (within <see cref="PiSumTolerance"/>).</summary>
    public static Fin<MixingWeights> ParsePi(string json, string option = "--pi") =>
        ParseArray(json, option).Bind(root => PiFrom(root).Match(
            Succ: p => Fin<MixingWeights>.Succ(p),
            Fail: why => FinFail<MixingWeights>(Failure.Usage($"{option}: {why}"))));

    private static Fin<MixingWeights> PiFrom(JsonElement root)
    {
        var items = root.EnumerateArray().ToList();
        if (items.Count == 0) return FinFail<MixingWeights>(Error("is empty; expected K weights"));
        var p = new double[items.Count];
        for (var j = 0; j < p.Length; j++)
        {
            if (!Finite(items[j], out p[j])) return FinFail<MixingWeights>(Error($"entry {j + 1} is not a finite number"));
            if (p[j] < 0) return FinFail<MixingWeights>(Error($"entry {j + 1} is negative ({p[j].ToString("R", CultureInfo.InvariantCulture)})"));
        }
        var sum = p.Sum();
        if (Math.Abs(sum - 1) > PiSumTolerance)
            return FinFail<MixingWeights>(Error($"the weights sum to {sum.ToString("R", CultureInfo.InvariantCulture)}, not 1 (within {PiSumTolerance:0e0})"));
        return MixingWeights.Normalised(p);
    }

    private static Fin<JsonElement> ParseArray(string json, string option)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                return FinFail<JsonElement>(Failure.Usage($"{option}: expected a JSON array such as [[2.0, -1.5], [4.0, -2.0]], got a {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}"));
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return FinFail<JsonElement>(Failure.Usage($"{option}: not valid JSON ({FirstSentence(e.Message)})"));
        }
    }

    private static string FirstSentence(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length > 160 ? line[..160] + "..." : line;
    }

    private static LanguageExt.Common.Error Error(string why) => LanguageExt.Common.Error.New(why);

    private static bool Finite(JsonElement e, out double v)
    {
        v = double.NaN;
        return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out v) && double.IsFinite(v);
    }

    /// <summary>
    /// Reads W: one row per store (in the order of the data file's store columns), K non-negative
    /// numbers per row summing to one; separator , ; tab or | (detected); an optional header row.
    /// Rows are lines of the file.
    /// </summary>
    public static Fin<Matrix<double>> ReadWeights(string path, int stores)
    {
        if (!File.Exists(path)) return FinFail<Matrix<double>>(Failure.NoInput($"{path}: file not found"));
        if (new FileInfo(path).Length == 0) return FinFail<Matrix<double>>(Failure.Data($"{path}: the file is empty"));
        try
        {
            using var reader = CsvReader.FromFile(path, WeightsOptions);
            return ParseWeights(reader, path, stores);
        }
        catch (IOException e) { return FinFail<Matrix<double>>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
        catch (UnauthorizedAccessException e) { return FinFail<Matrix<double>>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
    }

    /// <summary>Parses weights text (tests); <paramref name="file"/> names it in errors.</summary>
    public static Fin<Matrix<double>> ParseWeightsText(string text, string file, int stores)
    {
        if (text.Length == 0) return FinFail<Matrix<double>>(Failure.Data($"{file}: the file is empty"));
        using var reader = CsvReader.FromText(text, WeightsOptions);
        return ParseWeights(reader, file, stores);
    }

    private static CsvReaderOptions WeightsOptions => new()
    {
        Separator = null,
        HasHeader = true,
        TrimWhitespace = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
    };

    private static Fin<Matrix<double>> ParseWeights(CsvReader reader, string file, int stores)
    {
        var header = (reader.Headers ?? []).Select(h => h.Trim()).ToArray();
        if (header.Length == 0 || header.All(string.IsNullOrEmpty)) return FinFail<Matrix<double>>(Failure.Data($"{file}: the file is empty"));
        var K = header.Length;
        var rows = new List<double[]>();
        string? RowProblem(double[] w, long line)
        {
            var sum = w.Sum();
            return Math.Abs(sum - 1) > RowSumTolerance
                ? $"{file}: row {line}: the weights sum to {sum.ToString("G6", CultureInfo.InvariantCulture)}, not 1 (each row is one store's segment probabilities)"
                : null;
        }
        // a header whose cells are all numbers is the first row of weights
        if (header.All(h => double.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            var first = new double[K];
            for (var k = 0; k < K; k++)
            {
                first[k] = double.Parse(header[k], NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!double.IsFinite(first[k]) || first[k] < 0)
                    return FinFail<Matrix<double>>(Failure.Data($"{file}: row 1, column {k + 1}: '{header[k]}' is not a non-negative finite number"));
            }
            if (RowProblem(first, 1) is { } p) return FinFail<Matrix<double>>(Failure.Data(p));
            rows.Add(first);
        }
        while (reader.Read())
        {
            var line = reader.LineNumber;
            if (reader.FieldCount != K)
                return FinFail<Matrix<double>>(Failure.Data($"{file}: row {line}: {reader.FieldCount} field(s), but row 1 has {K} (one column per segment)"));
            var w = new double[K];
            for (var k = 0; k < K; k++)
            {
                var ok = NumberCells.Point.TryFinite(reader.GetSpan(k), out w[k], out var problem);
                if (!ok && problem.Separator)
                    return FinFail<Matrix<double>>(Failure.Data($"{file}: row {line}, column {k + 1}: {problem}"));
                if (!ok || w[k] < 0)
                    return FinFail<Matrix<double>>(Failure.Data($"{file}: row {line}, column {k + 1}: '{reader.GetString(k)}' is not a non-negative finite number"));
            }
            if (RowProblem(w, line) is { } p) return FinFail<Matrix<double>>(Failure.Data(p));
            rows.Add(w);
        }
        if (rows.Count != stores)
            return FinFail<Matrix<double>>(Failure.Data($"{file}: {rows.Count} row(s) of weights but the data has {stores} stores (one row per store, in the order of the store columns)"));
        return Matrix<double>.Build.Dense(rows.Count, K, (i, k) => rows[i][k]);
    }
}
