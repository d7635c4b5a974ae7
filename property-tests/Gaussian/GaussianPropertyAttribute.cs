using FsCheck.Xunit;

namespace Mixtures.PropertyTests.Gaussian;

/// <summary>Settings of every Gaussian mixture property: few cases (each runs EM) and a readable report
/// (cases print their truth and seed; rerun one with <c>Replay = "..."</c>).</summary>
public sealed class GaussianPropertyAttribute : PropertyAttribute
{
    public GaussianPropertyAttribute()
    {
        MaxTest = 30;
        QuietOnSuccess = true;
    }
}
