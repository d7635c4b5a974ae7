namespace Mixtures.Domain.Comparison;

/// <summary>The predictors scored on the test rows.</summary>
public enum ComparedModel
{
    /// <summary>One OLS on all training rows.</summary>
    Pooled,
    /// <summary>One OLS per known segment, applied with the row's known segment (pooled where a segment falls back).</summary>
    PerSegment,
    /// <summary>Latent class regression, mixture expectation E[y | x] = sum_c pi_c x' beta_c (the reported latent-class prediction).</summary>
    LatentClassExpectation,
    /// <summary>Latent class regression, the prediction of the class with the largest pi_c (the most likely class given x alone).</summary>
    LatentClassMostLikely,
    /// <summary>Latent class regression, the prediction of the class most likely given x AND the test row's y: an in-sample diagnostic, not a forecast.</summary>
    LatentClassPosteriorAssigned,
}

/// <summary>Stable names of <see cref="ComparedModel"/> for output.</summary>
public static class ComparedModels
{
    /// <summary>The name used in tables, JSON and plots.</summary>
    public static string Name(this ComparedModel m) => m switch
    {
        ComparedModel.Pooled => "pooled",
        ComparedModel.PerSegment => "per-segment",
        ComparedModel.LatentClassExpectation => "latent-class",
        ComparedModel.LatentClassMostLikely => "latent-class-most-likely",
        ComparedModel.LatentClassPosteriorAssigned => "latent-class-posterior-assigned",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>Whether the predictor looks at the test row's y (so its score is not a held-out score).</summary>
    public static bool UsesTestY(this ComparedModel m) => m == ComparedModel.LatentClassPosteriorAssigned;

    /// <summary>One sentence on what the predictor is.</summary>
    public static string Description(this ComparedModel m) => m switch
    {
        ComparedModel.Pooled => "one OLS regression on all training rows",
        ComparedModel.PerSegment => "one OLS regression per known segment, applied with each test row's segment",
        ComparedModel.LatentClassExpectation => "latent class regression, mixture expectation sum_c pi_c x'beta_c (segments not used)",
        ComparedModel.LatentClassMostLikely => "latent class regression, the line of the class with the largest weight pi_c (the same class for every row)",
        ComparedModel.LatentClassPosteriorAssigned => "latent class regression, the line of the class most likely given x and the row's own y (in-sample diagnostic: uses y)",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };
}
