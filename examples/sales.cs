#:project ../src/Data/Data.csproj
// The store-sales segment model through the facade every family shares (SalesModel.Fit), on the bundled sample:
//   dotnet run examples/sales.cs -- data/sales.csv
// Reads the file with the tool's validated reader, fits K = 2, 3, 4, prints the selected segments, labels stores,
// scores them, and checks the fit on stores sampled from it.
using System.Globalization;
using Mixtures.Data;
using Mixtures.Domain;

var file = args.Length > 0 ? args[0] : "data/sales.csv";
if (!SalesCsv.Read(file).TryGet(out var input, out var error)) { Console.Error.WriteLine(error.Message); return 65; }
string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

var fit = SalesModel.Fit(input.Panel, [2, 3, 4]).Value();          // the same search as `mixtures sales`
foreach (var k in fit.Path.Fits) Console.WriteLine($"K = {k.K}: log L = {F(k.LogLikelihood)}, BIC = {F(k.Bic)}");
Console.WriteLine($"selected K = {fit.K}: {fit.Theta} {fit.Weights}");

var labels = fit.Labels;                                           // one segment per store (0-based)
var scores = fit.ScoreSamples(input.Panel).Value();                // log f(y_i) per store; they add up to log L
Console.WriteLine($"store {input.StoreNames[0]}: segment {labels[0] + 1}, P = {F(fit.Responsibilities[0, labels[0]])}, log f = {F(scores[0])}");
Console.WriteLine($"sum of store scores = {F(scores.Sum())} (log L = {F(fit.LogLikelihood)})");

// 1,000 new stores at the same prices, drawn from the fit, and their predicted segments
var sample = fit.Sample(1000, seed: 7);
var predicted = fit.Predict(sample.Data).Value();
var agree = Enumerable.Range(0, 1000).Count(i => predicted[i] == sample.Labels[i]);
Console.WriteLine($"sampled stores given their own segment: {agree} of 1000");
return 0;
