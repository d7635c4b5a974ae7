using Mixtures.Domain;
using System.Collections.Immutable;
using CsvHelper;
using LanguageExt;
using Mixtures.Domain.Em;
using Mixtures.Domain.Simulate;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>The students of a class list, in file order, each once.</summary>
/// <param name="Students">Distinct student numbers (as written).</param>
/// <param name="Notes">What was skipped (repeated numbers), one line each.</param>
public sealed record ClassList(ImmutableArray<StudentNumber> Students, ImmutableArray<string> Notes);

/// <summary>
/// Reads a class list: a delimited file (, ; tab |) whose student numbers are in the column named
/// student, student number, student_id, id or number (any case), or in its only column; a file
/// whose first line is already a number has no header. Rows are lines of the file.
/// </summary>
public static class ClassListCsv
{
    private static readonly string[] ColumnNames = ["student", "studentnumber", "studentno", "studentid", "id", "number", "studentnr", "snumber"];

    /// <summary>Reads a class list file (one student number per row, under a header such as <c>student</c>); errors name the file and row.</summary>
    public static Fin<ClassList> Read(string path)
    {
        if (!File.Exists(path)) return FinFail<ClassList>(Failure.NoInput($"{path}: file not found"));
        if (new FileInfo(path).Length == 0) return FinFail<ClassList>(Failure.Data($"{path}: the file is empty"));
        try
        {
            using var reader = CsvReader.FromFile(path, Options);
            return Parse(reader, path);
        }
        catch (IOException e) { return FinFail<ClassList>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
        catch (UnauthorizedAccessException e) { return FinFail<ClassList>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
    }

    /// <summary>Parses class-list text (tests); <paramref name="file"/> names it in errors.</summary>
    public static Fin<ClassList> ParseText(string text, string file)
    {
        if (text.Length == 0) return FinFail<ClassList>(Failure.Data($"{file}: the file is empty"));
        using var reader = CsvReader.FromText(text, Options);
        return Parse(reader, file);
    }

    private static CsvReaderOptions Options => new()
    {
        Separator = null,
        HasHeader = true,
        TrimWhitespace = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
    };

    private static string Normalise(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static Fin<ClassList> Parse(CsvReader reader, string file)
    {
        var header = (reader.Headers ?? []).Select(h => h.Trim()).ToArray();
        if (header.Length == 0 || header.All(string.IsNullOrEmpty)) return FinFail<ClassList>(Failure.Data($"{file}: the file is empty"));
        var column = System.Array.FindIndex(header, h => ColumnNames.Contains(Normalise(h)));
        var headerless = false;
        if (column < 0)
        {
            if (StudentNumber.Parse(header[0]).IsSucc) { column = 0; headerless = true; }
            else if (header.Length == 1) column = 0;
            else
                return FinFail<ClassList>(Failure.Data(
                    $"{file}: row 1: no student-number column (name one 'student', 'student number' or 'id'); columns: {string.Join(", ", header)}"));
        }
        var name = headerless ? "1" : header[column];
        var students = ImmutableArray.CreateBuilder<StudentNumber>();
        var notes = ImmutableArray.CreateBuilder<string>();
        var firstRow = new Dictionary<string, long>();
        Fin<Unit> Add(string? cell, long row)
        {
            if (!StudentNumber.Parse(cell).TryGet(out var s, out var e))
                return FinFail<Unit>(Failure.Data($"{file}: row {row}, column {name}: {e.Message}"));
            if (firstRow.TryGetValue(s.Text, out var first)) { notes.Add($"student {s.Text} is listed again on row {row} (first on row {first}); written once"); return unit; }
            firstRow[s.Text] = row;
            students.Add(s);
            return unit;
        }
        if (headerless && !Add(header[0], 1).TryGet(out _, out var err0)) return FinFail<ClassList>(err0);
        while (reader.Read())
        {
            var row = reader.LineNumber;
            if (reader.FieldCount <= column)
                return FinFail<ClassList>(Failure.Data($"{file}: row {row}: {reader.FieldCount} field(s), no column {name}"));
            if (!Add(reader.GetString(column), row).TryGet(out _, out var err)) return FinFail<ClassList>(err);
        }
        if (students.Count == 0) return FinFail<ClassList>(Failure.Data($"{file}: no student numbers after the header"));
        return new ClassList(students.ToImmutable(), notes.ToImmutable());
    }
}
