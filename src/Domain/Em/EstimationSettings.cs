using Mixtures.Domain.Model;

namespace Mixtures.Domain.Em;

/// <summary>
/// The starts of one K (see <see cref="Estimation"/>). For K &gt; 1: the K - 1 split starts from the best
/// K - 1 fit (when <paramref name="SplitStarts"/>) and <paramref name="Starts"/> random starts cycling through the
/// family's start kinds. With screening (<paramref name="ScreenIterations"/> &gt; 0, <paramref name="Finalists"/> &lt;
/// <paramref name="Starts"/> and at least <paramref name="ScreenFrom"/> units) every start first runs
/// <paramref name="ScreenIterations"/> EM steps and only the <paramref name="Finalists"/> with the highest
/// log-likelihood, and the best split start, continue to the end (Biernacki, Celeux and Govaert 2003, "em-EM";
/// flexmix's <c>initMethod = "tol.em"</c>); otherwise every start runs to the end.
/// </summary>
/// <param name="Starts">Random starts per K.</param>
/// <param name="ScreenIterations">EM steps of the screening stage (0: no screening).</param>
/// <param name="Finalists">Random starts that continue after screening.</param>
/// <param name="SplitStarts">Whether to add the split starts from the best K - 1 fit.</param>
/// <param name="ScreenFrom">Screening applies only to data with at least this many units: on the corpus of small
/// public data sets (bench/README.md) running every start to convergence reached more best-known optima than
/// screening the same starts, and it is cheap there; screening pays where a run is expensive.</param>
public sealed record StartPlan(int Starts = 10, int ScreenIterations = 0, int Finalists = 0, bool SplitStarts = true,
    int ScreenFrom = StartPlan.DefaultScreenFrom)
{
    /// <summary>Default <see cref="ScreenFrom"/>: 20,000 units.</summary>
    public const int DefaultScreenFrom = 20_000;

    /// <summary>Whether the starts of data with <paramref name="units"/> units are screened.</summary>
    public bool ScreensFor(int units) => ScreenIterations > 0 && Finalists < Starts && units >= ScreenFrom;

    /// <summary>Whether screening is on at all (for data large enough).</summary>
    public bool Screens => ScreenIterations > 0 && Finalists < Starts;

    /// <inheritdoc/>
    public override string ToString() => Screens
        ? $"{Starts} random starts{(SplitStarts ? " and the split starts from the K - 1 fit" : "")} screened by {ScreenIterations} EM steps, the best {Finalists} and the best split start run to convergence"
        : $"{Starts} random starts{(SplitStarts ? " plus split starts from the K - 1 fit" : "")}, each run to convergence";
}

/// <summary>How an estimation path is run: the start plan, the master seed and the EM options.</summary>
/// <param name="Plan">The starts of every K.</param>
/// <param name="Seed">Master seed; random start r of K uses the seed derived from (Seed, K, r).</param>
/// <param name="Options">Stopping rule, iteration limit, minimum prior and acceleration of every run.</param>
public sealed record EstimationSettings(StartPlan Plan, ulong Seed, EmOptions Options);
