#:project ../src/Data/Data.csproj
// Mixtures of Poisson regressions through the GLM facade (GlmRegression.Fit), on flexmix's patent data:
//   dotnet run examples/glm.cs -- tests/reference/glm/patent.csv
// Patents ~ lgRD with K = 1..3 (K by BIC), as `mixtures regress --family poisson --y Patents --x lgRD --k 1..3`;
// then the same counts with an exposure offset, and a sample drawn from the fit.
using System.Globalization;
using Mixtures.Data;
using Mixtures.Domain;
using Mixtures.Domain.Regression;

var file = args.Length > 0 ? args[0] : "tests/reference/glm/patent.csv";
if (!DataTableCsv.Read(file, new TableRequest(["Patents", "lgRD", "RDS"])).TryGet(out var table, out var error))
{ Console.Error.WriteLine(error.Message); return 65; }
string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
var y = table.Column("Patents");
var lgRD = table.Column("lgRD");
var covariates = new double[y.Length, 1];
for (var i = 0; i < y.Length; i++) covariates[i, 0] = lgRD[i];

var fit = GlmRegression.Fit(GlmResponse.Poisson, y, covariates, [1, 2, 3]).Value();
Console.WriteLine($"selected K = {fit.K}, log L = {F(fit.LogLikelihood)} (with log y!), BIC = {F(fit.Bic)}, k = {fit.FreeParameters}");
var se = fit.StandardErrors().Value();
for (var c = 0; c < fit.K; c++)
{
    var beta = fit.Components.Classes[c].Beta;
    Console.WriteLine($"class {c + 1}: pi = {F(fit.Weights.Pi[c])}, beta = [{F(beta[0])}, {F(beta[1])}], SE = [{F(se.Beta[c][0].StdError)}, {F(se.Beta[c][1].StdError)}]");
}
var mean = fit.Mean(fit.Data.Design);
Console.WriteLine($"first company: {y[0]} patents, mixture mean {F(mean.Mixture[0])}, most likely class {fit.Labels[0] + 1}");

// patents per unit of R&D intensity: log(RDS) as an offset
var offset = table.Column("RDS").Select(v => Math.Log(v)).ToArray();
var rate = GlmRegression.Fit(GlmResponse.Poisson, y, covariates, [2], offset: offset).Value();
Console.WriteLine($"with the offset log(RDS): K = {rate.K}, log L = {F(rate.LogLikelihood)}");

var sample = fit.Sample(500, seed: 1);
Console.WriteLine($"sampled {sample.Data.Rows} companies; class sizes {string.Join(", ", Enumerable.Range(0, fit.K).Select(k => sample.Labels.Count(l => l == k)))}");
return 0;
