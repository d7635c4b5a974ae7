using System.Buffers;
using System.Collections.Immutable;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Regression;

/// <summary>
/// Mixture of generalized linear models with canonical links: Poisson (log link, optional offset) and binomial
/// (logit link, successes out of n_i trials). For unit u (a row, or a group of rows) and class c, with
/// eta_i = x_i'beta_c + offset_i,
///   Poisson:  log f(u | c) = sum_{i in u} (y_i eta_i - exp(eta_i) - log y_i!),
///   binomial: log f(u | c) = sum_{i in u} (log C(n_i, y_i) + y_i log p_i + (n_i - y_i) log(1 - p_i)), p_i = 1 / (1 + exp(-eta_i)),
/// the binomial terms as -y softplus(-eta) - (n - y) softplus(eta) (no cancellation, no log of 0).
/// The M-step of class c maximises sum_u W[u,c] log f(u | c) by weighted IRLS (Newton's method, which IRLS is for
/// canonical links): from R glm's start (mu = y + 0.1; p = (y + 0.5) / (n + 1)), steps
/// beta += (X'WVX)^-1 X'W(y - mu) with V = diag(mu) or diag(n p (1 - p)) (Cholesky), halved while the weighted
/// log-likelihood falls, until the Newton decrement lambda^2 = g'H^-1 g is at most <see cref="IrlsTolerance"/> (a step
/// of at most 1e-5 standard errors, after which the error left is of second order) and the step changes the linear
/// predictor by at most <see cref="StepTolerance"/>, at most
/// <see cref="MaxIrlsIterations"/> steps. There is no dispersion parameter: k = K p + K - 1.
/// </summary>
/// <remarks>flexmix <c>FLXMRglm(family = "poisson")</c> and <c>FLXMRglm(family = "binomial")</c> (whose M-step is
/// <c>glm.fit</c> with the posterior as prior weights); mixtools <c>poisregmixEM</c>, <c>logisregmixEM</c>.</remarks>
public sealed class GlmFamily : IMixtureFamily<GlmData, GlmComponents>, ISecondOrderFamily<GlmData, GlmComponents>, IWarmStartFamily<GlmData, GlmComponents>
{
    /// <summary>The family (the response distribution is a property of the data).</summary>
    public static GlmFamily Instance { get; } = new();

    private GlmFamily() { }

    /// <summary>Weight below which a class is considered empty.</summary>
    public const double EmptyWeight = 1e-8;

    /// <summary>At most this many Newton (IRLS) steps per M-step and class.</summary>
    public const int MaxIrlsIterations = 100;

    /// <summary>IRLS stops, after taking the step, when the Newton decrement lambda^2 = g'H^-1 g (twice the step's predicted
    /// gain of the weighted log-likelihood, and the square of its length in standard errors) is at most this: Newton's
    /// convergence is quadratic, so the error left after that step is of the order of lambda^2 standard errors.</summary>
    public const double IrlsTolerance = 1e-10;

    /// <summary>IRLS also requires the last step to change the linear predictor by at most this (max_j |delta_j| rms(x_j)): where
    /// the maximum does not exist (separation, all-zero counts) the decrement vanishes while the coefficients keep moving
    /// by about 1 per step, and the fit then fails after <see cref="MaxIrlsIterations"/> steps instead of stopping at a
    /// point on the way to infinity.</summary>
    public const double StepTolerance = 1e-6;

    /// <summary>Rows per chunk of the row loops; partial sums are added in chunk order (thread-count independent).</summary>
    internal const int Chunk = 2048;

    /// <inheritdoc/>
    public int Units(GlmData data) => data.units;
    /// <inheritdoc/>
    public string UnitName(GlmData data) => data.Grouped ? "groups" : "rows";
    /// <inheritdoc/>
    public int Observations(GlmData data) => data.n;
    /// <inheritdoc/>
    public ObservationWeights? UnitWeights(GlmData data) => data.Weights;
    /// <inheritdoc/>
    public double WeightedObservations(GlmData data) => data.WeightedObservations;
    /// <inheritdoc/>
    public int ComponentCount(GlmComponents components) => components.K;
    /// <summary>K p coefficients (no dispersion).</summary>
    public int ComponentParameters(GlmData data, int K) => K * data.p;

    /// <summary>Free parameters with constant mixing weights: K p + K - 1.</summary>
    public static int FreeParameters(GlmData data, int K) => K * data.p + K - 1;

    // ---------------------------------------------------------------- scalar helpers

    /// <summary>log(1 + t) for t &gt;= 0 without losing the digits of small t (Goldberg's correction of log(1 + t)).</summary>
    internal static double Log1p(double t)
    {
        var u = 1.0 + t;
        return u == 1.0 ? t : Math.Log(u) * t / (u - 1.0);
    }

    /// <summary>softplus(x) = log(1 + exp(x)), without overflow or loss of digits.</summary>
    public static double Softplus(double x) => x > 0 ? x + Log1p(Math.Exp(-x)) : Log1p(Math.Exp(x));

    /// <summary>The log-density of one row without its constant: y eta - exp(eta) (Poisson) or
    /// -y softplus(-eta) - (n - y) softplus(eta) (binomial).</summary>
    public static double RowKernel(GlmResponse response, double y, double trials, double eta) => response switch
    {
        GlmResponse.Poisson => y == 0 ? -Math.Exp(eta) : y * eta - Math.Exp(eta),
        _ => (y == 0 ? 0.0 : -y * Softplus(-eta)) - (trials == y ? 0.0 : (trials - y) * Softplus(eta)),
    };

    /// <summary>The log-density log f(y | eta) of one row, constant included.</summary>
    public static double RowLogDensity(GlmResponse response, double y, double trials, double eta) =>
        RowKernel(response, y, trials, eta) + GlmData.RowConstant(response, y, trials);

    /// <summary>The mean mu = exp(eta) (Poisson) or n / (1 + exp(-eta)) (binomial).</summary>
    public static double Mean(GlmResponse response, double trials, double eta) =>
        response == GlmResponse.Poisson ? Math.Exp(eta) : trials / (1.0 + Math.Exp(-eta));

    // ---------------------------------------------------------------- linear predictor and row kernels

    /// <summary>eta = X[from.., ] beta + offset over a chunk of rows.</summary>
    private static void Eta(GlmData d, double[] beta, int from, int len, Span<double> eta)
    {
        if (d.offset is not null) d.offset.AsSpan(from, len).CopyTo(eta);
        else eta.Clear();
        for (var j = 0; j < d.p; j++)
            TensorPrimitives.MultiplyAdd(d.x.AsSpan(j * d.n + from, len), beta[j], eta, eta);
    }

    /// <summary>Row kernels (log-densities without constants) of a chunk at eta, into dst; tmp is scratch.</summary>
    private static void Kernels(GlmData d, int from, int len, ReadOnlySpan<double> eta, Span<double> dst, Span<double> tmp)
    {
        var y = d.y.AsSpan(from, len);
        if (d.Response == GlmResponse.Poisson)
        {
            TensorPrimitives.Exp(eta, tmp);
            TensorPrimitives.Multiply(y, eta, dst);
            TensorPrimitives.Subtract(dst, tmp, dst);
            return;
        }
        var t = d.trials!.AsSpan(from, len);
        for (var i = 0; i < len; i++) dst[i] = RowKernel(GlmResponse.Binomial, y[i], t[i], eta[i]);
    }

    /// <inheritdoc/>
    public void LogDensities(GlmData data, GlmComponents components, double[] L)
    {
        var n = data.n;
        var U = data.units;
        var K = components.K;
        var betas = components.Classes.Select(c => c.Beta.ToArray()).ToArray();
        if (betas.Any(b => b.Length != data.p)) throw new ArgumentException($"every class needs {data.p} coefficients");
        var chunks = (n + Chunk - 1) / Chunk;
        if (!data.Grouped)
        {
            Parallelism.ForChunks(chunks, ch =>
            {
                var from = ch * Chunk;
                var len = Math.Min(n, from + Chunk) - from;
                var eta = ArrayPool<double>.Shared.Rent(len);
                var tmp = ArrayPool<double>.Shared.Rent(len);
                try
                {
                    for (var c = 0; c < K; c++)
                    {
                        var e = eta.AsSpan(0, len);
                        Eta(data, betas[c], from, len, e);
                        var dst = L.AsSpan(c * n + from, len);
                        Kernels(data, from, len, e, dst, tmp.AsSpan(0, len));
                        TensorPrimitives.Add(dst, data.unitConstant.AsSpan(from, len), dst);
                    }
                }
                finally { ArrayPool<double>.Shared.Return(eta); ArrayPool<double>.Shared.Return(tmp); }
            });
            return;
        }
        // grouped rows: each class's column summed over the rows of every unit, one class per task (rows in order)
        Parallelism.ForChunks(K, c =>
        {
            var col = L.AsSpan(c * U, U);
            data.unitConstant.AsSpan().CopyTo(col);
            var eta = ArrayPool<double>.Shared.Rent(Chunk);
            var tmp = ArrayPool<double>.Shared.Rent(Chunk);
            var row = ArrayPool<double>.Shared.Rent(Chunk);
            try
            {
                for (var from = 0; from < n; from += Chunk)
                {
                    var len = Math.Min(n, from + Chunk) - from;
                    Eta(data, betas[c], from, len, eta.AsSpan(0, len));
                    Kernels(data, from, len, eta.AsSpan(0, len), row.AsSpan(0, len), tmp.AsSpan(0, len));
                    for (var i = 0; i < len; i++) L[c * U + data.rowUnit![from + i]] += row[i];
                }
            }
            finally { ArrayPool<double>.Shared.Return(eta); ArrayPool<double>.Shared.Return(tmp); ArrayPool<double>.Shared.Return(row); }
        });
    }

    // ---------------------------------------------------------------- the M-step: weighted IRLS

    /// <summary>The weighted fit from a U x K responsibility matrix.</summary>
    public Fin<GlmComponents> Fit(GlmData data, Matrix<double> W) =>
        Fit(data, W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.ColumnCount);

    /// <inheritdoc/>
    public Fin<GlmComponents> Fit(GlmData data, double[] W, int K) => Fit(data, W, K, null);

    /// <summary>The weighted fit started from <paramref name="start"/>'s coefficients (EM's current classes), as flexmix's
    /// <c>glm.fit(..., start = component$coef)</c>: the same maximiser in fewer IRLS steps; R glm's start when the weighted
    /// log-likelihood there is not finite.</summary>
    public Fin<GlmComponents> Fit(GlmData data, double[] W, int K, GlmComponents? start)
    {
        var U = data.units;
        if (W.Length < (long)U * K) throw new ArgumentException($"W has {W.Length} entries, fewer than U K = {(long)U * K}");
        var wsum = new double[K];
        for (var c = 0; c < K; c++)
        {
            // weights per row: a unit's weight on every one of its rows
            var s = 0.0;
            for (var u = 0; u < U; u++) s += W[c * U + u] * data.unitRows[u];
            wsum[c] = s;
            if (!(s >= EmptyWeight)) return FinFail<GlmComponents>(new EmptyComponentError(c + 1, s));
        }
        var warm = start is not null && start.K == K && start.Classes.All(c => c.Beta.Length == data.p)
            ? start.Classes.Select(c => c.Beta.ToArray()).ToArray()
            : null;
        return Irls(data, W, K, wsum, warm).Map(betas => new GlmComponents(betas.Select(b => new GlmClass([.. b])).ToImmutableArray()));
    }

    /// <summary>
    /// Weighted IRLS for all K classes at once (one pass over the rows per step serves every class still iterating).
    /// Column c of <paramref name="W"/> holds the weights of the units; <paramref name="wsum"/> their sums over rows.
    /// </summary>
    internal static Fin<double[][]> Irls(GlmData data, double[] W, int K, double[] wsum, double[][]? start = null)
    {
        var p = data.p;
        var stride = Stride(p);
        var beta = new double[K][];
        var previous = new double[K][];
        var llPrevious = new double[K];
        var halvings = new int[K];
        var active = Enumerable.Repeat(true, K).ToArray();
        double[] sums;
        if (start is not null)
        {
            // a warm start is kept for the classes whose weighted log-likelihood is finite there; the others start as R's glm
            sums = Accumulate(data, W, K, start, active);
            var cold = new bool[K];
            for (var c = 0; c < K; c++)
            {
                beta[c] = (double[])start[c].Clone();
                llPrevious[c] = double.NegativeInfinity;
                cold[c] = !double.IsFinite(sums[c * stride]);
            }
            if (!cold.Any(x => x))
            {
                // a start far from the maximum (an extrapolated point) that IRLS cannot recover from is retried as R's glm starts
                var warm = Newton(data, W, K, wsum, beta, previous, llPrevious, halvings, active, sums);
                return warm.IsSucc ? warm : Irls(data, W, K, wsum);
            }
            active = cold;
        }
        sums = Accumulate(data, W, K, null, active);
        for (var c = 0; c < K; c++)
        {
            if (!active[c]) continue;
            var chol = Cholesky(sums, c * stride, p);
            if (chol is null) return FinFail<double[][]>(new SingularDesignError(c + 1));
            beta[c] = chol.Solve(Vector<double>.Build.Dense(Gradient(sums, c * stride, p))).ToArray();
            if (beta[c].Any(b => !double.IsFinite(b))) return FinFail<double[][]>(new SingularDesignError(c + 1));
            llPrevious[c] = double.NegativeInfinity;
        }
        active = Enumerable.Repeat(true, K).ToArray();
        var fit = Newton(data, W, K, wsum, beta, previous, llPrevious, halvings, active, null);
        return fit.IsSucc || start is null ? fit : Irls(data, W, K, wsum);
    }

    /// <summary>The Newton (IRLS) steps from <paramref name="beta"/>; <paramref name="sums"/> are the sums at beta when already computed.</summary>
    private static Fin<double[][]> Newton(GlmData data, double[] W, int K, double[] wsum, double[][] beta, double[][] previous, double[] llPrevious,
        int[] halvings, bool[] active, double[]? sums)
    {
        var p = data.p;
        var stride = Stride(p);
        for (var it = 0; it < MaxIrlsIterations && active.Any(a => a); it++)
        {
            sums = it == 0 && sums is not null ? sums : Accumulate(data, W, K, beta, active);
            for (var c = 0; c < K; c++)
            {
                if (!active[c]) continue;
                var o = c * stride;
                var ll = sums[o];
                if (previous[c] is not null && !(ll >= llPrevious[c] - 1e-13 * (Math.Abs(llPrevious[c]) + 1)))
                {
                    // the full step lowered the weighted log-likelihood (or overflowed): halve it
                    if (++halvings[c] > 40) return FinFail<double[][]>(new GlmFitError(c + 1, "IRLS step halving failed to raise the weighted log-likelihood", data.Response));
                    for (var j = 0; j < p; j++) beta[c][j] = 0.5 * (beta[c][j] + previous[c][j]);
                    continue;
                }
                halvings[c] = 0;
                var chol = Cholesky(sums, o, p);
                if (chol is null)
                    return FinFail<double[][]>(new GlmFitError(c + 1, data.Response == GlmResponse.Binomial
                        ? "the fitted probabilities are numerically 0 or 1 (separation: a coefficient tends to infinity)"
                        : "the fitted means are numerically 0 (the class's counts are 0 along a direction of the design)", data.Response));
                var g = Gradient(sums, o, p);
                var delta = chol.Solve(Vector<double>.Build.Dense(g)).ToArray();
                var lambda2 = 0.0;
                for (var j = 0; j < p; j++) lambda2 += g[j] * delta[j];
                previous[c] = (double[])beta[c].Clone();
                llPrevious[c] = ll;
                for (var j = 0; j < p; j++) beta[c][j] += delta[j];
                if (beta[c].Any(b => !double.IsFinite(b)))
                    return FinFail<double[][]>(new GlmFitError(c + 1, "a coefficient is not finite", data.Response));
                var move = 0.0;
                for (var j = 0; j < p; j++) move = Math.Max(move, Math.Abs(delta[j]) * data.columnRms[j]);
                if (lambda2 <= IrlsTolerance && move <= StepTolerance) active[c] = false;
            }
        }
        var stuck = System.Array.IndexOf(active, true);
        if (stuck >= 0)
            return FinFail<double[][]>(new GlmFitError(stuck + 1, $"IRLS did not converge in {MaxIrlsIterations} steps" +
                (data.Response == GlmResponse.Binomial
                    ? " (separation: a coefficient tends to infinity)"
                    : " (the class's counts are 0 along a direction of the design: a coefficient tends to -infinity)"), data.Response));
        return beta;
    }

    /// <summary>Per class: [weighted log-likelihood kernel, g (p), H lower triangle (p (p + 1) / 2)].</summary>
    private static int Stride(int p) => 1 + p + p * (p + 1) / 2;

    private static double[] Gradient(double[] sums, int o, int p)
    {
        var g = new double[p];
        for (var a = 0; a < p; a++) g[a] = sums[o + 1 + a];
        return g;
    }

    private static MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double>? Cholesky(double[] sums, int o, int p)
    {
        var H = Matrix<double>.Build.Dense(p, p);
        var k = o + 1 + p;
        for (var a = 0; a < p; a++)
        for (var b = 0; b <= a; b++) { H[a, b] = sums[k]; H[b, a] = sums[k]; k++; }
        return WeightedLeastSquares.TryCholesky(H);
    }

    /// <summary>
    /// One pass over the rows for the active classes: sum_i w_i l_i (the kernels), g = sum_i w_i x_i (y_i - mu_i) and
    /// H = sum_i w_i v_i x_i x_i' at beta_c. With <paramref name="beta"/> null, the start of R's glm instead: mu0 from y,
    /// and g = X'W(V0 (eta0 - offset) + y - mu0), so that H^-1 g is the first IRLS iterate.
    /// </summary>
    private static double[] Accumulate(GlmData d, double[] W, int K, double[][]? beta, bool[] active)
    {
        var n = d.n;
        var U = d.units;
        var p = d.p;
        var stride = Stride(p);
        var chunks = (n + Chunk - 1) / Chunk;
        var partial = new double[chunks * K * stride];
        var poisson = d.Response == GlmResponse.Poisson;
        Parallelism.ForChunks(chunks, ch =>
        {
            var from = ch * Chunk;
            var len = Math.Min(n, from + Chunk) - from;
            var pool = ArrayPool<double>.Shared;
            var eta = pool.Rent(len); var mu = pool.Rent(len); var r = pool.Rent(len); var v = pool.Rent(len); var t = pool.Rent(len); var wb = pool.Rent(len);
            try
            {
                var y = d.y.AsSpan(from, len);
                var E = eta.AsSpan(0, len); var M = mu.AsSpan(0, len); var R = r.AsSpan(0, len); var V = v.AsSpan(0, len); var T = t.AsSpan(0, len);
                for (var c = 0; c < K; c++)
                {
                    if (!active[c]) continue;
                    ReadOnlySpan<double> w;
                    if (d.rowUnit is null) w = W.AsSpan(c * U + from, len);
                    else
                    {
                        for (var i = 0; i < len; i++) wb[i] = W[c * U + d.rowUnit[from + i]];
                        w = wb.AsSpan(0, len);
                    }
                    var o = (ch * K + c) * stride;
                    if (beta is null)
                    {
                        // R glm's start: mu0 = y + 0.1 (Poisson), p0 = (y + 0.5) / (n + 1) (binomial)
                        for (var i = 0; i < len; i++)
                        {
                            double m0, e0, v0;
                            if (poisson) { m0 = y[i] + 0.1; e0 = Math.Log(m0); v0 = m0; }
                            else
                            {
                                var nt = d.trials![from + i];
                                var p0 = (y[i] + 0.5) / (nt + 1);
                                m0 = nt * p0; e0 = Math.Log(p0 / (1 - p0)); v0 = nt * p0 * (1 - p0);
                            }
                            var off = d.offset?[from + i] ?? 0.0;
                            V[i] = w[i] * v0;
                            R[i] = V[i] * (e0 - off) + w[i] * (y[i] - m0);
                        }
                    }
                    else
                    {
                        if (poisson)
                        {
                            PoissonSums(d, beta[c], w, from, len, partial.AsSpan(o, stride));
                            continue;
                        }
                        Eta(d, beta[c], from, len, E);
                        if (poisson)
                        {
                            TensorPrimitives.Exp(E, M);                // mu = v = exp(eta)
                            TensorPrimitives.Multiply(y, E, T);
                            TensorPrimitives.Subtract(T, M, T);        // kernel y eta - mu
                            partial[o] = TensorPrimitives.Dot(w, T);
                            TensorPrimitives.Subtract(y, M, R);
                            TensorPrimitives.Multiply(R, w, R);        // w (y - mu)
                            TensorPrimitives.Multiply(M, w, V);        // w v
                        }
                        else
                        {
                            var tr = d.trials!.AsSpan(from, len);
                            var ll = 0.0;
                            for (var i = 0; i < len; i++)
                            {
                                var pr = 1.0 / (1.0 + Math.Exp(-E[i]));
                                var q = 1.0 / (1.0 + Math.Exp(E[i]));  // 1 - p without cancellation
                                ll += w[i] * RowKernel(GlmResponse.Binomial, y[i], tr[i], E[i]);
                                R[i] = w[i] * (y[i] - tr[i] * pr);
                                V[i] = w[i] * tr[i] * pr * q;
                            }
                            partial[o] = ll;
                        }
                    }
                    var k = o + 1 + p;
                    for (var a = 0; a < p; a++)
                    {
                        var xa = d.x.AsSpan(a * n + from, len);
                        partial[o + 1 + a] = TensorPrimitives.Dot(xa, R);
                        TensorPrimitives.Multiply(xa, V, T);
                        for (var b = 0; b <= a; b++) partial[k++] = TensorPrimitives.Dot(T, d.x.AsSpan(b * n + from, len));
                    }
                }
            }
            finally
            {
                pool.Return(eta); pool.Return(mu); pool.Return(r); pool.Return(v); pool.Return(t); pool.Return(wb);
            }
        });
        var sums = new double[K * stride];
        for (var ch = 0; ch < chunks; ch++)
            for (var j = 0; j < K * stride; j++) sums[j] += partial[ch * K * stride + j];
        return sums;
    }

    /// <summary>
    /// The Poisson sums of one chunk in one pass, four rows at a time in Vector256 registers: [sum w (y eta - mu),
    /// sum w x (y - mu) (p), sum w mu x x' (lower triangle)], mu = exp(eta). The lanes are added in a fixed order, so
    /// the sums depend only on the chunk (not on the thread count).
    /// </summary>
    private static void PoissonSums(GlmData d, double[] beta, ReadOnlySpan<double> w, int from, int len, Span<double> dst)
    {
        var n = d.n;
        var p = d.p;
        var m = 1 + p + p * (p + 1) / 2;
        Span<Vector256<double>> acc = stackalloc Vector256<double>[m];
        Span<Vector256<double>> xs = stackalloc Vector256<double>[p];
        Span<Vector256<double>> vb = stackalloc Vector256<double>[p];
        Span<double> tail = stackalloc double[m];
        Span<double> xt = stackalloc double[p];
        acc.Clear();
        tail.Clear();
        for (var j = 0; j < p; j++) vb[j] = Vector256.Create(beta[j]);
        var y = d.y.AsSpan(from, len);
        var off = d.offset is null ? default : d.offset.AsSpan(from, len);
        var x = d.x;
        var i = 0;
        for (; i <= len - 4; i += 4)
        {
            var eta = off.IsEmpty ? Vector256<double>.Zero : Vector256.Create(off.Slice(i, 4));
            for (var j = 0; j < p; j++)
            {
                xs[j] = Vector256.Create(x.AsSpan(j * n + from + i, 4));
                eta += xs[j] * vb[j];
            }
            var mu = Vector256.Exp(eta);
            var wv = Vector256.Create(w.Slice(i, 4));
            var yv = Vector256.Create(y.Slice(i, 4));
            acc[0] += wv * (yv * eta - mu);
            var r = wv * (yv - mu);
            var v = wv * mu;
            var k = 1 + p;
            for (var a = 0; a < p; a++)
            {
                acc[1 + a] += xs[a] * r;
                var vx = v * xs[a];
                for (var b = 0; b <= a; b++) acc[k++] += vx * xs[b];
            }
        }
        for (; i < len; i++)
        {
            var eta = off.IsEmpty ? 0.0 : off[i];
            for (var j = 0; j < p; j++) { xt[j] = x[j * n + from + i]; eta += xt[j] * beta[j]; }
            var mu = Math.Exp(eta);
            tail[0] += w[i] * (y[i] * eta - mu);
            var r = w[i] * (y[i] - mu);
            var v = w[i] * mu;
            var k = 1 + p;
            for (var a = 0; a < p; a++)
            {
                tail[1 + a] += xt[a] * r;
                var vx = v * xt[a];
                for (var b = 0; b <= a; b++) tail[k++] += vx * xt[b];
            }
        }
        for (var j = 0; j < m; j++) dst[j] = (acc[j][0] + acc[j][1]) + (acc[j][2] + acc[j][3]) + tail[j];
    }

    // ---------------------------------------------------------------- order, starts, coordinates

    /// <inheritdoc/>
    public GlmComponents Reorder(GlmComponents components, int[] order) => new(order.Select(o => components.Classes[o]).ToImmutableArray());

    /// <summary>Ascending first coefficient (the intercept), then the next ones.</summary>
    public int[] CanonicalOrder(GlmComponents components) =>
        Enumerable.Range(0, components.K)
            .OrderBy(k => components.Classes[k].Beta, BetaOrder.Instance)
            .ThenBy(k => k)
            .ToArray();

    private sealed class BetaOrder : IComparer<ImmutableArray<double>>
    {
        public static readonly BetaOrder Instance = new();
        public int Compare(ImmutableArray<double> a, ImmutableArray<double> b)
        {
            for (var j = 0; j < Math.Min(a.Length, b.Length); j++)
            {
                var c = a[j].CompareTo(b[j]);
                if (c != 0) return c;
            }
            return a.Length.CompareTo(b.Length);
        }
    }

    /// <summary>
    /// Split features: for single rows the Pearson residual (y - mu) / sqrt(v) under class k; for groups the score
    /// sum_{i in u} x_i (y_i - mu_i) / n_u.
    /// </summary>
    public ReadOnlyMemory<double> SplitFeatures(GlmData data, GlmComponents components, int k)
    {
        var n = data.n;
        var U = data.units;
        var p = data.p;
        var beta = components.Classes[k].Beta.ToArray();
        var eta = new double[n];
        for (var from = 0; from < n; from += Chunk) Eta(data, beta, from, Math.Min(n, from + Chunk) - from, eta.AsSpan(from, Math.Min(n, from + Chunk) - from));
        if (!data.Grouped)
        {
            var F = new double[n];
            for (var i = 0; i < n; i++)
            {
                var nt = data.trials?[i] ?? 1.0;
                var mu = Mean(data.Response, nt, eta[i]);
                var v = data.Response == GlmResponse.Poisson ? mu : mu * (1.0 - mu / nt);
                F[i] = (data.y[i] - mu) / Math.Sqrt(Math.Max(v, 1e-12));
            }
            return F;
        }
        var G = new double[U * p];
        for (var i = 0; i < n; i++)
        {
            var u = data.rowUnit![i];
            var r = data.y[i] - Mean(data.Response, data.trials?[i] ?? 1.0, eta[i]);
            for (var a = 0; a < p; a++) G[a * U + u] += data.x[a * n + i] * r / data.unitRows[u];
        }
        return G;
    }

    /// <summary>Random partitions, Dirichlet soft responsibilities and parameter-space starts, in turn.</summary>
    public ImmutableArray<StartKind> StartKinds { get; } = [StartKind.RandomPartition, StartKind.RandomSoft, StartKind.Parameters];

    /// <summary>Units a parameter-space start fits each class to.</summary>
    private static int SubsetSize(GlmData data) => Math.Max(4 * data.p, 10);

    /// <summary>
    /// A parameter-space start (<see cref="StartKind.Parameters"/>): each class's coefficients are the GLM fitted to a
    /// random subset of max(4 p, 10) units (drawn again, up to 20 times, when that fit does not exist, e.g. a separated
    /// binomial subset); pi uniform. W0 is the E-step at these parameters.
    /// </summary>
    public bool Start(GlmData data, int K, StartKind kind, System.Random rng, double[] W0)
    {
        if (kind != StartKind.Parameters) return false;
        var U = data.units;
        var m = Math.Min(U, SubsetSize(data));
        var classes = ImmutableArray.CreateBuilder<GlmClass>(K);
        var order = Enumerable.Range(0, U).ToArray();
        var w = new double[U];
        for (var c = 0; c < K; c++)
        {
            double[]? beta = null;
            for (var attempt = 0; attempt < 20 && beta is null; attempt++)
            {
                for (var t = 0; t < m; t++)
                {
                    var j = t + rng.Next(U - t);
                    (order[t], order[j]) = (order[j], order[t]);
                }
                System.Array.Clear(w);
                var rows = 0.0;
                for (var t = 0; t < m; t++) { w[order[t]] = 1.0; rows += data.unitRows[order[t]]; }
                if (Irls(data, w, 1, [rows]).TryGet(out var fit, out _)) beta = fit[0];
            }
            if (beta is null) return false;
            classes.Add(new GlmClass([.. beta]));
        }
        LogDensities(data, new GlmComponents(classes.MoveToImmutable()), W0);
        EmLoop.EStepInto(W0, Enumerable.Repeat(-Math.Log(K), K).ToArray(), U, K, W0);
        return true;
    }

    /// <summary>A random hard partition (flexmix's default start).</summary>
    public Matrix<double> RandomResponsibilities(GlmData data, int K, System.Random rng) => Estimation.RandomPartition(data.units, K, rng);

    /// <summary>K p coefficients.</summary>
    public int VectorLength(GlmData data, int K) => K * data.p;

    /// <summary>Coordinates beta_cj rms(x_j): unchanged when a column of X is multiplied by a constant.</summary>
    public void ToVector(GlmData data, GlmComponents components, Span<double> v)
    {
        var p = data.p;
        for (var c = 0; c < components.K; c++)
        for (var j = 0; j < p; j++) v[c * p + j] = components.Classes[c].Beta[j] * data.columnRms[j];
    }

    /// <inheritdoc/>
    public Fin<GlmComponents> FromVector(GlmData data, ReadOnlySpan<double> v, int K)
    {
        var p = data.p;
        var classes = ImmutableArray.CreateBuilder<GlmClass>(K);
        for (var c = 0; c < K; c++)
        {
            var beta = new double[p];
            for (var j = 0; j < p; j++)
            {
                beta[j] = v[c * p + j] / data.columnRms[j];
                if (!double.IsFinite(beta[j])) return FinFail<GlmComponents>(new InvalidDataError("extrapolated parameters are not finite"));
            }
            classes.Add(new GlmClass([.. beta]));
        }
        return new GlmComponents(classes.MoveToImmutable());
    }

    // ---------------------------------------------------------------- second order (Newton steps, standard errors)

    /// <summary>Derivatives in psi = (beta, log(pi_c / pi_1)); see <see cref="GlmInformation"/>.</summary>
    public (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(GlmData data, Mixture<GlmComponents> m, double[]? scratch = null) =>
        GlmInformation.Derivatives(m.Components, m.Weights, data, scratch);

    /// <inheritdoc/>
    public Fin<Mixture<GlmComponents>> Step(GlmData data, Mixture<GlmComponents> m, double[] delta)
    {
        var p = data.p;
        var K = m.Components.K;
        var classes = ImmutableArray.CreateBuilder<GlmClass>(K);
        for (var c = 0; c < K; c++)
        {
            var beta = new double[p];
            for (var j = 0; j < p; j++) beta[j] = m.Components.Classes[c].Beta[j] + delta[c * p + j];
            if (beta.Any(b => !double.IsFinite(b))) return FinFail<Mixture<GlmComponents>>(new InvalidDataError("a Newton step left the parameter space"));
            classes.Add(new GlmClass([.. beta]));
        }
        var alpha = new double[K];
        for (var c = 1; c < K; c++) alpha[c] = Math.Log(m.Weights.Pi[c] / m.Weights.Pi[0]) + delta[K * p + c - 1];
        var max = alpha.Max();
        if (!double.IsFinite(max)) return FinFail<Mixture<GlmComponents>>(new InvalidDataError("a Newton step left the parameter space"));
        var pi = alpha.Select(a => Math.Exp(a - max)).ToArray();
        var sum = pi.Sum();
        return new Mixture<GlmComponents>(new GlmComponents(classes.MoveToImmutable()), MixingWeights.Normalised(pi.Select(x => x / sum)));
    }
}

/// <summary>A class whose GLM cannot be fitted (no maximum: separation or all-zero counts; IRLS not converging).</summary>
public sealed record GlmFitError(int Component, string Reason, GlmResponse Response)
    : LanguageExt.Common.Expected($"the {Response.Name()} fit of component {Component} failed: {Reason}", GlmErrorCodes.GlmFit, Option<LanguageExt.Common.Error>.None);

/// <summary>Stable codes of the GLM family's errors.</summary>
public static class GlmErrorCodes
{
    /// <summary>Code of <see cref="GlmFitError"/>.</summary>
    public const int GlmFit = 1007;
}
