#:property AllowUnsafeBlocks=true
#:property TieredCompilation=false
// What misaligned data cost the diagonal kernels (bench/README.md, "Aligned data: measured, not kept"):
//   dotnet run bench/alignment_bench.cs -c Release
// A block of 256 rows x 20 columns (column stride 1,000 doubles, so every column has the array's alignment) and five
// weight columns, in the L1/L2 caches, read by the product's two inner loops as they stand: the diagonal moments (three
// components: v = x - m, p = v w, fma(p, v, s), t + p, eight rows to a 512-bit register) and the diagonal log-densities
// (K = 5, 64 rows: ((x - m) s)^2 summed over the columns). ns per row, best of 30 x 2,000 calls, with x and W starting on
// a 64-byte boundary, 16 bytes past one (W aligned, then W too) and 32 bytes past one. A managed array's elements start
// wherever the allocator put the object (the large arrays of the bench programs start 8 bytes before a boundary), so
// every 512-bit load of eight rows straddles two cache lines.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

const int rowsB = 256, d = 20, K = 5;
// in-L1/L2 data: a block of 256 rows x 20 columns with column stride `stride`, W 5 x 256
var stride = 1000;
var x = GC.AllocateArray<double>(d * stride + 64, pinned: true);
var W = GC.AllocateArray<double>(K * stride + 64, pinned: true);
var rnd = new Random(1);
for (var i = 0; i < x.Length; i++) x[i] = rnd.NextDouble();
for (var i = 0; i < W.Length; i++) W[i] = rnd.NextDouble();
unsafe int AlignOff(double[] a) { fixed (double* p = a) { var m = (long)p % 64; return (int)(((64 - m) % 64) / 8); } }
var ax = AlignOff(x); var aw = AlignOff(W);
Console.WriteLine($"x base offset to 64B: {ax} doubles, W {aw}");
var mu = new double[K * d]; for (var i = 0; i < mu.Length; i++) mu[i] = rnd.NextDouble();
double Moments(int xo, int wo)
{
    ref var X = ref MemoryMarshal.GetArrayDataReference(x);
    ref var Wr = ref MemoryMarshal.GetArrayDataReference(W);
    var tot = Vector512<double>.Zero;
    for (var j = 0; j < d; j++)
    {
        ref var Xj = ref Unsafe.Add(ref X, xo + j * stride);
        var N0 = Vector512.Create(mu[j]); var N1 = Vector512.Create(mu[d + j]); var N2 = Vector512.Create(mu[2 * d + j]);
        var S0 = Vector512<double>.Zero; var S1 = S0; var S2 = S0; var T0 = S0; var T1 = S0; var T2 = S0;
        ref var W0 = ref Unsafe.Add(ref Wr, wo); ref var W1 = ref Unsafe.Add(ref W0, stride); ref var W2 = ref Unsafe.Add(ref W1, stride);
        for (var r = 0; r < rowsB; r += 8)
        {
            var x8 = Vector512.LoadUnsafe(ref Xj, (nuint)r);
            var v = x8 - N0; var p = v * Vector512.LoadUnsafe(ref W0, (nuint)r); S0 = Vector512.FusedMultiplyAdd(p, v, S0); T0 += p;
            v = x8 - N1; p = v * Vector512.LoadUnsafe(ref W1, (nuint)r); S1 = Vector512.FusedMultiplyAdd(p, v, S1); T1 += p;
            v = x8 - N2; p = v * Vector512.LoadUnsafe(ref W2, (nuint)r); S2 = Vector512.FusedMultiplyAdd(p, v, S2); T2 += p;
        }
        tot += S0 + S1 + S2 + T0 + T1 + T2;
    }
    return Vector512.Sum(tot);
}
double LD(int xo)
{
    ref var X = ref MemoryMarshal.GetArrayDataReference(x);
    var tot = Vector512<double>.Zero;
    for (var r = 0; r < rowsB; r += 64)
    for (var k = 0; k < K; k++)
    {
        var q0 = Vector512<double>.Zero; var q1 = q0; var q2 = q0; var q3 = q0; var q4 = q0; var q5 = q0; var q6 = q0; var q7 = q0;
        for (var j = 0; j < d; j++)
        {
            var m = Vector512.Create(mu[k * d + j]); var s = Vector512.Create(1.5);
            ref var Xj = ref Unsafe.Add(ref X, xo + j * stride + r);
            var a0 = (Vector512.LoadUnsafe(ref Xj) - m) * s; var a1 = (Vector512.LoadUnsafe(ref Xj, 8) - m) * s;
            var a2 = (Vector512.LoadUnsafe(ref Xj, 16) - m) * s; var a3 = (Vector512.LoadUnsafe(ref Xj, 24) - m) * s;
            q0 = Vector512.FusedMultiplyAdd(a0, a0, q0); q1 = Vector512.FusedMultiplyAdd(a1, a1, q1);
            q2 = Vector512.FusedMultiplyAdd(a2, a2, q2); q3 = Vector512.FusedMultiplyAdd(a3, a3, q3);
            a0 = (Vector512.LoadUnsafe(ref Xj, 32) - m) * s; a1 = (Vector512.LoadUnsafe(ref Xj, 40) - m) * s;
            a2 = (Vector512.LoadUnsafe(ref Xj, 48) - m) * s; a3 = (Vector512.LoadUnsafe(ref Xj, 56) - m) * s;
            q4 = Vector512.FusedMultiplyAdd(a0, a0, q4); q5 = Vector512.FusedMultiplyAdd(a1, a1, q5);
            q6 = Vector512.FusedMultiplyAdd(a2, a2, q6); q7 = Vector512.FusedMultiplyAdd(a3, a3, q7);
        }
        tot += q0 + q1 + q2 + q3 + q4 + q5 + q6 + q7;
    }
    return Vector512.Sum(tot);
}
// stride 1000 doubles = 8000 B = 0 mod 64, so every column has the base's alignment
foreach (var (name, xo, wo) in new[] { ("aligned", ax, aw), ("x +16B", ax + 2, aw), ("x,W +16B", ax + 2, aw + 2), ("x +32B", ax + 4, aw + 4) })
{
    double bm = double.MaxValue, bl = double.MaxValue; double sink = 0;
    for (var rep = 0; rep < 30; rep++)
    {
        var sw = Stopwatch.StartNew(); for (var i = 0; i < 2000; i++) sink += Moments(xo, wo); bm = Math.Min(bm, sw.Elapsed.TotalSeconds * 1e9 / (2000.0 * rowsB));
        sw.Restart(); for (var i = 0; i < 2000; i++) sink += LD(xo); bl = Math.Min(bl, sw.Elapsed.TotalSeconds * 1e9 / (2000.0 * rowsB));
    }
    Console.WriteLine($"{name}: moments (3 components, d = 20) {bm:F2} ns/row, LD (K = 5) {bl:F2} ns/row  {sink:E1}");
}
