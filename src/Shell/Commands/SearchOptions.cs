using System.CommandLine;
using Fin = LanguageExt.Fin<Mixtures.Domain.Model.Acceleration>;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>The options every fitting command shares for its search: acceleration and screening of starts.</summary>
public static class SearchOptions
{
    /// <summary>--accelerate squarem|none.</summary>
    public static Option<string> Accelerate(string dflt = "squarem") => new("--accelerate")
    {
        Description = "EM acceleration: squarem (SQUAREM, Varadhan and Roland 2008), anderson (Anderson mixing with DAAREM's restarts), " +
                      "both with a safeguard that never lowers log L, or none (plain EM, iteration for iteration the spec's).",
        DefaultValueFactory = _ => dflt,
    };

    /// <summary>--screen N.</summary>
    public static Option<int> Screen(int dflt) => new("--screen")
    {
        Description = "On data of at least --screen-from units: EM steps every start runs before only the best --finalists (and the best split start) continue to convergence (0: no screening).",
        DefaultValueFactory = _ => dflt,
    };

    /// <summary>--finalists N.</summary>
    public static Option<int> Finalists(int dflt) => new("--finalists")
    {
        Description = "Starts that continue to convergence after the screening, besides the best split start from the K-1 fit.",
        DefaultValueFactory = _ => dflt,
    };

    /// <summary>--screen-from N.</summary>
    public static Option<int> ScreenFrom() => new("--screen-from")
    {
        Description = "Screen the starts only when the data have at least this many units (rows, groups or stores); below it every start runs to convergence.",
        DefaultValueFactory = _ => Mixtures.Domain.Em.StartPlan.DefaultScreenFrom,
    };

    /// <summary>--newton-after N.</summary>
    public static Option<int> NewtonAfter() => new("--newton-after")
    {
        Description = "With squarem: trust-region Newton steps on the observed information after every N EM steps short of convergence " +
                      "(finishes flat likelihoods, such as K above the true number of classes, in far fewer steps); 0 turns them off.",
        DefaultValueFactory = _ => Mixtures.Domain.Model.EmOptions.DefaultNewtonAfter,
    };

    /// <summary>"squarem" or "none".</summary>
    public static Fin ParseAccelerate(string text) => text.Trim().ToLowerInvariant() switch
    {
        "squarem" => Acceleration.Squarem,
        "anderson" => Acceleration.Anderson,
        "none" or "plain" => Acceleration.None,
        _ => FinFail<Acceleration>(Failure.Usage($"--accelerate: '{text}' is not squarem, anderson or none")),
    };

    /// <summary>The screening options' problems (empty when they are sound).</summary>
    public static IEnumerable<(bool Ok, string Problem)> Checks(int screen, int finalists, int screenFrom = 0) =>
    [
        (screen >= 0, $"--screen must be at least 0 (got {screen})"),
        (screenFrom >= 0, $"--screen-from must be at least 0 (got {screenFrom})"),
        (finalists >= 1, $"--finalists must be at least 1 (got {finalists})"),
    ];

    /// <summary>The --newton-after problem, if any.</summary>
    public static (bool Ok, string Problem) NewtonCheck(int newtonAfter) => (newtonAfter >= 0, $"--newton-after must be at least 0 (got {newtonAfter})");
}
