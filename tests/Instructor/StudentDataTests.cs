using Mixtures.Domain;
using System.Security.Cryptography;
using Mixtures.Domain.Em;
using Mixtures.Domain.Simulate;
using Mixtures.Data;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Instructor;

public class StudentDataTests
{
    private static StudentNumber Number(string s) => StudentNumber.Parse(s).Value();

    private static string CsvText(SalesSample sample)
    {
        using var ms = new MemoryStream();
        SalesCsvWriter.Write(ms, sample);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    // Expected values computed once, with this generator (SplitMix64-derived seeds, MathNet 5.0.0
    // xoshiro256**, polar normal draws), by
    //   mixtures simulate sales --student 609948 --out data609948.csv && sha256sum data609948.csv
    // and reading the file and data609948.truth.json. If this test fails, the data handed to students
    // would change: a generator change must be deliberate (and announced), never accidental.
    [Fact]
    public void Student_609948_data_is_pinned()
    {
        var sample = StudentData.Simulate(Number("609948"));
        Assert.Equal(8353209566777939982UL, sample.Seed);
        Assert.Equal(3, sample.Truth.K);
        Assert.Equal(2.0815087914687407, sample.Truth.Theta.Segments[0].Alpha);
        Assert.Equal(-2.286138712628426, sample.Truth.Theta.Segments[0].Beta);
        Assert.Equal(0.397735525179276, sample.Truth.Pi.Pi[0]);
        Assert.Equal(1.95, sample.Prices[0]);
        var text = CsvText(sample);
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(53, rows.Length);
        Assert.StartsWith("1.95,14.18323414,0.8339897779,", rows[1]);
        Assert.EndsWith(",2.449281001", rows[52]);
        Assert.Equal("750b5308622ca1fe040e08fab627c1dcd963edd0919a7eed12d4f1f4e8fa9fa4",
            Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void Small_student_file_is_pinned()
    {
        // sha256sum of: mixtures simulate sales --student 609948 --stores 60 --weeks 20 --out small.csv
        var text = CsvText(StudentData.Simulate(Number("609948"), 60, 20));
        Assert.Equal("4a258e0b455ce3881479e8032ab065c41a4bb9c7011c803ffd8cb68414aecea1",
            Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void Same_number_gives_the_same_data_and_leading_zeros_do_not_matter()
    {
        var a = StudentData.Simulate(Number("609948"), 40, 10);
        var b = StudentData.Simulate(Number("0609948"), 40, 10);
        Assert.Equal(CsvText(a), CsvText(b));
        Assert.NotEqual(CsvText(a), CsvText(StudentData.Simulate(Number("609949"), 40, 10)));
    }

    [Fact]
    public void A_student_file_is_the_seed_file_of_its_derived_seed()
    {
        var s = StudentData.Simulate(Number("609948"), 30, 8);
        var viaSeed = SalesSimulator.Simulate(SalesSimulator.RandomTruth(s.Truth.K, s.Seed), 30, 8, s.Seed);
        Assert.Equal(CsvText(s), CsvText(viaSeed));
    }

    [Fact]
    public void True_K_is_drawn_in_2_to_4_and_every_value_occurs()
    {
        var ks = Enumerable.Range(600000, 300).Select(n => StudentData.TrueK(Number(n.ToString()))).ToList();
        Assert.All(ks, k => Assert.InRange(k, 2, 4));
        foreach (var k in new[] { 2, 3, 4 }) Assert.InRange(ks.Count(x => x == k), 70, 130);
    }

    [Fact]
    public void A_given_K_overrides_the_drawn_one()
    {
        Assert.Equal(2, StudentData.Simulate(Number("609948"), 20, 5, K: 2).Truth.K);
    }

    [Theory]
    [InlineData("")]
    [InlineData("60a")]
    [InlineData("-5")]
    [InlineData("1234567890123456789")]
    public void Bad_student_numbers_are_rejected(string text) => Assert.True(StudentNumber.Parse(text).IsFail);

    [Fact]
    public void Class_list_reads_a_named_column_and_notes_repeats()
    {
        var list = ClassListCsv.ParseText("name;Student Number\nAnn;609948\nBob;611111\nAnn;609948\n", "c.csv").Value();
        Assert.Equal(["609948", "611111"], list.Students.Select(s => s.Text));
        Assert.Single(list.Notes);
        Assert.Contains("row 4", list.Notes[0]);
    }

    [Fact]
    public void Class_list_without_header_starts_at_row_1()
    {
        var list = ClassListCsv.ParseText("609948\n611111\n", "c.csv").Value();
        Assert.Equal(["609948", "611111"], list.Students.Select(s => s.Text));
    }

    [Fact]
    public void Class_list_errors_name_file_row_and_column()
    {
        Assert.True(ClassListCsv.ParseText("id,name\n609948,Ann\n6x,Bob\n", "c.csv").TryGet(out _, out var e) == false);
        Assert.Equal("c.csv: row 3, column id: '6x' is not a student number (1 to 18 digits 0-9)", e.Message);
        Assert.False(ClassListCsv.ParseText("name,mark\nAnn,7\n", "c.csv").TryGet(out _, out var e2));
        Assert.StartsWith("c.csv: row 1: no student-number column", e2.Message);
    }
}
