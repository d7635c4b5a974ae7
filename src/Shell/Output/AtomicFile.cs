using LanguageExt;

namespace Mixtures.Shell.Output;

/// <summary>One file written only when complete (a transaction of one file, see <see cref="Outputs.Commit"/>).</summary>
public static class AtomicFile
{
    public static Fin<Unit> Write(string path, Action<Stream> write) => Outputs.Commit([new PendingFile(path, write)]);

    public static Fin<Unit> WriteText(string path, string text) => Outputs.Commit([PendingFile.Text(path, text)]);
}
