using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Grading;

/// <summary>What EM does from a submission's own parameters.</summary>
/// <param name="Start">LogL at the submission's theta and pi (pi renormalised).</param>
/// <param name="OneStep">LogL after one EM step (E-step, then M-step) from them.</param>
/// <param name="Continued">LogL where EM continued from them stops (tolerance 1e-10 on W, SQUAREM).</param>
public sealed record EmProbe(double Start, double OneStep, double Continued)
{
    /// <summary>The rise of one EM step.</summary>
    public double StepRise => OneStep - Start;

    /// <summary>The rise until EM stops.</summary>
    public double TotalRise => Continued - Start;
}

/// <summary>
/// The alternative formulas and probes the grader evaluates at a submission's own parameters to name a
/// mistake: each is the quantity a specific bug computes instead of the spec's (pure functions).
/// </summary>
public static class Diagnostics
{
    /// <summary>
    /// The largest possible log-likelihood of the sales model on n = N T observations: with sigma fixed
    /// at 1 each density is at most phi(0) = 1/sqrt(2 pi), so log L &lt;= -(n / 2) ln(2 pi).
    /// </summary>
    public static double LogLUpperBound(int observations) => -0.5 * observations * Math.Log(2 * Math.PI);

    /// <summary>
    /// The spec's LogL over the first <paramref name="stores"/> stores (columns of y) only: what a loop
    /// over stores that runs to T (y taken as N x T) computes.
    /// </summary>
    public static double LogLFirstStores(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X, int stores) =>
        SalesModel.LogL(theta, pi, y.SubMatrix(0, y.RowCount, 0, stores), X);

    /// <summary>
    /// The observation-level mixture sum_i sum_t log sum_c pi_c phi(y_it - alpha_c - beta_c x_t): every
    /// observation gets its own segment (instead of the store's whole history).
    /// </summary>
    public static double ObservationLevelLogL(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X)
    {
        var K = theta.K;
        var logPi = pi.LogPi();
        var c0 = -0.5 * Math.Log(2 * Math.PI);
        var a = new double[K];
        var total = 0.0;
        for (var i = 0; i < y.ColumnCount; i++)
        for (var t = 0; t < y.RowCount; t++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < K; c++)
            {
                var s = theta.Segments[c];
                var e = y[t, i] - s.Alpha * X[t, 0] - s.Beta * X[t, 1];
                a[c] = logPi[c] + c0 - 0.5 * e * e;
                if (a[c] > max) max = a[c];
            }
            if (double.IsNegativeInfinity(max)) return double.NegativeInfinity;
            var sum = 0.0;
            for (var c = 0; c < K; c++) sum += Math.Exp(a[c] - max);
            total += max + Math.Log(sum);
        }
        return total;
    }

    /// <summary>
    /// EM from the submission's own parameters: one step of the spec's E- and M-step, then EM continued
    /// to convergence (<see cref="GradingReference.DefaultOptions"/>). Fails when an M-step fails (a
    /// segment without weight).
    /// </summary>
    public static Fin<EmProbe> Probe(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X, EmOptions? options = null)
    {
        var start = SalesModel.LogL(theta, pi, y, X);
        var W = SalesModel.EStep(theta, pi, y, X);
        return from step in SalesModel.MStep(y, X, W)
               let one = SalesModel.LogL(step.theta, step.pi, y, X)
               from fit in SalesModel.EM(W, y, X, options ?? GradingReference.DefaultOptions)
               select new EmProbe(start, one, Math.Max(one, fit.LogLikelihood));
    }

    /// <summary>
    /// For each segment, the factor m_c when (alpha_c, beta_c) = m_c (a_c, b_c) with (a_c, b_c) the
    /// correct M-step's estimates from the E-step at the submission's own parameters and m_c = sum_i W[i,c]
    /// its total weight (within relative <paramref name="tol"/>); null when some segment with weight does
    /// not fit that pattern or no segment has a factor other than 1. Segments without weight (m_c &lt; 1e-9)
    /// must be (0, 0), as the unnormalised M-step leaves them.
    /// </summary>
    public static double[]? UnnormalisedFactors(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X, double tol = 1e-3)
    {
        var W = SalesModel.EStep(theta, pi, y, X);
        var K = theta.K;
        var factors = new double[K];
        var any = false;
        for (var c = 0; c < K; c++)
        {
            var m = W.Column(c).Sum();
            var s = theta.Segments[c];
            if (m < 1e-9)
            {
                if (Math.Abs(s.Alpha) > tol || Math.Abs(s.Beta) > tol) return null;
                factors[c] = 0;
                continue;
            }
            // the correct weighted least-squares estimates of segment c
            var wc = Matrix<double>.Build.Dense(W.RowCount, 1, (i, _) => W[i, c]);
            if (!SalesModel.MStep(y, X, wc).TryGet(out var fit, out _)) return null;
            var b = fit.theta.Segments[0];
            bool Close(double a, double e) => Math.Abs(a - e) <= tol * Math.Max(Math.Abs(e), 1e-12);
            if (!Close(s.Alpha, m * b.Alpha) || !Close(s.Beta, m * b.Beta)) return null;
            factors[c] = m;
            if (Math.Abs(m - 1) > tol) any = true;
        }
        return any ? factors : null;
    }

    /// <summary>
    /// Groups of segments whose alpha and beta agree within <paramref name="same"/> (linked pairwise, so a
    /// chain of close segments is one group); only groups of two or more, each in ascending order.
    /// </summary>
    public static ImmutableArray<ImmutableArray<int>> EqualGroups(Theta theta, double same)
    {
        var K = theta.K;
        var parent = Enumerable.Range(0, K).ToArray();
        int Find(int a) => parent[a] == a ? a : parent[a] = Find(parent[a]);
        for (var c = 0; c < K; c++)
        for (var d = c + 1; d < K; d++)
            if (Math.Abs(theta.Segments[c].Alpha - theta.Segments[d].Alpha) <= same && Math.Abs(theta.Segments[c].Beta - theta.Segments[d].Beta) <= same)
                parent[Find(d)] = Find(c);
        return [.. Enumerable.Range(0, K).GroupBy(Find).Where(g => g.Count() > 1).Select(g => g.Order().ToImmutableArray()).OrderBy(g => g[0])];
    }
}
