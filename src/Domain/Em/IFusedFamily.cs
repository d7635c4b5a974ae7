namespace Mixtures.Domain.Em;

/// <summary>
/// A family that computes an EM iteration's E-step and the sums of its next M-step in one sweep over the units:
/// at components theta, for every unit u, the log-densities l[u,k] = log f(u | theta_k), the responsibilities
/// W[u,k] = pi_k f(u | theta_k) / sum_j pi_j f(u | theta_j) (written to the caller's buffer, as the loop reads them
/// for the stopping rule, the weight model's fit and acceleration; a family that can also leaves them unwritten for a
/// loop that reads none, <see cref="IFusedWithoutW{TData,TComponents}"/>), the log-likelihood sum_u logsumexp_k(log pi_k + l[u,k]),
/// and the weighted sums S = sum_u W[u,.] s(u) from which the family's weighted fit follows
/// (<see cref="FitStatistics(TData, double[], int)"/>). The sweep replaces log-densities into the n x K buffer, the E-step over it and the
/// M-step's pass over W: the buffer is written at most once and not re-read by the family.
/// </summary>
/// <remarks>
/// The contract that makes the fused path an exact replacement: <see cref="FusedStep"/> writes the W and returns the
/// log L and max |W - Wprev| that <see cref="IMixtureFamily{TData,TComponents}.LogDensities"/> followed by
/// <see cref="EmLoop.EStepInto(double[], double[], int, int, double[], double[], out double)"/> give, bit for bit, and
/// <see cref="FitStatistics(TData, double[], int)"/> on its sums returns what <see cref="IMixtureFamily{TData,TComponents}.Fit"/> returns on
/// that W, bit for bit. The generic path stays the oracle (tests compare the two).
/// The loop takes the fused path only without observation weights and with K log weights shared by every unit.
/// </remarks>
public interface IFusedFamily<TData, TComponents>
{
    /// <summary>Length of the statistics vector S for K components, or 0 when these data take the unfused path.</summary>
    int FusedStatistics(TData data, int K);

    /// <summary>
    /// One sweep at <paramref name="components"/> with K log weights <paramref name="logPi"/>: W into the first n K
    /// entries of <paramref name="w"/> (column-major), max |W - Wprev| into <paramref name="maxChange"/> (0 when
    /// <paramref name="wPrev"/> is null), the M-step sums into <paramref name="statistics"/>
    /// (<see cref="FusedStatistics"/> entries); returns log L.
    /// </summary>
    double FusedStep(TData data, TComponents components, double[] logPi, int n, int K, double[] w, double[]? wPrev, out double maxChange,
        double[] statistics);

    /// <summary>Whether <see cref="FusedStep"/> takes <c>wPrev</c> the same buffer as <c>w</c> on these data (it reads each
    /// old W before writing its new one, the log-densities kept elsewhere): then the loop keeps one n x K buffer instead
    /// of two for the weight-change stop rule, with the same numbers.</summary>
    bool FusedInPlace(TData data, int K) => false;

    /// <summary>The weighted fit from the sums of a <see cref="FusedStep"/>: equal to the family's fit on that step's W.</summary>
    LanguageExt.Fin<TComponents> FitStatistics(TData data, double[] statistics, int K);

    /// <summary><see cref="FitStatistics(TData, double[], int)"/> with the step's responsibilities <paramref name="w"/> at
    /// hand (n K, column-major), for a family whose fit from the sums may have to read W again in a rare case (the
    /// Gaussian family's recentring); the loop calls this one.</summary>
    LanguageExt.Fin<TComponents> FitStatistics(TData data, double[] statistics, int K, double[] w) => FitStatistics(data, statistics, K);
}

/// <summary>
/// A fused family whose sweep also returns W's column sums S_k = sum_u W[u,k], summed exactly as
/// <see cref="Model.MixingWeights.FromColumnMeans(double[], int, int)"/> sums them (4096-unit chunks, each a fixed-order
/// vector sum, added in chunk order from zero), while each chunk of W is in cache: the constant mixing weights then
/// follow from the sums (<see cref="Model.MixingWeights.FromColumnSums"/>) bit for bit, without another pass over W.
/// </summary>
internal interface IFusedColumnSums<TData, TComponents> : IFusedFamily<TData, TComponents>
{
    /// <summary><see cref="IFusedFamily{TData,TComponents}.FusedStep"/>, with the K column sums of the W it writes into
    /// <paramref name="columnSums"/>.</summary>
    double FusedStep(TData data, TComponents components, double[] logPi, int n, int K, double[] w, double[]? wPrev, out double maxChange,
        double[] statistics, double[] columnSums);
}


/// <summary>
/// A fused family whose sweep can leave W unwritten, for a loop that reads no W between its steps (the log-likelihood
/// stop rule: plain EM, and SQUAREM on its one buffer): the sweep's log L, sums and column sums are the same bit for bit, and its fit from the sums gets
/// W from a function that makes it on demand (the E-step of the sweep's components, which is the W the sweep would have
/// written) for the rare case that it reads W. Saves the n K stores of W, and the reads of their cache lines, in every
/// iteration.
/// </summary>
internal interface IFusedWithoutW<TData, TComponents> : IFusedColumnSums<TData, TComponents>
{
    /// <summary>Whether the sweep on these data can leave W unwritten.</summary>
    bool SweepsWithoutW(TData data, int K);

    /// <summary><see cref="IFusedColumnSums{TData,TComponents}.FusedStep"/> without W_prev, leaving <paramref name="w"/> as it is.</summary>
    double FusedStepWithoutW(TData data, TComponents components, double[] logPi, int n, int K, double[] w, double[] statistics, double[] columnSums);

    /// <summary><see cref="IFusedFamily{TData,TComponents}.FitStatistics(TData, double[], int, double[])"/> with the step's W
    /// made only if the fit reads it (<paramref name="w"/> returns the buffer holding it).</summary>
    LanguageExt.Fin<TComponents> FitStatistics(TData data, double[] statistics, int K, Func<double[]> w);
}
