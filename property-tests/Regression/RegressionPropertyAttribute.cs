using FsCheck.Xunit;

namespace Mixtures.PropertyTests.Regression;

/// <summary>The settings of every latent class regression property: few cases (each fits EM) and a
/// readable report (cases print their truth and seed; rerun one with <c>Replay = "..."</c>).</summary>
public sealed class RegressionPropertyAttribute : PropertyAttribute
{
    public RegressionPropertyAttribute()
    {
        MaxTest = 40;
        QuietOnSuccess = true;
    }
}
