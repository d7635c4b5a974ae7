#:project ../src/Data/Data.csproj
// The spec functions of the sales model called from a C# script, as `mixtures spec` does:
//   dotnet run examples/spec.cs -- data/sales.csv
// (Mixtures.Data gives the validated CSV reader; the math is in Mixtures.Domain).
using Mixtures.Domain;
using System.Globalization;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Data;
using static Mixtures.Domain.SalesModel;

var file = args.Length > 0 ? args[0] : "data/sales.csv";
if (!SalesCsv.Read(file).TryGet(out var input, out var error)) { Console.Error.WriteLine(error.Message); return 65; }
var y = input.LogSales;                      // T x N log sales
var X = Design(input.Prices);                // T x 2: [1, log p_t]
string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

// LogL and EStep at given parameters (the same numbers as `mixtures spec LogL|EStep --theta ... --pi ...`)
var theta = Theta.Of((2.0, -1.0), (3.5, -1.2), (5.0, -3.0));
var pi = MixingWeights.Of([0.25, 0.35, 0.4]);
Console.WriteLine($"LogL  = {R(LogL(theta, pi, y, X))}");
var W = EStep(theta, pi, y, X);              // N x K
Console.WriteLine($"W[0,] = [{string.Join(", ", W.Row(0).Select(R))}]");

// one M-step from that W (`mixtures spec MStep --weights W.csv`)
var (theta1, pi1) = MStep(y, X, W).Value();
Console.WriteLine($"MStep: {theta1} {pi1}");

// one EM run from a seeded random start and the best of several starts (`spec EM --k 3 --seed 1`, `spec Estimate --k 3`)
var em = EM(3, y, X, EmOptions.Default, seed: 1).Value();
Console.WriteLine($"EM    : logL = {R(em.LogLikelihood)} after {em.Iterations} iterations, {em.Theta}");
var best = Estimate(3, y, X, starts: 10, seed: 1).Value();
Console.WriteLine($"Estimate: logL = {R(best.LogLikelihood)}, BIC = {R(best.Bic)}, {best.Theta} {best.Pi}");
return 0;
