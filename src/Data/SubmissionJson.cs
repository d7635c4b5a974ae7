using Mixtures.Domain;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LanguageExt;
using Mixtures.Domain.Em;
using Mixtures.Domain.Grading;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// Reads a submitted results.json in any of the layouts students and this tool write:
/// <list type="bullet">
/// <item>columns: <c>{"K": [2,3,4], "Theta": [...], "Pi": [...], "Log Likelihood": [...], "BIC": [...]}</c>;</item>
/// <item>a list of models: <c>{"models": [{"K": 2, "theta": ..., "pi": ..., "logLikelihood": ..., "bic": ...}, ...], "selectedK": 3}</c>
/// (the output of <c>mixtures sales</c>), or the list itself;</item>
/// <item>models keyed by K: <c>{"2": {...}, "K=3": {...}}</c>.</item>
/// </list>
/// Keys match ignoring case, spaces and punctuation ("Log Likelihood" = "log_likelihood" = "logLikelihood").
/// theta per K is K pairs [alpha, beta], the flat 2K vector, or {"alpha": [...], "beta": [...]}.
/// What cannot be read is listed as a problem and left out; NaN and Infinity (written by Python's json
/// module, but not JSON) are read as missing values.
/// </summary>
public static class SubmissionJson
{
    private static readonly string[] KKeys = ["k", "ks", "numberofsegments", "segments", "nsegments"];
    private static readonly string[] ThetaKeys = ["theta", "thetas", "params", "parameters", "estimates"];
    private static readonly string[] PiKeys = ["pi", "pis", "weights", "mixingweights", "mixingproportions"];
    private static readonly string[] LogLKeys = ["loglikelihood", "loglikelihoods", "logl", "loglik", "ll", "loglikelihoodvalue"];
    private static readonly string[] BicKeys = ["bic", "bics"];
    private static readonly string[] SelectedKeys = ["selectedk", "bestk", "chosenk", "optimalk", "kbic", "bestkbic", "selected", "bestmodel"];
    private static readonly string[] ModelListKeys = ["models", "results", "fits"];

    /// <summary>Reads a student's results.json as a submission named <paramref name="name"/>.</summary>
    public static Fin<Submission> Read(string path, string name)
    {
        if (!File.Exists(path)) return FinFail<Submission>(Failure.NoInput($"{path}: file not found"));
        try { return Parse(File.ReadAllText(path), name); }
        catch (IOException e) { return FinFail<Submission>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
        catch (UnauthorizedAccessException e) { return FinFail<Submission>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
    }

    private static string Key(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static JsonElement? Find(JsonElement obj, string[] keys)
    {
        foreach (var p in obj.EnumerateObject())
            if (keys.Contains(Key(p.Name))) return p.Value;
        return null;
    }

    /// <summary>Parses submission text; fails (exit 65) only when it is not JSON or holds no K at all.</summary>
    public static Fin<Submission> Parse(string text, string name)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        var (clean, replaced) = ReplaceNonFinite(text);
        if (replaced > 0) problems.Add($"the file contains NaN or Infinity ({replaced} value(s)), which JSON does not allow; read as missing values");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(clean, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } l ? $"line {l + 1}, position {(e.BytePositionInLine ?? 0) + 1}: " : "";
            var why = e.Message.Split('.')[0].Split(" LineNumber")[0].Trim();
            return FinFail<Submission>(Failure.Data($"{name}: not valid JSON ({where}{why})"));
        }
        using (doc)
        {
            var root = doc.RootElement;
            var models = new List<SubmittedModel>();
            int? stated = null;
            if (root.ValueKind == JsonValueKind.Array) ReadModelList(root, models, problems);
            else if (root.ValueKind == JsonValueKind.Object)
            {
                if (Find(root, SelectedKeys) is { } sel)
                {
                    if (Int(sel) is { } sk) stated = sk;
                    else problems.Add("the selected K is not a whole number");
                }
                if (Find(root, ModelListKeys) is { } list) ReadModelList(list, models, problems);
                else if (Find(root, KKeys) is { ValueKind: JsonValueKind.Array } ks) ReadColumns(root, ks, models, problems);
                else if (Find(root, KKeys) is { } one && Int(one) is not null) models.Add(ReadModel(root, null, problems));
                else ReadKeyed(root, models, problems);
            }
            if (models.Count == 0)
                return FinFail<Submission>(Failure.Data(
                    $"{name}: no models found (expected {{\"K\": [2, 3, 4], \"Theta\": [...], \"Pi\": [...], \"Log Likelihood\": [...], \"BIC\": [...]}} or {{\"models\": [{{\"K\": 2, ...}}]}})"));
            var distinct = new List<SubmittedModel>();
            foreach (var m in models)
            {
                if (distinct.Any(d => d.K == m.K)) problems.Add($"K = {m.K} is reported twice; the first is graded");
                else distinct.Add(m);
            }
            return new Submission(name, distinct.OrderBy(m => m.K).ToImmutableArray(), stated, problems.ToImmutable());
        }
    }

    private static void ReadModelList(JsonElement list, List<SubmittedModel> models, ImmutableArray<string>.Builder problems)
    {
        if (list.ValueKind == JsonValueKind.Object) { ReadKeyed(list, models, problems); return; }
        if (list.ValueKind != JsonValueKind.Array) { problems.Add("the list of models is not a list"); return; }
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            i++;
            if (item.ValueKind != JsonValueKind.Object) { problems.Add($"model {i} is not an object with K, theta, pi, log-likelihood and BIC"); continue; }
            if (Find(item, KKeys) is not { } k || Int(k) is null) { problems.Add($"model {i} has no whole-number K"); continue; }
            models.Add(ReadModel(item, null, problems));
        }
    }

    /// <summary>{"2": {...}, "K=3": {...}, "k4": {...}}: the digits of the key are K.</summary>
    private static void ReadKeyed(JsonElement obj, List<SubmittedModel> models, ImmutableArray<string>.Builder problems)
    {
        foreach (var p in obj.EnumerateObject())
        {
            var digits = new string(p.Name.Where(char.IsAsciiDigit).ToArray());
            var letters = Key(p.Name).Trim('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
            if (digits.Length == 0 || digits.Length > 2 || p.Value.ValueKind != JsonValueKind.Object || letters is not ("" or "k")) continue;
            models.Add(ReadModel(p.Value, int.Parse(digits, CultureInfo.InvariantCulture), problems));
        }
    }

    private static void ReadColumns(JsonElement root, JsonElement ks, List<SubmittedModel> models, ImmutableArray<string>.Builder problems)
    {
        var K = ks.EnumerateArray().Select(Int).ToList();
        JsonElement? Column(string[] keys, string label)
        {
            if (Find(root, keys) is not { } c) { problems.Add($"no {label} reported"); return null; }
            if (c.ValueKind != JsonValueKind.Array) { problems.Add($"{label} is not a list with one entry per K"); return null; }
            if (c.GetArrayLength() != K.Count) problems.Add($"{label} has {c.GetArrayLength()} entr{(c.GetArrayLength() == 1 ? "y" : "ies")} for {K.Count} K values; matched by position");
            return c;
        }
        var theta = Column(ThetaKeys, "Theta");
        var pi = Column(PiKeys, "Pi");
        var logL = Column(LogLKeys, "Log Likelihood");
        var bic = Column(BicKeys, "BIC");
        JsonElement? At(JsonElement? col, int i) => col is { } c && i < c.GetArrayLength() ? c[i] : null;
        for (var i = 0; i < K.Count; i++)
        {
            if (K[i] is not { } k || k < 1 || k > 50) { problems.Add($"K entry {i + 1} is not a whole number between 1 and 50"); continue; }
            models.Add(Model(k, At(theta, i), At(pi, i), At(logL, i), At(bic, i), problems));
        }
    }

    private static SubmittedModel ReadModel(JsonElement obj, int? keyK, ImmutableArray<string>.Builder problems)
    {
        var k = keyK ?? Int(Find(obj, KKeys)!.Value)!.Value;
        if (keyK is not null && Find(obj, KKeys) is { } inner && Int(inner) is { } ik && ik != keyK)
            problems.Add($"the model under key K = {keyK} says K = {ik}; the key is used");
        var theta = Find(obj, ThetaKeys);
        var pi = Find(obj, PiKeys);
        var logL = Find(obj, LogLKeys);
        var bic = Find(obj, BicKeys);
        if (theta is null) problems.Add($"K = {k}: no theta reported");
        if (pi is null) problems.Add($"K = {k}: no pi reported");
        if (logL is null) problems.Add($"K = {k}: no log-likelihood reported");
        if (bic is null) problems.Add($"K = {k}: no BIC reported");
        return Model(k, theta, pi, logL, bic, problems);
    }

    private static SubmittedModel Model(int K, JsonElement? theta, JsonElement? pi, JsonElement? logL, JsonElement? bic, ImmutableArray<string>.Builder problems)
    {
        Theta? t = null;
        if (theta is { } th)
        {
            if (ReadTheta(th).TryGet(out var v, out var e))
            {
                if (v.K == K) t = v;
                else problems.Add($"K = {K}: theta has {v.K} segment(s) ({2 * v.K} numbers); expected {K} pairs [alpha, beta]");
            }
            else problems.Add($"K = {K}: theta {e.Message}");
        }
        ImmutableArray<double>? p = null;
        if (pi is { } pe)
        {
            var values = pe.ValueKind == JsonValueKind.Array ? pe.EnumerateArray().Select(Number).ToList() : null;
            if (values is null) problems.Add($"K = {K}: pi is not a list of numbers");
            else if (values.Any(x => x is null)) problems.Add($"K = {K}: pi holds something other than finite numbers");
            else if (values.Count != K) problems.Add($"K = {K}: pi has {values.Count} weight(s); expected {K}");
            else p = values.Select(x => x!.Value).ToImmutableArray();
        }
        double? Scalar(JsonElement? e, string label)
        {
            if (e is not { } v) return null;
            if (Number(v) is { } x) return x;
            problems.Add($"K = {K}: the {label} is missing or not a finite number");
            return null;
        }
        return new SubmittedModel(K, t, p, Scalar(logL, "log-likelihood"), Scalar(bic, "BIC"));
    }

    private static Fin<Theta> ReadTheta(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            var a = Find(e, ["alpha", "alphas", "intercept", "intercepts"]);
            var b = Find(e, ["beta", "betas", "slope", "slopes", "elasticity", "elasticities"]);
            if (a is not { ValueKind: JsonValueKind.Array } av || b is not { ValueKind: JsonValueKind.Array } bv)
                return FinFail<Theta>(LanguageExt.Common.Error.New("is an object without 'alpha' and 'beta' lists"));
            var al = av.EnumerateArray().Select(Number).ToList();
            var bl = bv.EnumerateArray().Select(Number).ToList();
            if (al.Count != bl.Count || al.Count == 0 || al.Concat(bl).Any(x => x is null))
                return FinFail<Theta>(LanguageExt.Common.Error.New("needs 'alpha' and 'beta' lists of equal length holding finite numbers"));
            return Theta.Of(al.Zip(bl, (x, y) => new Segment(x!.Value, y!.Value)));
        }
        if (e.ValueKind != JsonValueKind.Array) return FinFail<Theta>(LanguageExt.Common.Error.New("is not a list of pairs [alpha, beta] or of 2K numbers"));
        return SpecInputs.ThetaFrom(e, lenient: true);
    }

    private static double? Number(JsonElement e) => SpecInputs.Lenient(e, out var v) ? v : null;

    private static int? Int(JsonElement e) =>
        Number(e) is { } v && v == Math.Floor(v) && v >= 1 && v <= 50 ? (int)v : null;

    /// <summary>Replaces the bare tokens NaN, Infinity and -Infinity (outside strings) by null.</summary>
    public static (string Text, int Replaced) ReplaceNonFinite(string text)
    {
        var sb = new StringBuilder(text.Length);
        var inString = false;
        var replaced = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (inString)
            {
                sb.Append(ch);
                if (ch == '\\' && i + 1 < text.Length) sb.Append(text[++i]);
                else if (ch == '"') inString = false;
                continue;
            }
            if (ch == '"') { inString = true; sb.Append(ch); continue; }
            var token = new[] { "-Infinity", "Infinity", "NaN" }.FirstOrDefault(t => string.CompareOrdinal(text, i, t, 0, t.Length) == 0
                && (i + t.Length == text.Length || !char.IsLetterOrDigit(text[i + t.Length])));
            if (token is not null) { sb.Append("null"); i += token.Length - 1; replaced++; continue; }
            sb.Append(ch);
        }
        return (sb.ToString(), replaced);
    }
}
