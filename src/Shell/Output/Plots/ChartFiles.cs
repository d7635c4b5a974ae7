using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Output.Plots;

/// <summary>Charts as files of a folder: name.png and name.svg.</summary>
public static class ChartFiles
{
    /// <summary>The files of the charts in <paramref name="dir"/> (written by <see cref="Outputs.Commit"/>).</summary>
    public static IEnumerable<PendingFile> Files(string dir, IEnumerable<Chart> charts) =>
        charts.SelectMany(c => new[]
        {
            new PendingFile(Path.Combine(dir, c.Name + ".png"), s => s.Write(c.Png)),
            PendingFile.Text(Path.Combine(dir, c.Name + ".svg"), c.Svg),
        });

    /// <summary>Creates the folder when missing (its parent must exist) and writes every chart, all or none.</summary>
    public static Fin<Seq<string>> Write(string dir, IEnumerable<Chart> charts)
    {
        var files = Files(dir, charts).ToList();
        return Outputs.Commit(files, folders: [dir]).Map(_ => toSeq(files.Select(f => f.Path)));
    }
}
