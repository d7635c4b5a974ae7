using System.Collections.Immutable;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Grading;

/// <summary>What a submission reports for one K; null where it reported nothing readable.</summary>
/// <param name="K">Number of segments.</param>
/// <param name="Theta">The K (alpha, beta) pairs as reported (their order is the student's).</param>
/// <param name="Pi">The K weights as reported (not renormalised: their sum is one of the checks).</param>
/// <param name="LogLikelihood">The reported log-likelihood.</param>
/// <param name="Bic">The reported BIC.</param>
public sealed record SubmittedModel(int K, Theta? Theta, ImmutableArray<double>? Pi, double? LogLikelihood, double? Bic);

/// <summary>A submission as read: its models by K, the K it says it chose, and what could not be read.</summary>
/// <param name="Name">How the submission is named in reports (its path).</param>
/// <param name="Models">Reported models, ascending K, one per K.</param>
/// <param name="StatedK">The K the submission says BIC chose, when it says so.</param>
/// <param name="Problems">What could not be read, one plain sentence each.</param>
public sealed record Submission(string Name, ImmutableArray<SubmittedModel> Models, int? StatedK, ImmutableArray<string> Problems)
{
    /// <summary>The model reported for K, or null.</summary>
    public SubmittedModel? For(int K) => Models.FirstOrDefault(m => m.K == K);
}
