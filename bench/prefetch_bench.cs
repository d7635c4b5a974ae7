#:property AllowUnsafeBlocks=true
#:property TieredCompilation=false
// Why the Gaussian first-touch kernels ask for rows ahead (GaussianKernels.PrefetchRows): two measurements on
// column-major data of n = 1,000,000 rows (the column stride of the bench's data; a power of two would alias in L1).
//   dotnet run bench/prefetch_bench.cs -c Release [-- --threads 2]
// 1. Read bandwidth of 1 to 32 columns read the way the kernels read them: a block of rows of every column in turn,
//    block after block, for 256-row blocks (2 KB per column, as the kernels) and 4096-row blocks (32 KB). GB/s.
// 2. The diagonal log-density kernel (the product's AVX-512 loop: 64 rows, for each of K = 5 components the d = 20
//    columns' (x - m) s squared and summed) over the whole data, with no prefetch, PREFETCHT0 64 rows ahead, PREFETCHT1
//    256 rows ahead (the product's choice) and PREFETCHT2 1024 rows ahead, each spread over the components' passes;
//    ns per row and thread (best of seven passes), and the same kernel on 4,096 rows that stay in the L2 cache.
// The figures move with the neighbours' load: run it twice. Results in bench/README.md, "Asking for the rows ahead".
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

var threads = args.Length > 1 && args[0] == "--threads" ? int.Parse(args[1]) : Environment.ProcessorCount;
const int n = 1_000_000, d = 20, K = 5, chunk = 4096;
var rows = n / chunk * chunk;
var x = new double[n * d];
var rnd = new Random(1);
for (var i = 0; i < x.Length; i++) x[i] = rnd.NextDouble();
var mu = new double[K * d];
var inv = new double[K * d];
for (var i = 0; i < mu.Length; i++) { mu[i] = rnd.NextDouble(); inv[i] = 1 + rnd.NextDouble(); }
var dest = new double[n * K];
var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
Console.WriteLine($"{threads} threads, n = {n:N0}, {Environment.ProcessorCount} cores, AVX-512 {Vector512.IsHardwareAccelerated}");

// 1. bandwidth of s streams read in blocks of `block` rows
double Read(int from, int to, int streams, int block)
{
    Vector512<double> a0 = default, a1 = default;
    ref var X = ref MemoryMarshal.GetArrayDataReference(x);
    var colRows = n * d / streams / chunk * chunk;
    for (var b = from; b < to; b += block)
    for (var j = 0; j < streams; j++)
    for (var i = b; i < b + block; i += 16)
    {
        a0 += Vector512.LoadUnsafe(ref X, (nuint)((long)j * colRows + i));
        a1 += Vector512.LoadUnsafe(ref X, (nuint)((long)j * colRows + i + 8));
    }
    return Vector512.Sum(a0 + a1);
}
foreach (var block in new[] { 256, 4096 })
{
    Console.Write($"read, {block}-row blocks, GB/s:");
    foreach (var streams in new[] { 1, 4, 8, 12, 16, 20, 32 })
    {
        var colRows = n * d / streams / chunk * chunk;
        var best = double.MaxValue;
        for (var rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            Parallel.For(0, colRows / chunk, options, c => Read(c * chunk, c * chunk + chunk, streams, block));
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        Console.Write($"  {streams} columns {(double)colRows * streams * 8 / best / 1e9:F1}");
    }
    Console.WriteLine();
}

// 2. the diagonal log-density kernel with the prefetch variants
unsafe void Kernel(int from, int to, int kind, int ahead)
{
    ref var X = ref MemoryMarshal.GetArrayDataReference(x);
    ref var M = ref MemoryMarshal.GetArrayDataReference(mu);
    ref var S = ref MemoryMarshal.GetArrayDataReference(inv);
    ref var D = ref MemoryMarshal.GetArrayDataReference(dest);
    var h8 = Vector512.Create(-0.5);
    for (var r = from; r < to; r += 64)
    for (var k = 0; k < K; k++)
    {
        if (kind > 0 && r + ahead + 64 <= n)
            for (var jj = k; jj < d; jj += K)
            {
                var p = (double*)Unsafe.AsPointer(ref Unsafe.Add(ref X, (nint)jj * n + r + ahead));
                for (var l = 0; l < 8; l++)
                    if (kind == 1) Sse.Prefetch0(p + 8 * l);
                    else if (kind == 2) Sse.Prefetch1(p + 8 * l);
                    else Sse.Prefetch2(p + 8 * l);
            }
        var q0 = Vector512<double>.Zero; var q1 = q0; var q2 = q0; var q3 = q0; var q4 = q0; var q5 = q0; var q6 = q0; var q7 = q0;
        for (var j = 0; j < d; j++)
        {
            var m = Vector512.Create(Unsafe.Add(ref M, k * d + j));
            var s = Vector512.Create(Unsafe.Add(ref S, k * d + j));
            ref var Xj = ref Unsafe.Add(ref X, (nint)j * n + r);
            var a0 = (Vector512.LoadUnsafe(ref Xj) - m) * s; var a1 = (Vector512.LoadUnsafe(ref Xj, 8) - m) * s;
            var a2 = (Vector512.LoadUnsafe(ref Xj, 16) - m) * s; var a3 = (Vector512.LoadUnsafe(ref Xj, 24) - m) * s;
            q0 = Vector512.FusedMultiplyAdd(a0, a0, q0); q1 = Vector512.FusedMultiplyAdd(a1, a1, q1);
            q2 = Vector512.FusedMultiplyAdd(a2, a2, q2); q3 = Vector512.FusedMultiplyAdd(a3, a3, q3);
            a0 = (Vector512.LoadUnsafe(ref Xj, 32) - m) * s; a1 = (Vector512.LoadUnsafe(ref Xj, 40) - m) * s;
            a2 = (Vector512.LoadUnsafe(ref Xj, 48) - m) * s; a3 = (Vector512.LoadUnsafe(ref Xj, 56) - m) * s;
            q4 = Vector512.FusedMultiplyAdd(a0, a0, q4); q5 = Vector512.FusedMultiplyAdd(a1, a1, q5);
            q6 = Vector512.FusedMultiplyAdd(a2, a2, q6); q7 = Vector512.FusedMultiplyAdd(a3, a3, q7);
        }
        ref var Dk = ref Unsafe.Add(ref D, (nint)k * n + r);
        (q0 * h8).StoreUnsafe(ref Dk); (q1 * h8).StoreUnsafe(ref Dk, 8); (q2 * h8).StoreUnsafe(ref Dk, 16); (q3 * h8).StoreUnsafe(ref Dk, 24);
        (q4 * h8).StoreUnsafe(ref Dk, 32); (q5 * h8).StoreUnsafe(ref Dk, 40); (q6 * h8).StoreUnsafe(ref Dk, 48); (q7 * h8).StoreUnsafe(ref Dk, 56);
    }
}
var variants = new (string Name, int Kind, int Ahead)[] { ("none", 0, 0), ("T0 at 64", 1, 64), ("T1 at 256", 2, 256), ("T2 at 1024", 3, 1024) };
var bestNs = new double[variants.Length];
Array.Fill(bestNs, double.MaxValue);
var inL2 = double.MaxValue;
for (var rep = 0; rep < 7; rep++)
{
    for (var v = 0; v < variants.Length; v++)
    {
        var (_, kind, ahead) = variants[v];
        var sw = Stopwatch.StartNew();
        Parallel.For(0, rows / chunk, options, c => Kernel(c * chunk, c * chunk + chunk, kind, ahead));
        bestNs[v] = Math.Min(bestNs[v], sw.Elapsed.TotalSeconds * 1e9 / rows * Math.Min(threads, rows / chunk));
    }
    var sw2 = Stopwatch.StartNew();
    for (var it = 0; it < 20; it++) Kernel(0, chunk, 0, 0);
    inL2 = Math.Min(inL2, sw2.Elapsed.TotalSeconds * 1e9 / (20.0 * chunk));
}
Console.WriteLine("diagonal log-densities, d = 20, K = 5, ns per row and thread: " +
                  string.Join(", ", variants.Select((v, i) => $"{v.Name} {bestNs[i]:F1}")) + $"; 4,096 rows in L2 (one thread) {inL2:F1}");
