using System.Collections.Concurrent;
using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Output;

/// <summary>An output a command was asked for: the option that named it and its path.</summary>
public sealed record Destination(string Option, string Path);

/// <summary>A file to write: its path and what goes into it.</summary>
public sealed record PendingFile(string Path, Action<Stream> Write)
{
    public static PendingFile Text(string path, string text) => new(path, s => WriteText(s, text));

    /// <summary>Writes text as UTF-8 without a byte order mark.</summary>
    public static void WriteText(Stream stream, string text)
    {
        using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
        w.Write(text);
    }
}

/// <summary>
/// Every command's outputs as one transaction. <see cref="Check"/> runs before any computation: every
/// destination's folder exists and is writable, no destination is a folder, an input or another output
/// (full paths, symbolic links resolved). <see cref="Commit"/> runs after everything is computed: it writes all
/// files to short temporary names beside their targets, then renames them all into place, keeping any file it
/// replaces until the last rename succeeded. On any failure (or a signal before the renames) the temporaries
/// are removed and every existing file is left as it was; nothing is half written.
/// </summary>
public static class Outputs
{
    private static readonly ConcurrentDictionary<string, byte> Temporaries = new();

    /// <summary>A destination when the option was given (null otherwise).</summary>
    public static Destination? To(string option, string? path) => path is null ? null : new Destination(option, path);

    /// <summary>A file to write when the option was given.</summary>
    public static IEnumerable<PendingFile> When(string? path, Func<string, PendingFile> file) => path is null ? [] : [file(path)];

    /// <summary>The full path with symbolic links resolved (of the file, or of its folder when it does not exist).</summary>
    public static string Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            if (File.Exists(full) && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target) return Path.GetFullPath(target.FullName);
            var dir = Path.GetDirectoryName(full);
            if (dir is not null && Directory.Exists(dir) && Directory.ResolveLinkTarget(dir, returnFinalTarget: true) is { } d)
                return Path.Combine(Path.GetFullPath(d.FullName), Path.GetFileName(full));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return full;
    }

    /// <summary>Checks the destinations before anything is computed. <paramref name="inputs"/> are the files the
    /// command reads (null entries are skipped); <paramref name="files"/> the files it writes; <paramref name="folders"/>
    /// folders it writes into (e.g. --plots; created if missing, so only their parent must exist).</summary>
    public static Fin<Unit> Check(IEnumerable<string?> inputs, IEnumerable<Destination?> files, IEnumerable<Destination?>? folders = null)
    {
        var ins = inputs.OfType<string>().Select(i => (Path: i, Full: Canonical(i))).ToList();
        var outs = files.OfType<Destination>().ToList();
        var dirs = (folders ?? []).OfType<Destination>().ToList();
        var seen = new Dictionary<string, Destination>(StringComparer.Ordinal);
        foreach (var d in outs)
        {
            var full = Canonical(d.Path);
            if (Directory.Exists(full)) return Usage($"{d.Option} {d.Path}: is a folder; name the file to write");
            if (ins.FirstOrDefault(i => i.Full == full) is { Path: not null } input)
                return Usage($"{d.Option} {d.Path}: is the input file {input.Path}; choose another name (nothing written)");
            if (seen.TryGetValue(full, out var other))
                return Usage($"{other.Option} and {d.Option} name the same file {d.Path}; choose two names (nothing written)");
            seen[full] = d;
            var folder = Path.GetDirectoryName(full) ?? ".";
            if (!Directory.Exists(folder)) return Io($"{d.Option} {d.Path}: the folder does not exist ({folder}); nothing written");
            if (Probe(folder) is { } problem) return Io($"{d.Option} {d.Path}: cannot write in {folder} ({problem}; nothing written)");
        }
        foreach (var d in dirs)
        {
            var full = Path.GetFullPath(d.Path);
            if (File.Exists(full)) return Usage($"{d.Option} {d.Path}: is a file; name a folder");
            var parent = Directory.Exists(full) ? full : Path.GetDirectoryName(full) ?? ".";
            if (!Directory.Exists(parent)) return Io($"{d.Option} {d.Path}: the folder does not exist ({parent}); nothing written");
            if (Probe(parent) is { } problem) return Io($"{d.Option} {d.Path}: cannot write in {parent} ({problem}; nothing written)");
        }
        return unit;
    }

    /// <summary>Writes every file or none, in list order (a file's writer may use what an earlier one computed). <paramref name="inputs"/> are checked again against the final list
    /// (plot file names are known only now); <paramref name="folders"/> are created first when missing (and removed
    /// again when the transaction fails and they were created by it).</summary>
    public static Fin<Unit> Commit(IReadOnlyList<PendingFile> files, IEnumerable<string?>? inputs = null, IEnumerable<string>? folders = null)
    {
        var ins = (inputs ?? []).OfType<string>().Select(Canonical).ToHashSet(StringComparer.Ordinal);
        var targets = files.Select(f => Canonical(f.Path)).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            if (ins.Contains(targets[i])) return Usage($"{files[i].Path}: is an input file; choose another name (nothing written)");
            if (targets.IndexOf(targets[i]) != i) return Usage($"{files[i].Path} is written twice; choose two names (nothing written)");
            if (Directory.Exists(targets[i])) return Io($"{files[i].Path}: a folder of that name is in the way (nothing written)");
        }
        var created = new List<string>();
        var temps = new string?[files.Count];
        var backups = new string?[files.Count];
        var placed = 0;
        var current = 0;
        try
        {
            foreach (var dir in folders ?? [])
                if (!Directory.Exists(dir)) { Directory.CreateDirectory(dir); created.Add(Path.GetFullPath(dir)); }
            for (var i = 0; i < files.Count; i++)
            {
                current = i;
                Interruption.Token.ThrowIfCancellationRequested();
                temps[i] = Temporary(Path.GetDirectoryName(targets[i]) ?? ".");
                using (var s = new FileStream(temps[i]!, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    files[i].Write(s);
            }
            // the last moment a signal stops the run: after it the renames (microseconds each) complete
            Interruption.Token.ThrowIfCancellationRequested();
            for (; placed < files.Count; placed++)
            {
                current = placed;
                var target = targets[placed];
                if (File.Exists(target))
                {
                    backups[placed] = Temporary(Path.GetDirectoryName(target) ?? ".");
                    File.Move(target, backups[placed]!);
                }
                File.Move(temps[placed]!, target);
                Forget(temps[placed]);
                temps[placed] = null;
            }
            foreach (var b in backups) Remove(b);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // undo: the new files placed so far go, the files they replaced come back
            for (var j = placed; j >= 0; j--)
            {
                if (j >= files.Count) continue;
                try
                {
                    if (j < placed) File.Delete(targets[j]);
                    if (backups[j] is { } b && File.Exists(b)) { File.Move(b, targets[j], overwrite: true); Forget(b); }
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            foreach (var t in temps) Remove(t);
            foreach (var dir in Enumerable.Reverse(created)) { try { Directory.Delete(dir, recursive: false); } catch (IOException) { } }
            if (e is OperationCanceledException) throw;
            return Io($"{files[current].Path}: cannot write ({e.Message.TrimEnd('.')}; nothing written)");
        }
    }

    /// <summary>Removes every temporary file still registered (the last resort of the signal path).</summary>
    public static void RemoveTemporaries()
    {
        foreach (var t in Temporaries.Keys) Remove(t);
    }

    /// <summary>A fresh short name in <paramref name="folder"/> (".mx-" and 10 random hex digits: far below any
    /// file-system name limit whatever the target's name), registered for removal.</summary>
    private static string Temporary(string folder, string kind = "")
    {
        var name = Path.Combine(folder, $".mx-{kind}{Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant()}.tmp");
        Temporaries[name] = 0;
        return name;
    }

    private static void Forget(string? path)
    {
        if (path is not null) Temporaries.TryRemove(path, out _);
    }

    private static void Remove(string? path)
    {
        if (path is null) return;
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        Forget(path);
    }

    /// <summary>Whether a file can be created in the folder: creates and removes a temporary one.</summary>
    private static string? Probe(string folder)
    {
        var probe = Temporary(folder, "probe-");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            return null;
        }
        catch (IOException e) { return e.Message; }
        catch (UnauthorizedAccessException e) { return e.Message; }
        finally { Remove(probe); }
    }

    private static Fin<Unit> Usage(string text) => FinFail<Unit>(Failure.Usage(text));
    private static Fin<Unit> Io(string text) => FinFail<Unit>(Failure.Io(text));
}
