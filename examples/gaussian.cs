#:project ../src/Data/Data.csproj
// Gaussian mixture segmentation through the shared facade (GaussianMixture.Fit), on the bundled customers:
//   dotnet run examples/gaussian.cs -- data/customers.tsv
// Rows with a missing value dropped (as --drop-missing), standardized columns, K = 1..5 by BIC, then labels, densities and a sample, as scikit-learn's
// GaussianMixture offers (predict, predict_proba, score_samples, sample).
using System.Globalization;
using Mixtures.Data;
using Mixtures.Domain;
using Mixtures.Domain.Gaussian;

var file = args.Length > 0 ? args[0] : "data/customers.tsv";
string[] features = ["Income", "Recency", "MntWines", "MntMeatProducts"];
if (!DataTableCsv.Read(file, new TableRequest(features, DropMissing: true)).TryGet(out var table, out var error)) { Console.Error.WriteLine(error.Message); return 65; }
string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

var settings = GaussianSettings.Default with { Standardize = true, Seed = 42 };
var fit = GaussianMixture.Fit(table.Values, [1, 2, 3, 4, 5], settings).Value();
foreach (var k in fit.Path.Fits) Console.WriteLine($"K = {k.K}: BIC = {F(k.Bic)}{(k.K == fit.K ? "  <- selected" : "")}");
for (var c = 0; c < fit.K; c++)
    Console.WriteLine($"cluster {c + 1}: {F(100 * fit.Weights.Pi[c])}% of customers, means {string.Join(", ", features.Select((f, j) => $"{f} {F(fit.Means[c, j])}"))}");

// a new customer as a plain array: its cluster, the posterior probabilities and its log density
double[,] customer = { { 52000, 30, 400, 150 } };
var label = fit.Predict(customer).Value()[0];
var proba = fit.PredictProba(customer).Value();
var score = fit.ScoreSamples(customer).Value()[0];
Console.WriteLine($"new customer: cluster {label + 1} (P = {F(proba[0, label])}), log density {F(score)}");

var sample = fit.Sample(2000, seed: 1);
Console.WriteLine($"sampled {sample.Data.RowCount} customers; mean income {F(sample.Data.Column(0).Average())} (data: {F(table.Values.Column(0).Average())})");
return 0;
