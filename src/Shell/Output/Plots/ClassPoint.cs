namespace Mixtures.Shell.Output.Plots;

/// <summary>A point (X, Y) marked in the colour of class <paramref name="Class"/>, e.g. the class's estimate.</summary>
public sealed record ClassPoint(int Class, string Label, double X, double Y);
