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
/// A mixture of GLMs fitted by <see cref="GlmRegression.Fit(GlmData, IEnumerable{int}?, GlmSettings?)"/>: the selected K of the
/// estimation path. Units are rows, or groups when the rows are grouped.
/// </summary>
public sealed class GlmMixtureFit : MixtureFit<GlmData, GlmComponents>
{
    private readonly Lazy<Matrix<double>> posterior;

    /// <summary>The fit of the selected K of <paramref name="path"/>, which must have one, on <paramref name="data"/>.</summary>
    public GlmMixtureFit(EstimationPath<GlmComponents> path, GlmSettings settings, GlmData data) : base(path)
    {
        Settings = settings;
        Data = data;
        posterior = new(() => GlmRegression.Responsibilities(path.Selected!.Estimate!.Best, data));
    }

    /// <summary>The settings of the estimation.</summary>
    public GlmSettings Settings { get; }

    /// <summary>The fitted data.</summary>
    public GlmData Data { get; }

    /// <summary>The response distribution.</summary>
    public GlmResponse Response => Data.Response;

    /// <inheritdoc/>
    public override Matrix<double> Responsibilities => posterior.Value;

    /// <summary>Standard errors of the selected fit from the observed information (<see cref="GlmRegression.StandardErrors"/>).</summary>
    public Fin<RegressionInference> StandardErrors() => GlmRegression.StandardErrors(Components, Weights, Data);

    /// <inheritdoc/>
    public override Fin<ImmutableArray<double>> ScoreSamples(GlmData data) =>
        Checked(data).Map(d => FitSupport.UnitLogLikelihoods(GlmRegression.Family.LogDensityMatrix(d, Components), Weights));

    /// <inheritdoc/>
    public override Fin<Matrix<double>> PredictProba(GlmData data) => Checked(data).Map(d => GlmRegression.EStep(Components, Weights, d));

    /// <summary>Each class's mean and the mixture mean for design rows X (and offsets), which need no responses.</summary>
    public RegressionPrediction Mean(Matrix<double> design, IReadOnlyList<double>? offset = null) =>
        GlmRegression.Predict(Components, Weights, Response, design, offset);

    /// <inheritdoc/>
    /// <remarks>A unit's rows (design, offset, trials) are drawn with replacement from the fitted units, its class c ~ pi, and
    /// y ~ Poisson(mu_c) or Binomial(n, p_c) row by row (MathNet's samplers). Grouped samples label their groups 0..n-1.</remarks>
    public override MixtureSample<GlmData> Sample(int n, ulong seed)
    {
        FitSupport.CheckSampleSize(n);
        var rng = Seeds.Generator(seed);
        var d = Data;
        var p = d.P;
        var y = new List<double>();
        var rows = new List<double[]>();
        var offset = new List<double>();
        var trials = new List<double>();
        var group = new List<int>();
        var labels = new int[n];
        for (var u = 0; u < n; u++)
        {
            var unit = rng.Next(d.Units);
            var c = FitSupport.Draw(Weights, rng);
            labels[u] = c;
            var beta = Components.Classes[c].Beta;
            for (var t = d.unitStart[unit]; t < d.unitStart[unit + 1]; t++)
            {
                var i = d.unitIndex[t];
                var x = new double[p];
                var eta = d.offset?[i] ?? 0.0;
                for (var j = 0; j < p; j++) { x[j] = d.x[j * d.n + i]; eta += x[j] * beta[j]; }
                var nt = d.trials?[i] ?? 1.0;
                y.Add(d.Response == GlmResponse.Poisson
                    ? Poisson.Sample(rng, Math.Exp(eta))
                    : Binomial.Sample(rng, 1.0 / (1.0 + Math.Exp(-eta)), (int)nt));
                rows.Add(x);
                if (d.offset is not null) offset.Add(d.offset[i]);
                if (!d.Trials.IsDefaultOrEmpty) trials.Add(nt);
                group.Add(u);
            }
        }
        var data = GlmData.Of(d.Response, y, Matrix<double>.Build.DenseOfRowArrays(rows), d.offset is null ? null : offset,
            d.Trials.IsDefaultOrEmpty ? null : trials, d.Grouped ? group : null).Value();
        return new MixtureSample<GlmData>(data, [.. labels]);
    }

    private Fin<GlmData> Checked(GlmData data) =>
        data.P != Data.P
            ? FinFail<GlmData>(new InvalidDataError($"the model has {Data.P} coefficients, the data's design {data.P} columns"))
            : data.Response != Data.Response
                ? FinFail<GlmData>(new InvalidDataError($"the model is {Data.Response.Name()}, the data {data.Response.Name()}"))
                : data;
}
