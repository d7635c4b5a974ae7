namespace Mixtures.Shell.Output.Plots;

/// <summary>A straight line y = Intercept + Slope x drawn in the colour of class <paramref name="Class"/>.</summary>
public sealed record ClassLine(int Class, string Label, double Intercept, double Slope);
