#:project ../src/Domain/Domain.csproj
// Only the math: a student's data set built in memory from the student number, the log-likelihood
// at the true parameters and the best fit for K = 2, 3, 4 with BIC (in memory, so the values differ
// slightly from those of the written file, which keeps 10 significant digits).
//   dotnet run examples/student.cs -- 609948
using Mixtures.Domain;
using System.Globalization;
using Mixtures.Domain.Em;
using Mixtures.Domain.Simulate;
using static Mixtures.Domain.SalesModel;

var student = StudentNumber.Parse(args.Length > 0 ? args[0] : "609948").Value();
var sample = StudentData.Simulate(student, stores: 300, weeks: 52);
var y = sample.Sales.Map(Math.Log);          // T x N log sales
var X = Design(sample.Prices);               // T x 2
string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

Console.WriteLine($"student {student}: true K = {sample.Truth.K}, {sample.Truth.Theta}, {sample.Truth.Pi}");
Console.WriteLine($"LogL at the truth = {F(LogL(sample.Truth.Theta, sample.Truth.Pi, y, X))}");
foreach (var e in EstimateMany([2, 3, 4], y, X, starts: 10, seed: 1).Value())
    Console.WriteLine($"K = {e.K}: logL = {F(e.LogLikelihood)}, BIC = {F(e.Bic)}, {e.Theta}");
