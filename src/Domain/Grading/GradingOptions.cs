using System.Collections.Immutable;

namespace Mixtures.Domain.Grading;

/// <summary>Tolerances and expectations of the grader.</summary>
/// <param name="Tol">Relative tolerance of the identities a submission must satisfy (reported log L =
/// LogL at its own parameters, reported BIC = the formula): a and b agree when |a - b| &lt;= Tol max(1, |b|);
/// also the absolute tolerance of sum(pi) = 1.</param>
/// <param name="LogLTol">Absolute tolerance, in log-likelihood units, for reaching the reference maximum:
/// two different optima can lie within a relative 1e-4 of each other (over-fitted K), so this one is absolute.</param>
/// <param name="ParamTol">Absolute tolerance for alpha, beta and pi against the reference after matching segments.</param>
/// <param name="ExpectedKs">The K values the assignment asks for; a missing one fails its checks.</param>
public sealed record GradingOptions(double Tol = 1e-4, double LogLTol = 1e-2, double ParamTol = 1e-3, ImmutableArray<int> ExpectedKs = default)
{
    /// <summary>K = 2, 3, 4 as in the assignment.</summary>
    public static ImmutableArray<int> AssignmentKs { get; } = [2, 3, 4];

    /// <summary><see cref="ExpectedKs"/>, or 2, 3, 4 when not given.</summary>
    public ImmutableArray<int> Ks => ExpectedKs.IsDefaultOrEmpty ? AssignmentKs : ExpectedKs;

    /// <summary>True when |a - b| &lt;= Tol max(1, |b|).</summary>
    public bool Close(double a, double b) => Math.Abs(a - b) <= Tol * Math.Max(1.0, Math.Abs(b));
}
