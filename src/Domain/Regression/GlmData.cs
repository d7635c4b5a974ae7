using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Regression;

/// <summary>The response distribution of a generalized linear model, each with its canonical link.</summary>
public enum GlmResponse
{
    /// <summary>Counts y in {0, 1, 2, ...}: y ~ Poisson(mu), log mu = x'beta + offset.</summary>
    Poisson,
    /// <summary>Successes y out of n trials: y ~ Binomial(n, p), logit p = x'beta (n = 1 for 0/1 responses).</summary>
    Binomial,
}

/// <summary>Names of response families in output and on the command line.</summary>
public static class GlmResponses
{
    /// <summary>"poisson" or "binomial" (R's family names).</summary>
    public static string Name(this GlmResponse response) => response switch
    {
        GlmResponse.Poisson => "poisson",
        GlmResponse.Binomial => "binomial",
        _ => throw new ArgumentOutOfRangeException(nameof(response)),
    };

    /// <summary>The link function's name ("log", "logit").</summary>
    public static string Link(this GlmResponse response) => response switch
    {
        GlmResponse.Poisson => "log",
        GlmResponse.Binomial => "logit",
        _ => throw new ArgumentOutOfRangeException(nameof(response)),
    };
}

/// <summary>
/// The validated rows of a mixture of generalized linear models: responses y (n), the design X (n x p, intercept
/// column included when wanted), an optional offset per row (added to the linear predictor; Poisson exposure as
/// log t), the binomial trials n_i (1 for 0/1 responses) and optionally a group per row (rows of a group share one
/// latent class: flexmix's <c>y ~ x | id</c>). Make it with <see cref="Of"/>, which checks every value.
/// </summary>
/// <remarks>
/// The data keep the rows themselves (column-major X), since the weighted IRLS of the M-step needs them, and the
/// constant part of every row's log-density, c_i = -log y_i! (Poisson) or log C(n_i, y_i) (binomial), summed per unit,
/// so that the log-densities are exact (flexmix's <c>dpois</c>/<c>dbinom</c> with <c>log = TRUE</c>).
/// </remarks>
public sealed class GlmData
{
    /// <summary>The response distribution.</summary>
    public GlmResponse Response { get; }
    /// <summary>The responses y (counts, or successes).</summary>
    public ImmutableArray<double> Y { get; }
    /// <summary>The n x p design.</summary>
    public Matrix<double> Design { get; }
    /// <summary>The offset of every row (empty: none).</summary>
    public ImmutableArray<double> Offset { get; }
    /// <summary>The binomial trials n_i of every row (empty for Poisson).</summary>
    public ImmutableArray<double> Trials { get; }
    /// <summary>The group label of every row (empty: every row is its own unit).</summary>
    public ImmutableArray<int> Group { get; }

    /// <summary>Rows n (n in BIC).</summary>
    public int Rows => n;
    /// <summary>Coefficients p.</summary>
    public int P => p;
    /// <summary>Units carrying a latent class: groups, or rows.</summary>
    public int Units => units;
    /// <summary>Whether rows are grouped.</summary>
    public bool Grouped => rowUnit is not null;
    /// <summary>The unit of every row (units numbered in order of first appearance), or null when every row is its own unit.</summary>
    public IReadOnlyList<int>? RowUnit => rowUnit;
    /// <summary>Rows per unit.</summary>
    public IReadOnlyList<int> UnitRows => unitRows;
    /// <summary>sum_i c_i: the part of log L that does not depend on the parameters (-sum log y_i! or sum log C(n_i, y_i)).</summary>
    public double LogConstant { get; }
    /// <summary>Root mean square of every column of X (1 for a zero column): the scale of the coefficient coordinates.</summary>
    public IReadOnlyList<double> ColumnRms => columnRms;

    /// <summary>The observation weight of every unit (a row, or a group), or null without weights.</summary>
    public ObservationWeights? Weights => weights;

    /// <summary>n in BIC: sum_u w_u n_u with observation weights, else <see cref="Rows"/>.</summary>
    public double WeightedObservations => weights is null ? n : weights.Observations(unitRows);

    private ObservationWeights? weights;

    /// <summary>The same data with observation weights, one per unit (null: none).</summary>
    /// <exception cref="ArgumentException">The number of weights is not the number of units.</exception>
    public GlmData WithWeights(ObservationWeights? w)
    {
        if (w is not null && w.Count != units) throw new ArgumentException($"{w.Count} observation weights for {units} units");
        var copy = (GlmData)MemberwiseClone();
        copy.weights = w;
        return copy;
    }

    internal readonly int n;
    internal readonly int p;
    internal readonly int units;
    internal readonly double[] y;
    internal readonly double[] x;          // column-major: x[j * n + i]
    internal readonly double[]? offset;
    internal readonly double[]? trials;
    internal readonly int[]? rowUnit;
    internal readonly int[] unitRows;
    internal readonly int[] unitStart;     // CSR: rows of unit u are unitIndex[unitStart[u] .. unitStart[u + 1])
    internal readonly int[] unitIndex;
    internal readonly double[] unitConstant; // sum of c_i over the unit's rows
    internal readonly double[] columnRms;

    private GlmData(GlmResponse response, ImmutableArray<double> yv, Matrix<double> design, ImmutableArray<double> off, ImmutableArray<double> tr,
        ImmutableArray<int> group)
    {
        Response = response; Y = yv; Design = design; Offset = off; Trials = tr; Group = group;
        n = yv.Length;
        p = design.ColumnCount;
        y = [.. yv];
        x = design.ToColumnMajorArray();
        offset = off.IsDefaultOrEmpty ? null : [.. off];
        trials = response == GlmResponse.Binomial ? (tr.IsDefaultOrEmpty ? Enumerable.Repeat(1.0, n).ToArray() : [.. tr]) : null;
        if (!group.IsDefaultOrEmpty)
        {
            var index = new Dictionary<int, int>();
            rowUnit = new int[n];
            for (var i = 0; i < n; i++)
            {
                if (!index.TryGetValue(group[i], out var u)) { u = index.Count; index[group[i]] = u; }
                rowUnit[i] = u;
            }
            units = index.Count;
        }
        else units = n;
        unitRows = new int[units];
        for (var i = 0; i < n; i++) unitRows[rowUnit?[i] ?? i]++;
        unitStart = new int[units + 1];
        for (var u = 0; u < units; u++) unitStart[u + 1] = unitStart[u] + unitRows[u];
        unitIndex = new int[n];
        var fill = (int[])unitStart.Clone();
        for (var i = 0; i < n; i++) unitIndex[fill[rowUnit?[i] ?? i]++] = i;
        unitConstant = new double[units];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var c = RowConstant(response, y[i], trials?[i] ?? 0);
            unitConstant[rowUnit?[i] ?? i] += c;
            total += c;
        }
        LogConstant = total;
        columnRms = new double[p];
        for (var j = 0; j < p; j++)
        {
            var ss = 0.0;
            for (var i = 0; i < n; i++) ss += x[j * n + i] * x[j * n + i];
            var rms = Math.Sqrt(ss / Math.Max(1, n));
            columnRms[j] = rms > 0 && double.IsFinite(rms) ? rms : 1.0;
        }
    }

    /// <summary>c_i = -log y! (Poisson) or log C(n, y) (binomial), by log-gamma (MathNet's <c>SpecialFunctions.GammaLn</c>).</summary>
    public static double RowConstant(GlmResponse response, double y, double trials) => response switch
    {
        GlmResponse.Poisson => -LogFactorial(y),
        GlmResponse.Binomial => LogFactorial(trials) - LogFactorial(y) - LogFactorial(trials - y),
        _ => throw new ArgumentOutOfRangeException(nameof(response)),
    };

    /// <summary>log k! for a whole number k &gt;= 0 (exact table for small k, log-gamma beyond).</summary>
    public static double LogFactorial(double k) =>
        k < 1024 ? SpecialFunctions.FactorialLn((int)k) : SpecialFunctions.GammaLn(k + 1);

    /// <summary>Largest count accepted (2^52: every whole number up to it is a double).</summary>
    public const double MaxCount = 4503599627370496.0;

    /// <summary>
    /// The data of a GLM mixture, every value checked: y, X, the offset and the trials finite; Poisson counts whole
    /// numbers &gt;= 0; binomial trials whole numbers &gt;= 1 and successes whole numbers in 0..trials (trials empty: 0/1
    /// responses). An offset is for the Poisson family only here (as <c>mixtures regress --offset</c>). Fails with a
    /// <see cref="RowValueError"/> naming the row (0-based) and the column ("y", "offset", "trials", "x1", ...).
    /// </summary>
    public static Fin<GlmData> Of(GlmResponse response, IReadOnlyList<double> y, Matrix<double> design,
        IReadOnlyList<double>? offset = null, IReadOnlyList<double>? trials = null, IReadOnlyList<int>? group = null)
    {
        var n = y.Count;
        if (design.RowCount != n) return FinFail<GlmData>(new InvalidDataError($"y has {n} values but the design has {design.RowCount} rows"));
        if (design.ColumnCount == 0) return FinFail<GlmData>(new InvalidDataError("the design has no columns (no covariates and no intercept)"));
        if (n == 0) return FinFail<GlmData>(new InvalidDataError("no rows"));
        if (offset is not null && offset.Count != n) return FinFail<GlmData>(new InvalidDataError($"{offset.Count} offsets for {n} rows"));
        if (trials is not null && trials.Count != n) return FinFail<GlmData>(new InvalidDataError($"{trials.Count} trial counts for {n} rows"));
        if (group is not null && group.Count != n) return FinFail<GlmData>(new InvalidDataError($"{group.Count} group labels for {n} rows"));
        if (trials is not null && response != GlmResponse.Binomial) return FinFail<GlmData>(new InvalidDataError("trials are given for the binomial family only"));
        for (var i = 0; i < n; i++)
        {
            if (ResponseProblem(response, y[i], trials?[i]) is { } why) return FinFail<GlmData>(new RowValueError(i, why.Column, why.Reason));
            if (offset is not null && !double.IsFinite(offset[i])) return FinFail<GlmData>(new RowValueError(i, "offset", $"{offset[i]} is not a finite number"));
            for (var j = 0; j < design.ColumnCount; j++)
                if (!double.IsFinite(design[i, j])) return FinFail<GlmData>(new RowValueError(i, $"x{j + 1}", $"{design[i, j]} is not a finite number"));
        }
        return new GlmData(response, [.. y], design.Clone(), offset is null ? [] : [.. offset], trials is null ? [] : [.. trials], group is null ? [] : [.. group]);
    }

    /// <summary>Why a response (and its trials) cannot be one of the family, naming the column ("y" or "trials"), or null.</summary>
    public static (string Column, string Reason)? ResponseProblem(GlmResponse response, double y, double? trials)
    {
        static string N(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        static bool Whole(double v) => Math.Floor(v) == v;
        if (!double.IsFinite(y)) return ("y", $"{N(y)} is not a finite number");
        switch (response)
        {
            case GlmResponse.Poisson:
                if (y < 0) return ("y", $"{N(y)} is negative; a Poisson response is a count 0, 1, 2, ...");
                if (!Whole(y)) return ("y", $"{N(y)} is not a whole number; a Poisson response is a count 0, 1, 2, ...");
                if (y > MaxCount) return ("y", $"{N(y)} is above the largest count accepted (2^52)");
                return null;
            case GlmResponse.Binomial:
                var t = trials ?? 1.0;
                if (trials is { } tv)
                {
                    if (!double.IsFinite(tv)) return ("trials", $"{N(tv)} is not a finite number");
                    if (tv < 1 || !Whole(tv)) return ("trials", $"{N(tv)} is not a whole number of trials of at least 1");
                    if (tv > MaxCount) return ("trials", $"{N(tv)} is above the largest count accepted (2^52)");
                }
                if (!Whole(y) || y < 0 || y > t)
                    return ("y", trials is null
                        ? $"{N(y)} is not 0 or 1; a binomial response without trials is 0/1 (give the trials column for successes out of trials)"
                        : $"{N(y)} is not a whole number of successes between 0 and the trials ({N(t)})");
                return null;
            default: throw new ArgumentOutOfRangeException(nameof(response));
        }
    }

    /// <summary>These rows' responses with other values (the same design, offset, trials and groups): for samples.</summary>
    internal GlmData WithY(double[] newY) => new GlmData(Response, [.. newY], Design, Offset, Trials, Group).WithWeights(weights);
}
