using System.Collections.Immutable;
using Mixtures.Data;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Shell.Output;

/// <summary>The store attributes of <c>sales --stores --concomitant</c> at the selected K: the concomitant model, gamma's
/// standard errors (observed information with sigma fixed at 1) and each attribute's posterior-weighted mean per segment.</summary>
/// <param name="Attributes">The attributes as read (coding, columns, values per store).</param>
/// <param name="Model">The concomitant model (one row per store of the sales file).</param>
/// <param name="Weights">The selected fit's weights (gamma and the mean priors).</param>
/// <param name="Inference">Standard errors of the selected fit, or why there are none.</param>
/// <param name="Means">The attributes' means per segment.</param>
/// <param name="StoresFile">The attribute file as given.</param>
public sealed record SalesConcomitant(Concomitant Attributes, ConcomitantWeights Model, MixingWeights Weights, LanguageExt.Fin<RegressionInference> Inference,
    ImmutableArray<ConcomitantMean> Means, string StoresFile)
{
    /// <summary>gamma_2..gamma_K with SEs, or empty when the SEs are not available.</summary>
    public ImmutableArray<ImmutableArray<ParameterEstimate>> Gamma => Inference.Match(Succ: i => i.Gamma, Fail: _ => []);

    /// <summary>The attributes at the selected fit of the sales file <paramref name="input"/>.</summary>
    public static SalesConcomitant Of(Concomitant attributes, SalesEstimate selected, SalesInput input, string storesFile,
        Mixtures.Domain.Model.ObservationWeights? storeWeights = null)
    {
        var z = attributes.Model?.WithObservationWeights(storeWeights) ?? throw new ArgumentException("no concomitant model");
        var W = selected.Best.W;
        var X = SalesModel.Design(input.Prices);
        return new SalesConcomitant(attributes, z, selected.Pi,
            selected.K > 1 ? SalesModel.StandardErrors(selected.Theta, selected.Pi, input.LogSales, X, z, storeWeights) : new RegressionInference([], [], [], [], [], MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(0, 0), []),
            ConcomitantProfile.Of(W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.RowCount, W.ColumnCount, attributes.Variables, storeWeights), storesFile);
    }

    /// <summary>The results.json part: the model (terms, gamma, SEs, columns, coding) and each segment's attribute means.</summary>
    public SalesConcomitantJson Json()
    {
        string? unavailable = null;
        Inference.IfFail(e => unavailable = "not available: " + e.Message);
        var model = ConcomitantJson.From(Model, Weights, Gamma, "segment") with
        {
            Columns = Attributes.Columns,
            Categorical = Attributes.Coding is { } coding ? CategoricalCodingJson.Of(coding) : null,
            StandardErrors = unavailable,
        };
        return new SalesConcomitantJson(Path.GetFileName(StoresFile), model,
            Enumerable.Range(0, Weights.K).Select(c => new SalesSegmentMeansJson(c + 1, ConcomitantOutput.MeansJson(Means, c)!)).ToList());
    }
}

/// <summary>The store attributes in results.json: the attribute file, the concomitant model of the selected K and the attribute means per segment.</summary>
public sealed record SalesConcomitantJson(string StoresFile, ConcomitantJson Model, IReadOnlyList<SalesSegmentMeansJson> Profiles);

/// <summary>A segment's posterior-weighted attribute means (a level: its share).</summary>
public sealed record SalesSegmentMeansJson(int Segment, IReadOnlyList<ConcomitantMeanJson> ConcomitantMeans);
