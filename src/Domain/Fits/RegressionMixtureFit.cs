using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Fits;

/// <summary>
/// A latent class regression fitted by <see cref="LatentClassRegression.Fit(RegressionRows, IEnumerable{int}?, RegressionSettings?)"/>:
/// the selected K of the estimation path (flexmix's <c>getModel(stepFlexmix(...), "BIC")</c>). Units are rows, or
/// groups when the rows are grouped.
/// </summary>
/// <remarks>A class rather than a record: its final E-step is computed once, when first asked for, from the data it was
/// made with, so it offers no <c>with</c> copies that could pair that E-step with other data.</remarks>
public sealed class RegressionMixtureFit : MixtureFit<RegressionRows, RegressionComponents>
{
    private readonly Lazy<RegressionData> data;
    private readonly Lazy<Matrix<double>> posterior;

    /// <summary>The fit of the selected K of <paramref name="path"/>, which must have one, on <paramref name="rows"/>.</summary>
    public RegressionMixtureFit(EstimationPath<RegressionComponents> path, RegressionSettings settings, RegressionRows rows) : base(path)
    {
        Settings = settings;
        Rows = rows;
        data = new(() => rows.Data);
        posterior = new(() => LatentClassRegression.Responsibilities(path.Selected!.Estimate!.Best, data.Value, settings.Variance));
    }

    /// <summary>The settings of the estimation.</summary>
    public RegressionSettings Settings { get; }

    /// <summary>The fitted data (kept for the final E-step and for <see cref="Sample"/>, which draws designs from it).</summary>
    public RegressionRows Rows { get; }


    /// <inheritdoc/>
    public override Matrix<double> Responsibilities => posterior.Value;

    /// <summary>Standard errors of the selected fit from the observed information (see <see cref="LatentClassRegression.StandardErrors"/>).</summary>
    public Fin<RegressionInference> StandardErrors() =>
        LatentClassRegression.StandardErrors(Components, Weights, data.Value, Settings.Variance);

    /// <inheritdoc/>
    /// <remarks>log f(y_u | X_u) per unit (row, or group) of the new rows.</remarks>
    public override Fin<ImmutableArray<double>> ScoreSamples(RegressionRows rows) =>
        Checked(rows).Map(d => FitSupport.UnitLogLikelihoods(LatentClassRegression.Family(Settings.Variance).LogDensityMatrix(d, Components), Weights));

    /// <inheritdoc/>
    public override Fin<Matrix<double>> PredictProba(RegressionRows rows) =>
        Checked(rows).Map(d => LatentClassRegression.EStep(Components, Weights, d));

    /// <summary>The mixture mean E[y | x] = sum_c pi_c x' beta_c and each class's x' beta_c for design rows X (m x p),
    /// which need no responses (<see cref="LatentClassRegression.Predict"/>).</summary>
    public RegressionPrediction Mean(Matrix<double> design) => LatentClassRegression.Predict(Components, Weights, design);

    /// <inheritdoc/>
    /// <remarks>The design of a unit is drawn with replacement from the fitted units (a row, or a whole group with all its
    /// rows), its class c ~ pi, and y = x' beta_c + sigma_c e with e ~ N(0, 1). Grouped samples label their groups 0..n-1.</remarks>
    public override MixtureSample<RegressionRows> Sample(int n, ulong seed)
    {
        FitSupport.CheckSampleSize(n);
        var rng = Seeds.Generator(seed);
        var unitRows = UnitRows();
        var p = Rows.Design.ColumnCount;
        var y = new List<double>();
        var design = new List<double[]>();
        var group = new List<int>();
        var labels = new int[n];
        for (var u = 0; u < n; u++)
        {
            var rows = unitRows[rng.Next(unitRows.Length)];
            var c = FitSupport.Draw(Weights, rng);
            labels[u] = c;
            var cls = Components.Classes[c];
            foreach (var i in rows)
            {
                var x = Enumerable.Range(0, p).Select(j => Rows.Design[i, j]).ToArray();
                var mean = 0.0;
                for (var j = 0; j < p; j++) mean += x[j] * cls.Beta[j];
                y.Add(mean + cls.Sigma * Normal.Sample(rng, 0, 1));
                design.Add(x);
                group.Add(u);
            }
        }
        var X = Matrix<double>.Build.DenseOfRowArrays(design);
        return new MixtureSample<RegressionRows>(new RegressionRows([.. y], X, Rows.Grouped ? [.. group] : []), [.. labels]);
    }

    /// <summary>The fitted rows of every unit, units in order of first appearance.</summary>
    private int[][] UnitRows()
    {
        if (!Rows.Grouped) return Enumerable.Range(0, Rows.Rows).Select(i => new[] { i }).ToArray();
        var order = new List<int>();
        var rowsOf = new Dictionary<int, List<int>>();
        for (var i = 0; i < Rows.Rows; i++)
        {
            if (!rowsOf.TryGetValue(Rows.Group[i], out var list)) { rowsOf[Rows.Group[i]] = list = []; order.Add(Rows.Group[i]); }
            list.Add(i);
        }
        return order.Select(g => rowsOf[g].ToArray()).ToArray();
    }

    private Fin<RegressionData> Checked(RegressionRows rows) =>
        rows.Design.ColumnCount != Rows.Design.ColumnCount
            ? FinFail<RegressionData>(new InvalidDataError($"the model has {Rows.Design.ColumnCount} coefficients, the data's design {rows.Design.ColumnCount} columns"))
            : rows.Data;
}
