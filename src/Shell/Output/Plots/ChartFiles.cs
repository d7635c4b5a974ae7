using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Output.Plots;

/// <summary>Writes charts into a folder as name.png and name.svg, each atomically.</summary>
public static class ChartFiles
{
    /// <summary>Creates the folder when missing (its parent must exist) and writes every chart.</summary>
    public static Fin<Seq<string>> Write(string dir, IEnumerable<Chart> charts)
    {
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<Seq<string>>(Failure.Io($"{dir}: cannot create the plots folder ({e.Message})"));
        }
        var written = new List<string>();
        foreach (var c in charts)
        {
            var png = Path.Combine(dir, c.Name + ".png");
            var svg = Path.Combine(dir, c.Name + ".svg");
            var r = from _ in AtomicFile.Write(png, s => s.Write(c.Png))
                    from __ in AtomicFile.WriteText(svg, c.Svg)
                    select unit;
            if (r.IsFail) return r.Map(_ => Seq<string>());
            written.Add(png);
            written.Add(svg);
        }
        return toSeq(written);
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
