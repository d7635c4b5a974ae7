using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Grading;
using Mixtures.Domain.Model;
using Mixtures.Domain.Simulate;
using Mixtures.Data;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Instructor;

/// <summary>
/// Student 609948's data at 60 stores x 20 weeks (true K = 3, one small segment of 10 stores) written
/// to a file and read back, and the grader's reference fits on it (computed once for all grading tests).
/// </summary>
public sealed class GradingFixture : IDisposable
{
    public TempFolder Dir { get; } = new();
    public string DataFile => Dir.File("609948.csv");
    public Matrix<double> Y { get; }
    public Matrix<double> X { get; }
    public GradingReference Reference { get; }

    public GradingFixture()
    {
        var sample = StudentData.Simulate(StudentNumber.Parse("609948").Value(), 60, 20);
        using (var s = File.Create(DataFile)) SalesCsvWriter.Write(s, sample);
        var input = SalesCsv.Read(DataFile).Value();
        Y = input.LogSales;
        X = SalesModel.Design(input.Prices);
        Reference = GradingReference.Compute(Y, X, 4, starts: 10).Value();
    }

    /// <summary>A model as a student would report it from a fit: theta, pi, log L and the correct BIC.</summary>
    public SubmittedModel Model(Theta theta, MixingWeights pi, double logL) =>
        new(theta.K, theta, pi.Pi, logL, Selection.Bic(logL, 3 * theta.K - 1, Reference.Observations));

    /// <summary>The reference fits for K = 2, 3, 4 reported as a submission.</summary>
    public Submission Correct(string name = "correct") =>
        new(name, [.. new[] { 2, 3, 4 }.Select(k => Reference.For(k)!).Select(e => Model(e.Theta, e.Pi, e.LogLikelihood))], null, []);

    /// <summary>The reference fits for K = 2, 3, 4 as a results.json in the common student layout, optionally with a wrong BIC (k = 3K).</summary>
    public string StudentJson(bool wrongBic = false)
    {
        var models = new[] { 2, 3, 4 }.Select(k => Reference.For(k)!).ToList();
        var n = Reference.Observations;
        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["K"] = models.Select(m => m.K),
            ["Theta"] = models.Select(m => m.Theta.ToVector()),
            ["Pi"] = models.Select(m => m.Pi.Pi),
            ["Log Likelihood"] = models.Select(m => m.LogLikelihood),
            ["BIC"] = models.Select(m => wrongBic ? Selection.Bic(m.LogLikelihood, 3 * m.K, n) : m.Bic),
        });
    }

    public void Dispose() => Dir.Dispose();
}

/// <summary>The grading tests share one <see cref="GradingFixture"/> (its reference fits take a few seconds).</summary>
[CollectionDefinition(Name)]
public sealed class GradingCollection : ICollectionFixture<GradingFixture>
{
    public const string Name = "grading";
}
