// Streaming EM benchmark data: writes simulated rows straight into an Arrow IPC file (the column cache that
// `mixtures cluster --stream` reads), one record batch of 1,048,576 rows at a time, so that 100,000,000 rows never
// sit in memory.
//   dotnet run --project bench/StreamBench -c Release -- OUT.arrow [--rows 100000000] [--dims 6] [--components 5] [--seed 1]
// The rows are bench/GaussianBench's (the same mixture from the same seed, each block of 65,536 rows from its own
// stream), so the first m rows of a file of n rows are GaussianBench's data for --rows m: its in-memory time per
// iteration on them is the comparison. Columns x1..xd (float64), no line column (a row's number is its index).
// With --regression: columns y, x1, x2 of the example mixture of regressions (K = 3, p = 3; RegressionTruth.Example),
// each batch of 1,048,576 rows simulated by RegressionSimulator from its own seed, for `mixtures regress --stream`.
using System.Diagnostics;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using MathNet.Numerics.Distributions;
using Mixtures.Domain.Random;

if (args.Length < 1 || args[0].StartsWith("--")) { Console.Error.WriteLine("usage: stream-bench OUT.arrow [--rows N] [--dims d] [--components K] [--seed s]"); return 64; }
var path = args[0];
var n = Arg("--rows", 100_000_000);
var d = Arg("--dims", 6);
var K = Arg("--components", 5);
var seed = (ulong)Arg("--seed", 1);
const int chunk = 65536;          // GaussianBench's stream per block of rows
const int batchRows = 16 * chunk; // 1,048,576 rows per record batch
var sw = Stopwatch.StartNew();
if (args.Contains("--regression")) return Regression(path, n, seed);

var rng = Seeds.Generator(Seeds.Derive(seed, 1));
var means = new double[K, d];
var factors = new double[K, d, d];
for (var k = 0; k < K; k++)
for (var a = 0; a < d; a++)
{
    means[k, a] = 6 * (rng.NextDouble() - 0.5);
    for (var b = 0; b <= a; b++) factors[k, a, b] = a == b ? 0.5 + rng.NextDouble() : 0.6 * (rng.NextDouble() - 0.5);
}
var builder = new Schema.Builder();
for (var j = 0; j < d; j++) builder = builder.Field(f => f.Name($"x{j + 1}").DataType(DoubleType.Default).Nullable(false));
var schema = builder.Build();
var tmp = path + ".tmp";
using (var stream = File.Create(tmp))
using (var writer = new ArrowFileWriter(stream, schema))
{
    var x = new double[(long)batchRows * d];
    for (long start = 0; start < n; start += batchRows)
    {
        var rows = (int)Math.Min(batchRows, n - start);
        var first = (int)(start / chunk);
        Parallel.For(0, (rows + chunk - 1) / chunk, c =>
        {
            var g = Seeds.Generator(Seeds.Derive(seed, 2, (ulong)(first + c)));
            var z = new double[d];
            for (var i = c * chunk; i < Math.Min(rows, (c + 1) * chunk); i++)
            {
                var k = g.Next(K);
                for (var a = 0; a < d; a++) z[a] = Normal.Sample(g, 0, 1);
                for (var a = 0; a < d; a++)
                {
                    var v = means[k, a];
                    for (var b = 0; b <= a; b++) v += factors[k, a, b] * z[b];
                    x[(long)a * rows + i] = v;
                }
            }
        });
        var arrays = new List<IArrowArray>();
        for (var j = 0; j < d; j++) arrays.Add(new DoubleArray.Builder().Append(x.AsSpan(j * rows, rows)).Build());
        using var batch = new RecordBatch(schema, arrays, rows);
        writer.WriteRecordBatch(batch);
    }
    writer.WriteEnd();
}
File.Move(tmp, path, overwrite: true);
Console.WriteLine($"wrote {n:N0} rows x {d} columns (K = {K}, seed {seed}) to {path}: {new FileInfo(path).Length / 1e9:F2} GB in {sw.Elapsed.TotalSeconds:F1} s");
return 0;

int Regression(string path, int n, ulong seed)
{
    var schema = new Schema.Builder()
        .Field(f => f.Name("y").DataType(DoubleType.Default).Nullable(false))
        .Field(f => f.Name("x1").DataType(DoubleType.Default).Nullable(false))
        .Field(f => f.Name("x2").DataType(DoubleType.Default).Nullable(false)).Build();
    var tmp = path + ".tmp";
    using (var stream = File.Create(tmp))
    using (var writer = new ArrowFileWriter(stream, schema))
    {
        for (long start = 0, batch = 0; start < n; start += batchRows, batch++)
        {
            var rows = (int)Math.Min(batchRows, n - start);
            var sample = Mixtures.Domain.Simulate.RegressionSimulator.Simulate(Mixtures.Domain.Simulate.RegressionTruth.Example, rows, Seeds.Derive(seed, 3, (ulong)batch));
            var x = sample.Covariates.ToColumnMajorArray();
            IArrowArray[] arrays =
            [
                new DoubleArray.Builder().Append(sample.Y.AsSpan()).Build(),
                new DoubleArray.Builder().Append(x.AsSpan(0, rows)).Build(),
                new DoubleArray.Builder().Append(x.AsSpan(rows, rows)).Build(),
            ];
            using var rb = new RecordBatch(schema, arrays, rows);
            writer.WriteRecordBatch(rb);
        }
        writer.WriteEnd();
    }
    File.Move(tmp, path, overwrite: true);
    Console.WriteLine($"wrote {n:N0} rows x 3 columns (y, x1, x2: the example mixture of regressions, seed {seed}) to {path}: {new FileInfo(path).Length / 1e9:F2} GB in {sw.Elapsed.TotalSeconds:F1} s");
    return 0;
}

int Arg(string name, int fallback)
{
    var i = System.Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
