using System.CommandLine;
using System.Text.Json;
using Mixtures.Data;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>mixtures predict --model model.json new.csv</c>: reads a saved model, looks at its "kind" and
/// hands the request to that kind's predictor. A new model kind adds one entry to <see cref="Predictors"/>.
/// </summary>
public static class PredictCommand
{
    /// <summary>What every predictor gets: the model file (path and parsed JSON) and the new data request.</summary>
    public sealed record Request(string ModelPath, JsonElement Model, string File, string? Out, char? Separator, bool DropMissing, bool Quiet,
        Mixtures.Data.NumberCells? Numbers = null);

    /// <summary>Predictors by the model's "kind".</summary>
    public static IReadOnlyDictionary<string, Func<Request, LanguageExt.Fin<int>>> Predictors { get; } =
        new Dictionary<string, Func<Request, LanguageExt.Fin<int>>>(StringComparer.Ordinal)
        {
            [RegressionPredictor.Kind] = RegressionPredictor.Run,
            [GaussianPredictor.Kind] = GaussianPredictor.Run,
            [SalesPredictor.Kind] = SalesPredictor.Run,
        };

    public sealed record Settings(string Model, string File, string? Out, string? Sep, bool DropMissing, bool Quiet, bool DecimalComma = false);

    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "A model.json written by a fitting command (regress, cluster), or the results.json of sales.", Required = true };
        var file = new Argument<string>("file") { Description = "Delimited file with the model's covariate columns (and, for posteriors, its response); for a sales model, a sales file of new stores." };
        var output = new Option<string?>("--out") { Description = "Write the predictions here as CSV (atomically); default: standard output." };
        var sep = new Option<string?>("--sep") { Description = "Separator: , ; tab or | (default: detected)." };
        var dropMissing = new Option<bool>("--drop-missing") { Description = "Skip rows with a missing or non-numeric value in the needed columns." };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the summary line." };
        var decimalComma = InputOptions.DecimalComma();
        var cmd = new Command("predict", "Predict new rows from a saved model: the model's \"kind\" decides what is predicted.")
        {
            model, file, output, sep, decimalComma, dropMissing, quiet,
        };
        cmd.Options.Add(ThreadsOption.Create());
        cmd.SetAction(r => Run(new Settings(r.GetValue(model)!, r.GetValue(file)!, r.GetValue(output), r.GetValue(sep), r.GetValue(dropMissing), r.GetValue(quiet), r.GetValue(decimalComma))));
        return cmd;
    }

    public static int Run(Settings s) => Cli.Run(() =>
        from sep in DataTableCsv.ParseSeparator(s.Sep)
        let separator = DataTableCsv.Separator(sep)
        from _ in Mixtures.Shell.Output.Outputs.Check([s.Model, s.File], [Mixtures.Shell.Output.Outputs.To("--out", s.Out)])
        from json in ReadModel(s.Model)
        from kind in Kind(s.Model, json)
        from predictor in Predictors.TryGetValue(kind, out var p)
            ? LanguageExt.Fin<Func<Request, LanguageExt.Fin<int>>>.Succ(p)
            : LanguageExt.Fin<Func<Request, LanguageExt.Fin<int>>>.Fail(Failure.Data(
                $"{s.Model}: unknown model kind '{kind}' (this version predicts: {string.Join(", ", Predictors.Keys.Order())})"))
        from code in predictor(new Request(s.Model, json, s.File, s.Out, separator, s.DropMissing, s.Quiet, InputOptions.Numbers(s.DecimalComma)))
        select code);

    /// <summary>A predictor's output: to standard output, or with --out as one transaction that may not replace
    /// the data or the model file.</summary>
    internal static LanguageExt.Fin<LanguageExt.Unit> Emit(Request r, Action<Stream> write)
    {
        if (r.Out is not null)
            return Mixtures.Shell.Output.Outputs.Commit([new Mixtures.Shell.Output.PendingFile(r.Out, write)], [r.File, r.ModelPath]);
        using var s = Console.OpenStandardOutput();
        write(s);
        return unit;
    }

    /// <summary>The parsed model file; a missing file is 66, invalid JSON 65 with its line.</summary>
    public static LanguageExt.Fin<JsonElement> ReadModel(string path)
    {
        if (!File.Exists(path)) return LanguageExt.Fin<JsonElement>.Fail(Failure.NoInput($"{path}: model file not found"));
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? doc.RootElement.Clone()
                : LanguageExt.Fin<JsonElement>.Fail(Failure.Data($"{path}: not a model file (expected a JSON object)"));
        }
        catch (JsonException e)
        {
            return LanguageExt.Fin<JsonElement>.Fail(Failure.Data($"{path}: not valid JSON (line {(e.LineNumber ?? 0) + 1}: {e.Message.Split('.')[0]})"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return LanguageExt.Fin<JsonElement>.Fail(Failure.NoInput($"{path}: cannot read the model file ({e.Message})"));
        }
    }

    /// <summary>A domain failure as a data error naming the new data file; a row's failure
    /// (<see cref="Mixtures.Domain.Model.RowValueError"/>) names its file line and column.</summary>
    internal static LanguageExt.Fin<A> InFile<A>(string file, DataTable table, LanguageExt.Fin<A> fin) =>
        fin.Match(Succ: a => LanguageExt.Fin<A>.Succ(a), Fail: e => LanguageExt.Fin<A>.Fail(Failure.Data(e is Mixtures.Domain.Model.RowValueError rv
            ? $"{file}: row {table.Lines[rv.Row]}, column {rv.Column}: {rv.Reason}"
            : $"{file}: {e.Message}")));

    private static LanguageExt.Fin<string> Kind(string path, JsonElement model) =>
        model.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String && k.GetString() is { Length: > 0 } kind
            ? kind
            : LanguageExt.Fin<string>.Fail(Failure.Data($"{path}: no \"kind\" field (expected e.g. \"kind\": \"regression\")"));
}
