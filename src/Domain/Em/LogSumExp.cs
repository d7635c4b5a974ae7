namespace Mixtures.Domain.Em;

/// <summary>log(sum_k exp(a_k)) computed without overflow or underflow.</summary>
/// <remarks>scipy.special.logsumexp; R matrixStats::logSumExp.</remarks>
public static class LogSumExp
{
    /// <summary>m + log(sum_k exp(a_k - m)) with m = max_k a_k; -inf when every a_k is -inf.</summary>
    public static double Of(ReadOnlySpan<double> a)
    {
        var m = double.NegativeInfinity;
        foreach (var v in a) if (v > m) m = v;
        if (double.IsNegativeInfinity(m)) return m;
        if (double.IsPositiveInfinity(m)) return m;
        var s = 0.0;
        foreach (var v in a) s += Math.Exp(v - m);
        return m + Math.Log(s);
    }
}
