#:project ../src/Data/Data.csproj
// Latent class regression through the shared facade (LatentClassRegression.Fit), on the bundled sample:
//   dotnet run examples/regression.cs -- data/regression.csv
// Two ways in: the tool's reader (columns y, x1, x2) and plain arrays; the same fit either way.
using System.Globalization;
using Mixtures.Data;
using Mixtures.Domain;

var file = args.Length > 0 ? args[0] : "data/regression.csv";
var columns = RegressionColumns.Parse("y", "x1,x2", null, noIntercept: false).Value();
if (!RegressionInput.Read(file, columns, separator: null, dropMissing: false).TryGet(out var input, out var error))
{ Console.Error.WriteLine(error.Message); return 65; }
string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

var fit = LatentClassRegression.Fit(input.ToRows(), [1, 2, 3]).Value();   // K by BIC, as `mixtures regress --k 1..3`
Console.WriteLine($"selected K = {fit.K}, log L = {F(fit.LogLikelihood)}, BIC = {F(fit.Bic)}");
for (var c = 0; c < fit.K; c++)
{
    var cls = fit.Components.Classes[c];
    Console.WriteLine($"class {c + 1}: pi = {F(fit.Weights.Pi[c])}, beta = [{string.Join(", ", cls.Beta.Select(F))}], sigma = {F(cls.Sigma)}");
}
var se = fit.StandardErrors().Value();
Console.WriteLine($"standard errors of class 1: [{string.Join(", ", Enumerable.Range(0, columns.Coefficients.Length).Select(j => F(se.Beta[0][j].StdError)))}]");

// the same data as plain arrays: y and a row of covariates per observation (the intercept is added)
double[] y = [.. input.Y];
double[][] x = [.. Enumerable.Range(0, input.Rows).Select(i => new[] { input.Covariates[i, 0], input.Covariates[i, 1] })];
var again = LatentClassRegression.Fit(y, x, [1, 2, 3]).Value();
Console.WriteLine($"from plain arrays: K = {again.K}, same log L: {again.LogLikelihood == fit.LogLikelihood}");

// scores and labels of the first rows, and 500 rows drawn from the fit
var scores = fit.ScoreSamples(input.ToRows()).Value();
Console.WriteLine($"row 1: class {fit.Labels[0] + 1}, log f = {F(scores[0])}");
var sample = fit.Sample(500, seed: 3);
Console.WriteLine($"sampled {sample.Data.Rows} rows; class 1 drew {sample.Labels.Count(l => l == 0)}");
return 0;
