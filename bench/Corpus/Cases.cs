using System.Collections.Immutable;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Bench.Corpus;

/// <summary>How the defaults are run in the check: the facades' defaults, or a budget to try.</summary>
public sealed record Budget(int? Starts = null, int? Screen = null, int? Finalists = null, Acceleration? Accelerate = null);

/// <summary>One K of a case as the defaults found it.</summary>
public sealed record DefaultK(int K, double? LogLikelihood, bool Eligible, int Iterations, bool Fragile, string? Failure);

/// <summary>A reference solution after polishing with our EM (null log L when our rules reject it).</summary>
public sealed record Polished(string Tool, double ToolLogLik, double? LogLikelihood, string? Rejected);

/// <summary>Our own many-start search for one K.</summary>
public sealed record ManyStarts(double? Best, int Reached, int Runs, int Failed);

/// <summary>A corpus case: one family on one data set (and covariance type / scaling for Gaussians), K = 1..MaxK.</summary>
public interface ICase
{
    string Id { get; }
    string Family { get; }
    string Dataset { get; }
    int Observations { get; }
    int FreeParameters(int K);
    /// <summary>The defaults (or the given budget) over K = 1..maxK: per K, and the K they select.</summary>
    (IReadOnlyList<DefaultK> Ks, int? Selected, double Seconds) Defaults(int maxK, Budget budget);
    /// <summary>Many starts of our own for one K, split starts from the best K - 1 fit found so far.</summary>
    ManyStarts Search(int K, int starts, ulong seed);
    /// <summary>The reference solutions for K, polished by our EM.</summary>
    IReadOnlyList<Polished> Polish(int K, ReferenceSet refs);
}

/// <summary>The generic part of a case: a family, its data, its fit rule and the options of the searches.</summary>
public abstract class Case<TD, TC> : ICase
{
    protected abstract IMixtureFamily<TD, TC> FamilyImpl { get; }
    protected abstract TD Data { get; }
    protected virtual FitRule<TC>? Rule => null;
    /// <summary>The tight options of the many-start search and of polishing (our default rules, tight tolerance).</summary>
    protected abstract EmOptions Tight { get; }
    private readonly Dictionary<int, EmFit<TC>> best = new();

    public abstract string Id { get; }
    public abstract string Family { get; }
    public abstract string Dataset { get; }
    public int Observations => FamilyImpl.Observations(Data);
    public int FreeParameters(int K) => FamilyImpl.ComponentParameters(Data, K) + (K - 1);
    protected abstract EstimationPath<TC> RunDefaults(int maxK, Budget budget);
    protected abstract IEnumerable<(string Tool, double ToolLogLik, Mixture<TC> Start)> References(int K, ReferenceSet refs);

    public (IReadOnlyList<DefaultK> Ks, int? Selected, double Seconds) Defaults(int maxK, Budget budget)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var path = RunDefaults(maxK, budget);
        var secs = sw.Elapsed.TotalSeconds;
        return (path.Fits.Select(f => new DefaultK(f.K, f.Estimate?.LogLikelihood, f.Eligible, f.Estimate?.Best.Iterations ?? 0,
            f.Estimate?.Fragile ?? false, f.Failure)).ToList(), path.SelectedK, secs);
    }

    public ManyStarts Search(int K, int starts, ulong seed)
    {
        best.TryGetValue(K - 1, out var previous);
        var est = Estimation.ForK(FamilyImpl, ConstantWeights.Instance, Data, K,
            new EstimationSettings(new StartPlan(starts), seed, Tight), previous, Rule);
        if (est.Estimate is not { } e) return new ManyStarts(null, 0, 0, starts);
        if (est.Eligible) best[K] = e.Best;
        return new ManyStarts(est.Eligible ? e.LogLikelihood : null, e.StartsAtBest, e.Runs, e.FailedStarts);
    }

    public IReadOnlyList<Polished> Polish(int K, ReferenceSet refs)
    {
        var list = new List<Polished>();
        foreach (var (tool, ll, start) in References(K, refs))
        {
            var L = FamilyImpl.LogDensityMatrix(Data, start.Components);
            var W0 = EmLoop.EStep(L, start.Weights.LogPi()).W;
            var fit = EmLoop.Run(FamilyImpl, Data, W0, Tight, new StartInfo(StartKind.Given, 0));
            if (!fit.TryGet(out var f, out var err)) { list.Add(new Polished(tool, ll, null, err.Message)); continue; }
            var problems = Rule?.Problems(f) ?? [];
            if (Rule is { Exclude: true } && !problems.IsEmpty) { list.Add(new Polished(tool, ll, null, problems[0])); continue; }
            list.Add(new Polished(tool, ll, f.LogLikelihood, null));
            if (!best.TryGetValue(K, out var b) || f.LogLikelihood > b.LogLikelihood) best[K] = f;
        }
        return list;
    }
}

/// <summary>Latent class regression on a data file (row or grouped data).</summary>
public sealed class RegressionCase : Case<RegressionData, RegressionComponents>
{
    private readonly RegressionData data;
    private readonly string name, y;
    private readonly string[] x;
    private readonly string? group;
    private static readonly RegressionFamily family = LatentClassRegression.Family(VarianceModel.PerClass);

    public RegressionCase(string name, string file, string y, string[] x, string? group = null)
    {
        this.name = name; this.y = y; this.x = x; this.group = group;
        var t = Csv.Read(file);
        var X = Matrix<double>.Build.Dense(t.Rows, x.Length, (i, j) => t[x[j]][i]);
        data = LatentClassRegression.Data(t[y], LatentClassRegression.Design(X), group is null ? null : t[group].Select(v => (int)v).ToArray());
    }

    public override string Id => $"regression/{name}{(group is null ? "" : "-grouped-" + group)}";
    public override string Family => "regression";
    public override string Dataset => $"{name}: {y} ~ {string.Join(" + ", x)}{(group is null ? "" : $" | {group}")}";
    protected override IMixtureFamily<RegressionData, RegressionComponents> FamilyImpl => family;
    protected override RegressionData Data => data;
    protected override EmOptions Tight => RegressionSettings.Default.EmOptions with { Tolerance = 1e-10, MaxIterations = 20000 };

    protected override EstimationPath<RegressionComponents> RunDefaults(int maxK, Budget b)
    {
        var s = RegressionSettings.Default with
        {
            Starts = b.Starts ?? RegressionSettings.DefaultStarts, ScreenIterations = b.Screen ?? RegressionSettings.DefaultScreenIterations,
            Finalists = b.Finalists ?? RegressionSettings.DefaultFinalists, Accelerate = b.Accelerate ?? Acceleration.Squarem,
        };
        return LatentClassRegression.Estimate(Enumerable.Range(1, maxK), data, s).Value();
    }

    protected override IEnumerable<(string, double, Mixture<RegressionComponents>)> References(int K, ReferenceSet refs)
    {
        foreach (var (tool, sol) in refs.Regression(name, group, K))
            yield return (tool, sol.LogLik, new Mixture<RegressionComponents>(
                new RegressionComponents(Enumerable.Range(0, K).Select(c => new RegressionClass(sol.Beta[c].ToImmutableArray(), sol.Sigma[c])).ToImmutableArray()),
                MixingWeights.Normalised(sol.Pi)));
    }
}

/// <summary>The store-sales panel model on a sales file or a simulated student file.</summary>
public sealed class SalesCase : Case<RegressionData, RegressionComponents>
{
    private readonly RegressionData data;
    private readonly Matrix<double> y, X;
    private readonly string name;

    public SalesCase(string name, Matrix<double> logSales, Matrix<double> X)
    {
        this.name = name; y = logSales; this.X = X;
        data = RegressionData.Panel(logSales, X);
    }

    public static SalesCase FromFile(string name, string file)
    {
        var input = Mixtures.Data.SalesCsv.Read(file).Value();
        return new SalesCase(name, input.LogSales, SalesModel.Design(input.Prices));
    }

    public static SalesCase Student(string number)
    {
        var s = StudentData.Simulate(StudentNumber.Parse(number).Value());
        return new SalesCase($"student {number}", s.Sales.Map(Math.Log), SalesModel.Design(s.Prices));
    }

    public override string Id => $"sales/{name}";
    public override string Family => "sales";
    public override string Dataset => name;
    protected override IMixtureFamily<RegressionData, RegressionComponents> FamilyImpl => SalesModel.Family;
    protected override RegressionData Data => data;
    protected override EmOptions Tight => SalesModel.EstimationOptions with { Tolerance = 1e-10, MaxIterations = 20000 };

    protected override EstimationPath<RegressionComponents> RunDefaults(int maxK, Budget b) =>
        SalesModel.EstimatePath(Enumerable.Range(1, maxK), y, X, new EstimationSettings(
            new StartPlan(b.Starts ?? SalesModel.DefaultStarts, b.Screen ?? RegressionSettings.DefaultScreenIterations, b.Finalists ?? RegressionSettings.DefaultFinalists),
            1, SalesModel.EstimationOptions with { Accelerate = b.Accelerate ?? Acceleration.Squarem }));

    protected override IEnumerable<(string, double, Mixture<RegressionComponents>)> References(int K, ReferenceSet refs) => [];
}

/// <summary>A Gaussian mixture of one covariance type on a data set, raw or standardized.</summary>
public sealed class GaussianCase : Case<GaussianData, GaussianComponents>
{
    private readonly GaussianData raw, fitted;
    private readonly string name;
    private readonly CovarianceType type;
    private readonly bool standardized;
    private readonly GaussianSettings settings;
    private readonly FitRule<GaussianComponents> rule;

    public GaussianCase(string name, string file, CovarianceType type, bool standardized, string[]? columns = null)
    {
        this.name = name; this.type = type; this.standardized = standardized;
        var t = Csv.Read(file);
        var cols = columns ?? t.Columns;
        raw = GaussianData.Of(Matrix<double>.Build.Dense(t.Rows, cols.Length, (i, j) => t[cols[j]][i]), cols).Value();
        settings = new GaussianSettings(type, Standardize: standardized);
        fitted = GaussianMixture.Prepare(raw, settings).Value().Data;
        rule = GaussianMixture.Rule(settings, fitted);
    }

    public override string Id => $"gaussian/{name}/{(standardized ? "std" : "raw")}/{type.Name()}";
    public override string Family => "gaussian";
    public override string Dataset => name;
    public string Covariance => type.Name();
    public bool Standardized => standardized;
    protected override IMixtureFamily<GaussianData, GaussianComponents> FamilyImpl => settings.Family;
    protected override GaussianData Data => fitted;
    protected override FitRule<GaussianComponents>? Rule => rule;
    protected override EmOptions Tight => settings.EmOptions with { Tolerance = 1e-13, MaxIterations = 20000 };

    protected override EstimationPath<GaussianComponents> RunDefaults(int maxK, Budget b)
    {
        var s = settings with
        {
            Starts = b.Starts ?? GaussianSettings.DefaultStarts, ScreenIterations = b.Screen ?? GaussianSettings.DefaultScreenIterations,
            Finalists = b.Finalists ?? GaussianSettings.DefaultFinalists, Accelerate = b.Accelerate ?? Acceleration.Squarem,
        };
        // the path itself, also when no K is eligible (GaussianMixture.Estimate then fails)
        return Estimation.Path(s.Family, ConstantWeights.Instance, fitted, Enumerable.Range(1, maxK), s.Estimation, SelectionCriterion.Bic, GaussianMixture.Rule(s, fitted));
    }

    protected override IEnumerable<(string, double, Mixture<GaussianComponents>)> References(int K, ReferenceSet refs)
    {
        var d = raw.D;
        foreach (var (tool, sol) in refs.Gaussian(name, standardized, type, K))
        {
            var cov = GaussianReference.CovarianceIn(type, K, d, sol);
            if (!GaussianComponents.Create(type, K, d, sol.Means.SelectMany(m => m).ToArray(), cov, raw.Columns).TryGet(out var c, out _)) continue;
            yield return (tool, sol.LogLik, new Mixture<GaussianComponents>(c, MixingWeights.Normalised(sol.Weights)));
        }
    }
}

/// <summary>A small invariant-culture CSV reader for the corpus files (header row, numeric columns).</summary>
public sealed class Csv
{
    public string[] Columns { get; }
    private readonly Dictionary<string, double[]> values;
    public int Rows { get; }
    public double[] this[string column] => values[column];

    private Csv(string[] columns, Dictionary<string, double[]> values, int rows) { Columns = columns; this.values = values; Rows = rows; }

    public static Csv Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var sep = lines[0].Contains('\t') ? '\t' : ',';
        var names = lines[0].Split(sep).Select(h => h.Trim('"')).ToArray();
        var cols = names.Select(_ => new List<double>()).ToArray();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(sep);
            for (var j = 0; j < names.Length; j++)
                cols[j].Add(double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN);
        }
        var ok = Enumerable.Range(0, names.Length).Where(j => cols[j].All(double.IsFinite)).ToArray();
        return new Csv(ok.Select(j => names[j]).ToArray(), ok.ToDictionary(j => names[j], j => cols[j].ToArray()), lines.Length - 1);
    }
}
