using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Robustness;

/// <summary>How one command is run on a fuzzed data file: its arguments, the files it may write, and files to place
/// beside the data first (a model, a submission).</summary>
public sealed record FuzzCommand(string Name, string[] Args, string[] Outputs, IReadOnlyDictionary<string, byte[]>? Extra = null);

/// <summary>
/// Runs the built CLI on generated files and checks mechanically what every command promises. A malformed file:
/// the promised exit code; at most 3 lines on stderr, the first naming the file (and the row and column when the
/// fault has one); no stack trace; no file created or changed; no temporary left. A valid variant (CRLF, BOM,
/// UTF-16, quoted numbers, no final newline, padding): exit 0 and outputs byte-identical to the plain file's.
/// </summary>
public static class FuzzRunner
{
    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => File.Exists(f) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) : "folder");

    private static string Prepare(FuzzCommand c, byte[] data)
    {
        var dir = Directory.CreateTempSubdirectory("mixtures-fuzz-").FullName;
        File.WriteAllBytes(Path.Combine(dir, "data.csv"), data);
        foreach (var (name, bytes) in c.Extra ?? new Dictionary<string, byte[]>()) File.WriteAllBytes(Path.Combine(dir, name), bytes);
        return dir;
    }

    /// <summary>The outputs (and stdout) of a run on the given bytes; null when it failed.</summary>
    private static (MixturesCli.Result Result, Dictionary<string, byte[]> Files) Run(FuzzCommand c, byte[] data)
    {
        var dir = Prepare(c, data);
        try
        {
            var r = MixturesCli.Run(dir, c.Args);
            var files = c.Outputs.Where(o => File.Exists(Path.Combine(dir, o))).ToDictionary(o => o, o => File.ReadAllBytes(Path.Combine(dir, o)));
            return (r, files);
        }
        finally { Directory.Delete(dir, true); }
    }

    public static bool Holds(FuzzCommand c, FuzzCase f, byte[] plain)
    {
        if (f.Valid)
        {
            var (r, files) = Run(c, f.Bytes);
            var (r0, files0) = Run(c, plain);
            Assert.True(r0.ExitCode == 0, $"the plain file fails: {r0.Stderr}");
            Assert.True(r.ExitCode == 0, $"{f}: exit {r.ExitCode}: {r.Stderr}");
            Assert.Equal(r0.Stdout, r.Stdout);
            Assert.Equal(files0.Keys.Order(), files.Keys.Order());
            foreach (var (name, bytes) in files0) Assert.True(bytes.AsSpan().SequenceEqual(files[name]), $"{f}: {name} differs from the plain file's");
            return true;
        }
        var dir = Prepare(c, f.Bytes);
        try
        {
            var before = Snapshot(dir);
            var r = MixturesCli.Run(dir, c.Args);
            var lines = r.ErrorLines;
            Assert.True(f.ExitCodes.Contains(r.ExitCode), $"{f}: exit {r.ExitCode}: {r.Stderr}");
            Assert.InRange(lines.Length, 1, 3);
            Assert.StartsWith("mixtures: error: data.csv", lines[0]);
            Assert.DoesNotContain("Exception", r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr);
            if (f.Row is { } row) Assert.Contains($"row {row}", lines[0]);
            if (f.Column is { } col) Assert.Contains($"column {col}", lines[0]);
            Assert.Equal(before, Snapshot(dir)); // nothing created or changed, no temporary left, inputs unchanged
            return true;
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>Settings of the fuzz properties: each case starts the CLI, so few cases per run (a new sample every run;
/// a failing case prints itself and its seed for <c>Replay</c>).</summary>
public sealed class FuzzPropertyAttribute : PropertyAttribute
{
    public FuzzPropertyAttribute()
    {
        MaxTest = 10;
        QuietOnSuccess = true;
    }
}

/// <summary>The two fuzz properties of a command reading one data file: malformed files fail as promised, valid
/// variants give the plain file's outputs. A derived class names the command and its tables.</summary>
public abstract class CommandFuzzTests
{
    protected abstract FuzzCommand Command { get; }

    protected abstract Gen<BaseTable> Tables { get; }

    [FuzzProperty]
    public Property Malformed_files_fail_as_promised() =>
        Prop.ForAll((from t in Tables from f in FuzzFiles.Malformed(t) select (t, f)).ToArbitrary(), tf => FuzzRunner.Holds(Command, tf.f, []));

    [FuzzProperty(MaxTest = 4)]
    public Property Valid_variants_give_identical_outputs() =>
        Prop.ForAll((from t in Tables from f in FuzzFiles.Valid(t) select (t, f)).ToArbitrary(),
            tf => FuzzRunner.Holds(Command, tf.f, new System.Text.UTF8Encoding(false).GetBytes(tf.t.Text())));
}

public class RegressFuzzTests : CommandFuzzTests
{
    protected override FuzzCommand Command { get; } = new("regress",
        ["regress", "data.csv", "--y", "y", "--x", "x1,x2", "--k", "1..2", "--starts", "2", "--out", "out.json", "--assignments", "a.csv", "--quiet"],
        ["out.json", "a.csv"]);

    protected override Gen<BaseTable> Tables { get; } = FuzzFiles.Table(["y", "x1", "x2", "note"], 12, 30, false, ["y", "x1", "x2"]);
}

public class ClusterFuzzTests : CommandFuzzTests
{
    protected override FuzzCommand Command { get; } = new("cluster",
        ["cluster", "data.csv", "--columns", "a,b,c", "--k", "1..2", "--starts", "2", "--out", "out.json", "--assignments", "a.csv", "--quiet"],
        ["out.json", "a.csv"]);

    protected override Gen<BaseTable> Tables { get; } = FuzzFiles.Table(["id", "a", "b", "c"], 12, 30, false, ["a", "b", "c"]);
}

public class CompareFuzzTests : CommandFuzzTests
{
    protected override FuzzCommand Command { get; } = new("compare",
        ["compare", "data.csv", "--y", "y", "--x", "x", "--segment", "seg", "--k", "1", "--out", "out.json", "--quiet"],
        ["out.json"]);

    protected override Gen<BaseTable> Tables { get; } =
        FuzzFiles.Table(["y", "x", "seg"], 24, 40, false, ["y", "x"], (i, j) => j == 2 ? (i % 2 == 0 ? "A" : "B") : null!);
}

public class PredictFuzzTests : CommandFuzzTests
{
    /// <summary>A regression model.json fitted once on the bundled example.</summary>
    private static readonly Lazy<byte[]> Model = new(() =>
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "regress", Path.Combine(TestSupport.RepoRoot, "data", "regression.csv"), "--y", "y", "--x", "x1,x2", "--k", "2", "--out", "model.json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        return File.ReadAllBytes(dir.File("model.json"));
    });

    protected override FuzzCommand Command => new("predict", ["predict", "--model", "model.json", "data.csv", "--out", "out.csv", "--quiet"], ["out.csv"],
        new Dictionary<string, byte[]> { ["model.json"] = Model.Value });

    protected override Gen<BaseTable> Tables { get; } = FuzzFiles.Table(["y", "x1", "x2"], 5, 20, false, ["y", "x1", "x2"]);
}

public class SalesFuzzTests : CommandFuzzTests
{
    private static readonly string[] Header = ["Price", "S1", "S2", "S3", "S4", "S5", "S6"];

    protected override FuzzCommand Command { get; } = new("sales", ["sales", "data.csv", "--k", "1..2", "--starts", "2", "--out", "out.json", "--quiet"], ["out.json"]);

    protected override Gen<BaseTable> Tables { get; } = FuzzFiles.Table(Header, 6, 14, true, Header);
}

/// <summary>The spec functions read the same sales files; they print instead of writing.</summary>
public class SpecFuzzTests : CommandFuzzTests
{
    private static readonly string[] Header = ["Price", "S1", "S2", "S3", "S4", "S5", "S6"];

    protected override FuzzCommand Command { get; } = new("spec", ["spec", "Estimate", "data.csv", "--k", "2", "--starts", "2"], []);

    protected override Gen<BaseTable> Tables { get; } = FuzzFiles.Table(Header, 6, 14, true, Header);
}

/// <summary>The readers themselves, in process, on many texts from an alphabet of separators, quotes, line ends, digits,
/// signs and letters: they never throw, and every failure is one line naming the file.</summary>
public class ReaderFuzzTests
{
    private static readonly Gen<string> Texts =
        from chars in Gen.Elements("0123456789,,;;\t\"\n\n\r .e-+aAbPrice".ToCharArray()).ArrayOf()
        from header in Gen.Elements("a,b\n", "a;b\n", "Price,S1,S2\n", "", "a,a\n", "\"a\",b\n")
        select header + new string(chars);

    private static bool OneLine(LanguageExt.Common.Error e) => e.Message.StartsWith("f.csv: ", StringComparison.Ordinal) && !e.Message.Contains('\n');

    [Property(MaxTest = 400, QuietOnSuccess = true)]
    public Property The_table_reader_never_throws_and_fails_in_one_line() =>
        Prop.ForAll(Texts.ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), (text, comma) =>
            Mixtures.Data.DataTableCsv.ParseText(text, "f.csv",
                    new Mixtures.Data.TableRequest(["a", "b"], Numbers: comma ? Mixtures.Data.NumberCells.Comma : null))
                .Match(Succ: t => t.Rows > 0 && t.Values.Enumerate().All(double.IsFinite), Fail: OneLine));

    [Property(MaxTest = 400, QuietOnSuccess = true)]
    public Property The_sales_reader_never_throws_and_fails_in_one_line() =>
        Prop.ForAll(Texts.ToArbitrary(), text =>
            Mixtures.Data.SalesCsv.ParseText(text, "f.csv")
                .Match(Succ: s => s.Stores > 0 && s.LogSales.Enumerate().All(double.IsFinite), Fail: OneLine));
}
