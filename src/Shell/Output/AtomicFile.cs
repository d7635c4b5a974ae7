using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Output;

/// <summary>Writes a file only when complete: to a temporary file beside it, then a rename.</summary>
public static class AtomicFile
{
    public static Fin<Unit> Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir)) return FinFail<Unit>(Failure.Io($"{path}: the folder {dir} does not exist"));
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var s = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
                write(s);
            File.Move(tmp, full, overwrite: true);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { if (File.Exists(tmp)) File.Delete(tmp); } catch (IOException) { }
            return FinFail<Unit>(Failure.Io($"{path}: cannot write ({e.Message})"));
        }
    }

    public static Fin<Unit> WriteText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false)); w.Write(text); });
}
