using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using CsvHelper;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>predict</c> for "kind": "regression" models: per row the mixture expectation sum_c pi_c x'beta_c,
/// every class's prediction x'beta_c and, when the response column is present, the posterior class
/// probabilities (per group when the model was fitted with a group column and the file has it).
/// </summary>
public static class RegressionPredictor
{
    public const string Kind = RegressionModelJson.KindName;

    /// <summary>The parts of model.json a prediction needs.</summary>
    public sealed record Model(RegressionColumns Columns, RegressionComponents Theta, MixingWeights Pi)
    {
        private readonly DesignCoding? coding;

        /// <summary>How the covariates are coded (the fit's levels and reference levels; every column numeric unless set).</summary>
        public DesignCoding Coding
        {
            get => coding ?? DesignCoding.Numeric(Columns.X, Columns.Intercept);
            init => coding = value;
        }

        /// <summary>The concomitant variables (<c>regress --concomitant</c>): their columns, coding and gamma (also in
        /// <see cref="Pi"/>); null for one pi for every unit.</summary>
        public ConcomitantModel? Concomitant { get; init; }
    }

    /// <summary>The parts of a Poisson or binomial model.json a prediction needs.</summary>
    public sealed record GlmModel(RegressionColumns Columns, GlmColumns Glm, GlmComponents Theta, MixingWeights Pi)
    {
        /// <summary>How the covariates were coded (numeric unless the model says otherwise).</summary>
        public DesignCoding Coding { get; init; } = DesignCoding.Numeric(Columns.X, Columns.Intercept);

        /// <summary>The concomitant model (its columns, coding and gamma), or null for one pi for every unit.</summary>
        public ConcomitantModel? Concomitant { get; init; }
    }

    /// <summary>Dispatches on "family": absent or "gaussian" is the linear regression.</summary>
    public static LanguageExt.Fin<int> Run(PredictCommand.Request r) =>
        r.Model.TryGetProperty("family", out var f) && f.ValueKind == JsonValueKind.String && f.GetString() != "gaussian"
            ? RunGlm(r, f.GetString()!)
            : RunGaussian(r);

    /// <summary>
    /// A Poisson or binomial model: per row the mixture mean sum_c pi_c mu_c and every class's mean mu_c (the expected
    /// count exp(x'beta_c + offset) or the success probability 1 / (1 + exp(-x'beta_c))) and, when the response column
    /// is present (with the trials column for a binomial model fitted with trials), the posterior class probabilities.
    /// The offset column is required when the model has one.
    /// </summary>
    private static LanguageExt.Fin<int> RunGlm(PredictCommand.Request r, string family) =>
        from model in ParseGlm(r.ModelPath, r.Model, family)
        from header in Header(r.File, r.Separator)
        from code in PredictGlm(r, model, header)
        select code;

    private static LanguageExt.Fin<int> PredictGlm(PredictCommand.Request r, GlmModel model, ImmutableArray<string> header)
    {
        bool Has(string? c) => c is not null && header.Contains(c, StringComparer.OrdinalIgnoreCase);
        var hasY = Has(model.Columns.Y);
        var grp = Has(model.Columns.Group) ? model.Columns.Group : null;
        var columns = model.Columns with { Group = grp };
        if (model.Glm.Offset is { } off && !Has(off))
            return LanguageExt.Fin<int>.Fail(Failure.Data($"{r.File}: no column {off} (the model's offset, needed for every prediction)"));
        if (hasY && model.Glm.Trials is { } tr && !Has(tr))
            return LanguageExt.Fin<int>.Fail(Failure.Data($"{r.File}: no column {tr} (the model's trials, needed with the response {model.Columns.Y})"));
        var request = RegressionInput.Request(model.Coding, grp, hasY ? [model.Columns.Y] : null, r.Separator, r.DropMissing, r.Numbers);
        var numeric = new List<string>(request.Numeric);
        if (model.Glm.Offset is { } o) numeric.Add(o);
        if (hasY && model.Glm.Trials is { } t) numeric.Add(t);
        var glmColumns = hasY ? model.Glm : model.Glm with { Trials = null };
        return from table in DataTableCsv.Read(r.File, WithConcomitant(request with { Numeric = numeric }, model.Concomitant))
               from glm in GlmInput.FromTable(table, columns, glmColumns, requireY: false, coding: model.Coding, numbers: r.Numbers)
               from data in hasY ? glm.Data().Map(Some) : LanguageExt.Fin<LanguageExt.Option<GlmData>>.Succ(None)
               let input = glm.Regression
               // with concomitant variables, each unit's prior from its own values (constant within a group)
               from design in model.Concomitant is { } con
                   ? con.Design(table, hasY && input.GroupIds is { } g ? g : null, hasY ? input.Units : input.Rows, hasY ? grp : null).Map(Some)
                   : LanguageExt.Fin<LanguageExt.Option<Mixtures.Domain.Em.ConcomitantWeights>>.Succ(None)
               let prediction = GlmRegression.Predict(model.Theta, model.Pi, model.Glm.Response, glm.Regression.Design,
                   glm.Offset.IsDefaultOrEmpty ? null : glm.Offset, data.MatchUnsafe(d => d, () => null), design.MatchUnsafe(w => w, () => null))
               from _ in PredictCommand.Emit(r, s => Write(s, glm.Regression, model.Theta.K, prediction))
               select Done(r, glm.Regression, prediction);
    }

    /// <summary>Reads and checks the fields of a Poisson or binomial model.json.</summary>
    public static LanguageExt.Fin<GlmModel> ParseGlm(string path, JsonElement root, string family)
    {
        LanguageExt.Fin<T> Bad<T>(string what) => LanguageExt.Fin<T>.Fail(Failure.Data($"{path}: {what}"));
        GlmResponse response;
        switch (family)
        {
            case "poisson": response = GlmResponse.Poisson; break;
            case "binomial": response = GlmResponse.Binomial; break;
            default: return Bad<GlmModel>($"\"family\" is '{family}', not gaussian, poisson or binomial");
        }
        if (!ParseColumns(path, root).TryGet(out var parsed, out var columnsError)) return LanguageExt.Fin<GlmModel>.Fail(columnsError);
        var (columns, coding) = parsed;
        string? Text(string name) => root.TryGetProperty(name, out var el) && el.ValueKind == JsonValueKind.String ? el.GetString() : null;
        var p = coding.Coefficients.Length;
        if (p == 0) return Bad<GlmModel>("the model has no coefficients");
        if (!root.TryGetProperty("selected", out var sel) || sel.ValueKind != JsonValueKind.Object ||
            !sel.TryGetProperty("classes", out var cls) || cls.ValueKind != JsonValueKind.Array || cls.GetArrayLength() == 0)
            return Bad<GlmModel>("missing \"selected\".\"classes\" (the fitted classes)");
        var classes = new List<GlmClass>();
        var pi = new List<double>();
        var c = 0;
        foreach (var e in cls.EnumerateArray())
        {
            c++;
            if (!e.TryGetProperty("beta", out var b) || b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != p ||
                b.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d)))
                return Bad<GlmModel>($"class {c}: \"beta\" must hold {p} finite numbers ({string.Join(", ", coding.Coefficients)})");
            if (!e.TryGetProperty("pi", out var w) || w.ValueKind != JsonValueKind.Number || !w.TryGetDouble(out var weight) || !(weight >= 0) || !(weight <= 1))
                return Bad<GlmModel>($"class {c}: \"pi\" must be a number in [0, 1]");
            classes.Add(new GlmClass(b.EnumerateArray().Select(v => v.GetDouble()).ToImmutableArray()));
            pi.Add(weight);
        }
        var total = pi.Sum();
        if (Math.Abs(total - 1) > 1e-6) return Bad<GlmModel>($"the class weights \"pi\" sum to {total.ToString("G6", CultureInfo.InvariantCulture)}, not 1");
        if (!ConcomitantModel.Parse(path, root, classes.Count).TryGet(out var parsedConcomitant, out var concomitantError)) return LanguageExt.Fin<GlmModel>.Fail(concomitantError);
        var concomitant = parsedConcomitant.MatchUnsafe(z => z, () => null);
        return new GlmModel(columns, new GlmColumns(response, Text("offset"), Text("trials")), new GlmComponents(classes.ToImmutableArray()),
            concomitant?.Weights(pi) ?? MixingWeights.Normalised(pi)) { Coding = coding, Concomitant = concomitant };
    }

    private static LanguageExt.Fin<int> RunGaussian(PredictCommand.Request r) =>
        from model in Parse(r.ModelPath, r.Model)
        from header in Header(r.File, r.Separator)
        let hasY = header.Contains(model.Columns.Y, StringComparer.OrdinalIgnoreCase)
        let grp = model.Columns.Group is { } g && header.Contains(g, StringComparer.OrdinalIgnoreCase) ? g : null
        let columns = model.Columns with { Group = grp }
        from table in DataTableCsv.Read(r.File, WithConcomitant(RegressionInput.Request(model.Coding, grp, hasY ? [model.Columns.Y] : null, r.Separator, r.DropMissing, r.Numbers), model.Concomitant))
        from input in RegressionInput.FromTable(table, columns, requireY: false, coding: model.Coding)
        // with concomitant variables, each unit's prior from its own values (constant within a group)
        from design in model.Concomitant is { } con
            ? con.Design(table, input.GroupIds is { } g ? g : null, input.Units, grp).Map(Some)
            : LanguageExt.Fin<LanguageExt.Option<Mixtures.Domain.Em.ConcomitantWeights>>.Succ(None)
        let z = design.MatchUnsafe(w => w, () => null)
        from prediction in PredictCommand.InFile(r.File, table, LatentClassRegression.PredictChecked(model.Theta, model.Pi, input.Design,
            input.Coefficients, hasY ? input.Y : null, input.GroupIds is { } ids ? ids : null, z))
        from _ in PredictCommand.Emit(r, s => Write(s, input, model.Theta.K, prediction))
        select Done(r, input, prediction);

    /// <summary>The request with the concomitant columns too (numeric ones as numbers, categorical ones as text): a missing one is
    /// an error naming it, and --drop-missing drops a row missing one.</summary>
    private static TableRequest WithConcomitant(TableRequest request, ConcomitantModel? concomitant)
    {
        if (concomitant is null) return request;
        bool Listed(IReadOnlyList<string>? list, string c) => list is not null && list.Contains(c, StringComparer.OrdinalIgnoreCase);
        var numeric = concomitant.Columns.Where(c => !concomitant.Coding.IsCategorical(c) && !Listed(request.Numeric, c));
        var text = concomitant.Columns.Where(c => concomitant.Coding.IsCategorical(c) && !Listed(request.Text, c)).ToList();
        return request with
        {
            Numeric = [.. request.Numeric, .. numeric],
            Text = text.Count == 0 ? request.Text : [.. request.Text ?? [], .. text],
        };
    }

    private static int Done(PredictCommand.Request r, RegressionInput input, RegressionPrediction prediction)
    {
        if (r.Out is not null && !r.Quiet)
            Console.WriteLine($"predictions for {input.Rows} row(s) written to {r.Out}" +
                              (prediction.Posterior is null ? " (no response column: no posterior probabilities)" : "") +
                              (input.Table.DroppedRows > 0 ? $"; {input.Table.DroppedRows} row(s) with missing values dropped" : ""));
        return ExitCodes.Ok;
    }

    /// <summary>row, [group], covariates (a categorical one as its level), [y], prediction, prediction_1..K, [resp_1..K, class, probability].</summary>
    public static void Write(Stream stream, RegressionInput input, int K, RegressionPrediction p)
    {
        using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var cols = input.Columns;
        var header = new List<string> { "row" };
        if (cols.Group is not null) header.Add(RegressionCsvWriters.Field(cols.Group));
        header.AddRange(cols.X.Select(RegressionCsvWriters.Field));
        if (p.Posterior is not null) header.Add(RegressionCsvWriters.Field(cols.Y));
        header.Add("prediction");
        for (var k = 1; k <= K; k++) header.Add($"prediction_{k}");
        if (p.Posterior is not null)
        {
            for (var k = 1; k <= K; k++) header.Add($"resp_{k}");
            header.Add("class");
            header.Add("probability");
        }
        w.WriteLine(string.Join(",", header));
        Func<int, string> Cell(string x)
        {
            if (input.Table.Has(x)) { var values = input.Table.Column(x); return i => N(values[i]); }
            var labels = input.Table.Labels(x);
            return i => RegressionCsvWriters.Field(labels[i]);
        }
        var covariates = cols.X.Select(Cell).ToArray();
        for (var i = 0; i < input.Rows; i++)
        {
            var f = new List<string> { input.Table.Lines[i].ToString(CultureInfo.InvariantCulture) };
            if (cols.Group is not null) f.Add(RegressionCsvWriters.Field(input.GroupLabels[input.GroupIds!.Value[i]]));
            for (var j = 0; j < cols.X.Length; j++) f.Add(covariates[j](i));
            if (p.Posterior is not null) f.Add(N(input.Y[i]));
            f.Add(N(p.Mixture[i]));
            for (var k = 0; k < K; k++) f.Add(N(p.ByClass[i, k]));
            if (p.Posterior is not null)
            {
                var best = 0;
                for (var k = 0; k < K; k++) { f.Add(N(p.Posterior[i, k])); if (p.Posterior[i, k] > p.Posterior[i, best]) best = k; }
                f.Add((best + 1).ToString(CultureInfo.InvariantCulture));
                f.Add(N(p.Posterior[i, best]));
            }
            w.WriteLine(string.Join(",", f));
        }
    }

    /// <summary>The header of the new data file (to see whether y and the group column are present).</summary>
    private static LanguageExt.Fin<ImmutableArray<string>> Header(string path, char? separator)
    {
        if (!File.Exists(path)) return LanguageExt.Fin<ImmutableArray<string>>.Fail(Failure.NoInput($"{path}: file not found"));
        if (new FileInfo(path).Length == 0) return LanguageExt.Fin<ImmutableArray<string>>.Fail(Failure.Data($"{path}: the file is empty"));
        try
        {
            using var reader = CsvReader.FromFile(path, new CsvReaderOptions { Separator = separator, HasHeader = true, TrimWhitespace = true, SkipEmptyLines = true });
            return (reader.Headers ?? []).Select(h => h.Trim()).ToImmutableArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return LanguageExt.Fin<ImmutableArray<string>>.Fail(Failure.NoInput($"{path}: cannot read the file ({e.Message})"));
        }
    }

    /// <summary>The columns ("y", "x", "intercept", "group") of a regression model.json and the coding of its covariates
    /// ("categorical"), checked against its "coefficients".</summary>
    private static LanguageExt.Fin<(RegressionColumns Columns, DesignCoding Coding)> ParseColumns(string path, JsonElement root)
    {
        LanguageExt.Fin<T> Bad<T>(string what) => LanguageExt.Fin<T>.Fail(Failure.Data($"{path}: {what}"));
        if (!root.TryGetProperty("y", out var yEl) || yEl.ValueKind != JsonValueKind.String) return Bad<(RegressionColumns, DesignCoding)>("missing \"y\" (the response column name)");
        if (!root.TryGetProperty("x", out var xEl) || xEl.ValueKind != JsonValueKind.Array || xEl.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            return Bad<(RegressionColumns, DesignCoding)>("missing \"x\" (the covariate column names)");
        var intercept = !root.TryGetProperty("intercept", out var iEl) || iEl.ValueKind != JsonValueKind.False;
        string? group = root.TryGetProperty("group", out var gEl) && gEl.ValueKind == JsonValueKind.String ? gEl.GetString() : null;
        var x = xEl.EnumerateArray().Select(e => e.GetString()!).ToImmutableArray();
        if (x.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } dup)
            return Bad<(RegressionColumns, DesignCoding)>($"\"x\" names '{dup.Key}' twice");
        if (x.Contains(yEl.GetString()!, StringComparer.OrdinalIgnoreCase)) return Bad<(RegressionColumns, DesignCoding)>($"\"x\" contains the response \"y\" ('{yEl.GetString()}')");
        var columns = new RegressionColumns(yEl.GetString()!, x, group, intercept);
        var categorical = new List<CategoricalCoding>();
        if (root.TryGetProperty("categorical", out var catEl) && catEl.ValueKind != JsonValueKind.Null)
        {
            if (catEl.ValueKind != JsonValueKind.Array) return Bad<(RegressionColumns, DesignCoding)>("\"categorical\" must be a list of codings");
            foreach (var e in catEl.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("column", out var colEl) || colEl.ValueKind != JsonValueKind.String ||
                    !e.TryGetProperty("levels", out var lvEl) || lvEl.ValueKind != JsonValueKind.Array || lvEl.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String))
                    return Bad<(RegressionColumns, DesignCoding)>("\"categorical\": every coding needs \"column\" (a name) and \"levels\" (texts)");
                string? reference = null;
                if (e.TryGetProperty("reference", out var refEl) && refEl.ValueKind != JsonValueKind.Null)
                {
                    if (refEl.ValueKind != JsonValueKind.String) return Bad<(RegressionColumns, DesignCoding)>($"\"categorical\": the reference of {colEl.GetString()} must be a level");
                    reference = refEl.GetString();
                }
                categorical.Add(new CategoricalCoding(colEl.GetString()!, lvEl.EnumerateArray().Select(l => l.GetString()!).ToImmutableArray(), reference));
            }
        }
        if (!DesignCoding.Create(x, categorical, intercept, path).TryGet(out var coding, out var codingError)) return LanguageExt.Fin<(RegressionColumns, DesignCoding)>.Fail(codingError);
        if (coding.HasCategorical && root.TryGetProperty("coefficients", out var namesEl) && namesEl.ValueKind == JsonValueKind.Array &&
            !namesEl.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).SequenceEqual(coding.Coefficients))
            return Bad<(RegressionColumns, DesignCoding)>($"\"coefficients\" do not match the coding of \"x\" and \"categorical\" ({string.Join(", ", coding.Coefficients)})");
        return (columns, coding);
    }

    /// <summary>Reads and checks the fields of a regression model.json that prediction needs.</summary>
    public static LanguageExt.Fin<Model> Parse(string path, JsonElement root)
    {
        LanguageExt.Fin<T> Bad<T>(string what) => LanguageExt.Fin<T>.Fail(Failure.Data($"{path}: {what}"));
        if (!ParseColumns(path, root).TryGet(out var parsedColumns, out var columnsError)) return LanguageExt.Fin<Model>.Fail(columnsError);
        var (columns, coding) = parsedColumns;
        var p = coding.Coefficients.Length;
        if (p == 0) return Bad<Model>("the model has no coefficients");
        if (!root.TryGetProperty("selected", out var sel) || sel.ValueKind != JsonValueKind.Object ||
            !sel.TryGetProperty("classes", out var cls) || cls.ValueKind != JsonValueKind.Array || cls.GetArrayLength() == 0)
            return Bad<Model>("missing \"selected\".\"classes\" (the fitted classes)");
        var classes = new List<RegressionClass>();
        var pi = new List<double>();
        var c = 0;
        foreach (var e in cls.EnumerateArray())
        {
            c++;
            if (!e.TryGetProperty("beta", out var b) || b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != p ||
                b.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
                return Bad<Model>($"class {c}: \"beta\" must hold {p} numbers ({string.Join(", ", coding.Coefficients)})");
            var beta = b.EnumerateArray().Select(v => v.TryGetDouble(out var x) ? x : double.NaN).ToImmutableArray();
            if (beta.Select((v, j) => (v, j)).FirstOrDefault(t => !double.IsFinite(t.v), (v: 0.0, j: -1)) is { j: >= 0 } bad)
                return Bad<Model>($"class {c}: \"beta\"[{bad.j}] is {b[bad.j].GetRawText()}, not a finite double");
            // sigma must be a normal double: a subnormal sigma has no usable square (the variance underflows)
            if (!e.TryGetProperty("sigma", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out var sigma) ||
                !(sigma >= Mixtures.Domain.Gaussian.GaussianData.SmallestNormal) || !double.IsFinite(sigma))
                return Bad<Model>($"class {c}: \"sigma\" must be a positive number, finite and a normal double (at least 2.2E-308)" +
                                  (e.TryGetProperty("sigma", out var raw) ? $"; it is {raw.GetRawText()}" : ""));
            if (!e.TryGetProperty("pi", out var w) || w.ValueKind != JsonValueKind.Number || !w.TryGetDouble(out var weight) || !(weight >= 0) || !(weight <= 1))
                return Bad<Model>($"class {c}: \"pi\" must be a number in [0, 1]");
            classes.Add(new RegressionClass(beta, sigma));
            pi.Add(weight);
        }
        if (root.TryGetProperty("selectedK", out var kEl) && kEl.ValueKind != JsonValueKind.Null &&
            (kEl.ValueKind != JsonValueKind.Number || !kEl.TryGetInt32(out var k) || k != classes.Count))
            return Bad<Model>($"\"selectedK\" is {kEl.GetRawText()} but \"selected\".\"classes\" has {classes.Count} classes");
        var total = pi.Sum();
        if (Math.Abs(total - 1) > 1e-6) return Bad<Model>($"the class weights \"pi\" sum to {total.ToString("G6", CultureInfo.InvariantCulture)}, not 1");
        if (!ConcomitantModel.Parse(path, root, classes.Count).TryGet(out var parsed, out var concomitantError)) return LanguageExt.Fin<Model>.Fail(concomitantError);
        var concomitant = parsed.MatchUnsafe(c => c, () => null);
        return new Model(columns, new RegressionComponents(classes.ToImmutableArray()), concomitant?.Weights(pi) ?? MixingWeights.Normalised(pi))
        {
            Coding = coding,
            Concomitant = concomitant,
        };
    }
}
