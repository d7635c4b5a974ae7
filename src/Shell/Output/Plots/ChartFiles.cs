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

    /// <summary>A usage problem with a --plots folder (null when fine): its parent folder must exist.</summary>
    public static string? Problem(string? dir)
    {
        if (dir is null) return null;
        var full = Path.GetFullPath(dir);
        if (File.Exists(full)) return $"--plots: {dir} is a file, not a folder";
        var parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        return parent is null || Directory.Exists(parent) ? null : $"--plots: the folder {parent} does not exist";
    }
}
