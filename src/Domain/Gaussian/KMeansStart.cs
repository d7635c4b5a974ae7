using System.Buffers;
using System.Numerics;

namespace Mixtures.Domain.Gaussian;

/// <summary>
/// The default start: k-means++ seeding (Arthur and Vassilvitskii 2007: the first centre a uniformly
/// drawn row, each next centre a row drawn with probability proportional to its squared distance
/// D(x)^2 to the nearest centre so far) followed by Lloyd iterations until no row changes cluster
/// (at most <see cref="LloydIterations"/>) (assign each row to its nearest centre, lowest index on ties; move each centre to the
/// mean of its rows; a centre that loses all its rows stays where it is). Distances and sums run over
/// fixed chunks added in order, so the partition does not depend on the thread count.
/// </summary>
/// <remarks>scikit-learn's <c>GaussianMixture(init_params="kmeans")</c> runs <c>KMeans(n_init=1)</c>
/// with greedy k-means++ (several candidates per centre) to convergence; here plain k-means++.</remarks>
public static class KMeansStart
{
    /// <summary>At most this many Lloyd iterations after seeding (scikit-learn's KMeans max_iter); they
    /// stop as soon as no row changes cluster.</summary>
    public const int LloydIterations = 300;

    /// <summary>The k-means++ centres (K x d row-major) drawn with <paramref name="rng"/>.</summary>
    public static double[] Seed(GaussianData data, int K, System.Random rng)
    {
        var n = data.N;
        var d = data.D;
        var centers = new double[K * d];
        var first = rng.Next(n);
        for (var j = 0; j < d; j++) centers[j] = data[first, j];
        // scratch from the shared pool (a start of a large data set would otherwise leave n doubles behind)
        var d2 = ArrayPool<double>.Shared.Rent(n);
        try { Seed(data, K, rng, centers, d2); }
        finally { ArrayPool<double>.Shared.Return(d2); }
        return centers;
    }

    /// <summary>Centres 1..K-1 drawn into <paramref name="centers"/> (centre 0 set), with the squared distance of every row
    /// to its nearest centre in the first n entries of <paramref name="d2"/> (the first call writes all of them).</summary>
    private static void Seed(GaussianData data, int K, System.Random rng, double[] centers, double[] d2)
    {
        var n = data.N;
        var d = data.D;
        Distances(data, centers, 0, d2, first: true);
        var chunks = GaussianKernels.Chunks(n);
        var partial = new double[chunks];
        for (var k = 1; k < K; k++)
        {
            GaussianKernels.ForEachChunk(n, ch =>
            {
                var start = ch * GaussianKernels.Chunk;
                partial[ch] = GaussianKernels.Sum(new ReadOnlySpan<double>(d2, start, Math.Min(n, start + GaussianKernels.Chunk) - start));
            });
            var total = 0.0;
            for (var ch = 0; ch < chunks; ch++) total += partial[ch];
            var u = rng.NextDouble() * total;
            var pick = -1;
            if (total > 0)
            {
                var acc = 0.0;
                var c = 0;
                while (c < chunks - 1 && acc + partial[c] <= u) { acc += partial[c]; c++; }
                var end = Math.Min(n, (c + 1) * GaussianKernels.Chunk);
                for (var i = c * GaussianKernels.Chunk; i < end; i++)
                {
                    if (d2[i] <= 0) continue;
                    pick = i;
                    acc += d2[i];
                    if (acc > u) break;
                }
            }
            // no row is away from the centres (fewer distinct rows than K): reuse row 0; the empty
            // component then ends the start with a clear error
            if (pick < 0) pick = 0;
            for (var j = 0; j < d; j++) centers[k * d + j] = data[pick, j];
            Distances(data, centers, k, d2, first: false);
        }
    }

    /// <summary>Hard labels (0-based) from k-means++ seeding and Lloyd iterations.</summary>
    public static int[] Labels(GaussianData data, int K, System.Random rng)
    {
        var labels = new int[data.N];
        Labels(data, K, rng, labels);
        return labels;
    }

    /// <summary><see cref="Labels(GaussianData, int, System.Random)"/> into the first n entries of <paramref name="labels"/>.</summary>
    public static void Labels(GaussianData data, int K, System.Random rng, int[] labels)
    {
        var n = data.N;
        var d = data.D;
        if (labels.Length < n) throw new ArgumentException($"{labels.Length} labels for {n} rows");
        var centers = Seed(data, K, rng);
        labels.AsSpan(0, n).Fill(-1);
        var chunks = GaussianKernels.Chunks(n);
        var size = K * (d + 1);
        var partial = new double[chunks * size];
        var changed = new int[chunks];
        for (var it = 0; it < LloydIterations + 1; it++)
        {
            Assign(data, centers, K, labels, changed);
            if (changed.Sum() == 0 || it == LloydIterations) break;
            System.Array.Clear(partial);
            GaussianKernels.ForEachChunk(n, ch =>
            {
                var start = ch * GaussianKernels.Chunk;
                var end = Math.Min(n, start + GaussianKernels.Chunk);
                var off = ch * size;
                for (var i = start; i < end; i++) partial[off + labels[i] * (d + 1)] += 1;
                for (var j = 0; j < d; j++)
                    for (var i = start; i < end; i++) partial[off + labels[i] * (d + 1) + 1 + j] += data.x[j * n + i];
            });
            var sums = new double[size];
            for (var ch = 0; ch < chunks; ch++)
                for (var t = 0; t < size; t++) sums[t] += partial[ch * size + t];
            for (var k = 0; k < K; k++)
            {
                var count = sums[k * (d + 1)];
                if (count == 0) continue;
                for (var j = 0; j < d; j++) centers[k * d + j] = sums[k * (d + 1) + 1 + j] / count;
            }
        }
    }

    /// <summary>d2[i] = ||x_i - c_k||^2 (first) or min(d2[i], ||x_i - c_k||^2).</summary>
    private static void Distances(GaussianData data, double[] centers, int k, double[] d2, bool first)
    {
        var n = data.N;
        var d = data.D;
        GaussianKernels.ForEachChunk(n, ch =>
        {
            var start = ch * GaussianKernels.Chunk;
            var end = Math.Min(n, start + GaussianKernels.Chunk);
            var buf = ArrayPool<double>.Shared.Rent(end - start);
            try
            {
                var q = new Span<double>(buf, 0, end - start);
                SquaredDistances(data, centers, k, start, q);
                for (var r = 0; r < q.Length; r++)
                    d2[start + r] = first ? q[r] : Math.Min(d2[start + r], q[r]);
            }
            finally { ArrayPool<double>.Shared.Return(buf); }
        });
    }

    /// <summary>
    /// q[r] = ||x_r - c_k||^2 / 4^E with E the largest unit exponent of the columns
    /// (<see cref="GaussianData.UnitExponent"/>, 0 for ordinary data): one common power-of-two unit keeps
    /// the metric (and so every choice of k-means) while squares of columns near the limits of the
    /// double range neither overflow nor underflow. Summed over j in order; for ordinary data SIMD over
    /// rows with separate multiplies and adds (no fused multiply-add), so every row's sum is the same as
    /// one row at a time.
    /// </summary>
    private static void SquaredDistances(GaussianData data, double[] centers, int k, int start, Span<double> q)
    {
        var n = data.N;
        var d = data.D;
        var E = data.UnitExponent.Max();
        var w = Vector<double>.Count;
        q.Clear();
        for (var j = 0; j < data.D; j++)
        {
            var c = centers[k * d + j];
            var cv = new Vector<double>(c);
            var col = new ReadOnlySpan<double>(data.x, j * n + start, q.Length);
            if (E == 0)
            {
                var r = 0;
                for (; r + w <= q.Length; r += w)
                {
                    var v = new Vector<double>(col.Slice(r, w)) - cv;
                    (new Vector<double>(q.Slice(r, w)) + v * v).CopyTo(q.Slice(r, w));
                }
                for (; r < q.Length; r++) { var v = col[r] - c; q[r] += v * v; }
            }
            else
            {
                var iu = Math.ScaleB(1.0, -E);
                var ci = c * iu;
                for (var r = 0; r < q.Length; r++) { var v = col[r] * iu - ci; q[r] += v * v; }
            }
        }
    }

    private static void Assign(GaussianData data, double[] centers, int K, int[] labels, int[] changed)
    {
        var n = data.N;
        GaussianKernels.ForEachChunk(n, ch =>
        {
            var start = ch * GaussianKernels.Chunk;
            var end = Math.Min(n, start + GaussianKernels.Chunk);
            var len = end - start;
            var pool = ArrayPool<double>.Shared;
            var best = pool.Rent(len);
            var q = pool.Rent(len);
            try
            {
                var bs = new Span<double>(best, 0, len);
                var qs = new Span<double>(q, 0, len);
                Span<int> lab = stackalloc int[len]; // at most a chunk: 16 KB
                SquaredDistances(data, centers, 0, start, bs);
                for (var k = 1; k < K; k++)
                {
                    SquaredDistances(data, centers, k, start, qs);
                    for (var r = 0; r < len; r++)
                        if (qs[r] < bs[r]) { bs[r] = qs[r]; lab[r] = k; }
                }
                var c = 0;
                for (var r = 0; r < len; r++)
                {
                    if (labels[start + r] != lab[r]) c++;
                    labels[start + r] = lab[r];
                }
                changed[ch] = c;
            }
            finally { pool.Return(best); pool.Return(q); }
        });
    }
}
