namespace Mixtures.Tests.Instructor;

public class SimulateStudentCommandTests
{
    [Fact]
    public void Student_file_and_truth_are_written_and_match_the_seed_route()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "simulate", "sales", "--student", "609948", "--stores", "30", "--weeks", "8", "--out", "data609948.csv", "--quiet");
        Assert.Equal(0, r.ExitCode);
        var truth = File.ReadAllText(dir.File("data609948.truth.json"));
        Assert.Contains("\"student\": \"609948\"", truth);
        Assert.Contains("\"seed\": 8353209566777939982", truth);
        // the derived seed and K reproduce the file through the plain --seed route
        var k = System.Text.Json.JsonDocument.Parse(truth).RootElement.GetProperty("k").GetInt32();
        r = MixturesCli.Run(dir.Path, "simulate", "sales", "--seed", "8353209566777939982", "--segments", k.ToString(), "--stores", "30", "--weeks", "8", "--out", "viaseed.csv", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(File.ReadAllText(dir.File("data609948.csv")), File.ReadAllText(dir.File("viaseed.csv")));
    }

    [Fact]
    public void Class_list_writes_one_file_per_student_and_keeps_truths_apart()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("students.csv"), "student,name\n609948,Ann\n611111,Bob\n");
        var r = MixturesCli.Run(dir.Path, "simulate", "sales", "--class-list", "students.csv", "--out-dir", "handout", "--stores", "20", "--weeks", "6", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["609948.csv", "611111.csv"], Directory.GetFiles(dir.File("handout")).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(dir.File("handout/truth/609948.truth.json")));
        var index = File.ReadAllLines(dir.File("handout/truth/index.csv"));
        Assert.Equal("student,file,K,seed,stores,weeks", index[0]);
        Assert.StartsWith("609948,609948.csv,3,8353209566777939982,20,6", index[1]);
    }

    [Fact]
    public void Bad_class_list_writes_nothing_and_names_the_row()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("students.csv"), "student\n609948\nabc\n");
        var r = MixturesCli.Run(dir.Path, "simulate", "sales", "--class-list", "students.csv", "--out-dir", "handout");
        Assert.Equal(65, r.ExitCode);
        Assert.Equal(["mixtures: error: students.csv: row 3, column student: 'abc' is not a student number (1 to 18 digits 0-9)"], r.ErrorLines);
        Assert.False(Directory.Exists(dir.File("handout")));
    }

    [Theory]
    [InlineData(64, "--student", "609948", "--seed", "3", "--out", "x.csv")]
    [InlineData(64, "--student", "60a", "--out", "x.csv")]
    [InlineData(64, "--student", "609948")]
    [InlineData(64, "--student", "609948", "--segments", "many", "--out", "x.csv")]
    [InlineData(66, "--class-list", "missing.csv")]
    public void Bad_options_give_one_line_and_an_exit_code(int code, params string[] args)
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, ["simulate", "sales", .. args]);
        Assert.Equal(code, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Seed_route_keeps_its_old_default_of_three_segments()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "simulate", "sales", "--seed", "5", "--stores", "10", "--weeks", "5", "--out", "s.csv", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"k\": 3", File.ReadAllText(dir.File("s.truth.json")));
    }
}
