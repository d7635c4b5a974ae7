using Mixtures.Shell.Output;
using System.Text.Json;
using Mixtures.Domain.Em;

namespace Mixtures.Tests.Instructor;

[Collection(GradingCollection.Name)]
public class GradeCommandTests(GradingFixture f)
{
    [Fact]
    public void Results_json_of_the_sales_command_grades_100()
    {
        using var dir = new TempFolder();
        var sales = MixturesCli.Run(dir.Path, "sales", f.DataFile, "--quiet", "--out", "results.json");
        Assert.Equal(0, sales.ExitCode);
        var r = MixturesCli.Run(dir.Path, "grade", "results.json", "--data", f.DataFile, "--ref-starts", "5", "--out", "grades.csv");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("results.json: score 100.0% (16/16 checks passed)", r.Stdout);
        var csv = File.ReadAllLines(dir.File("grades.csv"));
        Assert.Equal("submission,student,data,status,score,passed,checks,chosen_k,reference_k,failed_checks,causes,findings,problems", csv[0]);
        Assert.StartsWith("results.json,609948,", csv[1]);
        Assert.EndsWith(",graded,100.0,16,16,3,3,,,,", csv[1]);
    }

    [Fact]
    public void Reference_fits_show_progress_only_when_forced_and_change_nothing()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("results.json"), f.StudentJson());
        string[] Args(string output) => ["grade", dir.File("results.json"), "--data", f.DataFile, "--ref-starts", "5", "--out", dir.File(output)];
        var forced = new Dictionary<string, string> { [ProgressDisplay.ForceVariable] = "1" };
        var plain = TestSupport.RunCli(Args("plain.csv"));
        var shown = TestSupport.RunCli(Args("shown.csv"), env: forced);
        var quiet = TestSupport.RunCli([.. Args("quiet.csv"), "--quiet"], env: forced);
        Assert.True(plain.ExitCode == 0 && shown.ExitCode == 0 && quiet.ExitCode == 0, plain.Stderr + shown.Stderr + quiet.Stderr);
        Assert.Equal("", plain.Stderr);          // the tests' stderr is a pipe
        Assert.Equal("", quiet.Stderr);
        Assert.Contains("fitting", shown.Stderr);
        Assert.Equal(plain.Stdout.Replace("plain.csv", "shown.csv"), shown.Stdout);
        Assert.Equal(File.ReadAllBytes(dir.File("plain.csv")), File.ReadAllBytes(dir.File("shown.csv")));
        Assert.Equal(File.ReadAllBytes(dir.File("plain.csv")), File.ReadAllBytes(dir.File("quiet.csv")));
    }

    [Fact]
    public void A_folder_gives_one_row_per_submission_matched_to_each_students_data()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("subs/609948"));
        Directory.CreateDirectory(dir.File("data"));
        File.Copy(f.DataFile, dir.File("data/609948.csv"));
        File.WriteAllText(dir.File("subs/609948/results.json"), f.StudentJson());
        File.WriteAllText(dir.File("subs/ann_609948_v2.json"), f.StudentJson(wrongBic: true));
        File.WriteAllText(dir.File("subs/bob_611111.json"), f.StudentJson());
        File.WriteAllText(dir.File("subs/609948/broken.json"), "{\"K\": [2, 3");
        var r = MixturesCli.Run(dir.Path, "grade", "subs", "--data", "data", "--ref-starts", "5", "--out", "grades.csv");
        Assert.Equal(0, r.ExitCode);
        var rows = File.ReadAllLines(dir.File("grades.csv")).Skip(1).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.StartsWith("609948/broken.json,609948,", rows[0]);
        Assert.Contains(",not graded,", rows[0]);
        Assert.Contains("not valid JSON", rows[0]);
        // three files of student 609948: each graded (or not) and flagged, never silently scored twice
        Assert.StartsWith("609948/results.json,609948,", rows[1]);
        Assert.Contains(",duplicate,100.0,16,16,3,3,", rows[1]);
        Assert.EndsWith("student 609948 also submitted 609948/broken.json, ann_609948_v2.json: only one should count\"", rows[1]);
        Assert.StartsWith("ann_609948_v2.json,609948,", rows[2]);
        Assert.Contains(",duplicate,81.2,13,16,3,3,K = 2: BIC formula | K = 3: BIC formula | K = 4: BIC formula,bic-formula,", rows[2]);
        Assert.Contains("mixtures: note: student 609948 has 3 submissions (609948/broken.json, 609948/results.json, ann_609948_v2.json); each is graded and marked 'duplicate'", r.Stderr);
        Assert.StartsWith("bob_611111.json,611111,,not graded,", rows[3]);
        Assert.Contains("no data file", rows[3]);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Theory]
    [InlineData(65, "broken.json", "DATA")]
    [InlineData(66, "missing.json", "DATA")]
    [InlineData(66, "good.json", "nowhere.csv")]
    [InlineData(66, "empty", "DATA")]
    [InlineData(64, "good.json", "DATA", "--tol", "-1")]
    public void Ungradable_input_ends_with_one_line_and_writes_nothing(int code, string submission, string data, params string[] more)
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("broken.json"), "{\"K\": [2, 3], \"Theta\": [[[1, 2]], oops]}");
        File.WriteAllText(dir.File("good.json"), f.StudentJson());
        Directory.CreateDirectory(dir.File("empty"));
        var r = MixturesCli.Run(dir.Path, ["grade", submission, "--data", data == "DATA" ? f.DataFile : data, "--out", "grades.csv", .. more]);
        Assert.Equal(code, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.False(File.Exists(dir.File("grades.csv")));
    }

    [Fact]
    public void Explain_lists_every_check_with_the_tolerances_given_and_needs_no_input()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "grade", "--explain", "--ll-tol", "0.5", "--tol", "1e-6");
        Assert.Equal(0, r.ExitCode);
        var names = Enum.GetValues<Mixtures.Domain.Grading.CheckKind>()
            .Select(k => new Mixtures.Domain.Grading.CheckResult(null, k, true, null, null, null, null, "").Name).ToList();
        // every check the grader makes is explained, numbered in report order
        for (var i = 0; i < names.Count; i++) Assert.Contains($"{i + 1}. {names[i]}\n", r.Stdout);
        Assert.Contains("LogL >= reference - ll-tol = reference - 0.5", r.Stdout);
        Assert.Contains("tol = 1E-06 (--tol)", r.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void With_one_data_file_the_student_is_the_data_files_number_not_digits_in_the_path()
    {
        using var dir = new TempFolder();
        // a submission inside a commit-hash folder: its digits are not a student number
        Directory.CreateDirectory(dir.File("574638a9"));
        File.WriteAllText(dir.File("574638a9/results.json"), f.StudentJson());
        var r = MixturesCli.Run(dir.Path, "grade", "574638a9/results.json", "--data", f.DataFile, "--ref-starts", "5", "--out", "grades.csv");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("results.json,609948,", File.ReadAllLines(dir.File("grades.csv"))[1]);
    }

    [Fact]
    public void Redirected_output_is_plain_lines_never_wrapped_inside_a_sentence()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("results.json"), f.StudentJson(wrongBic: true));
        var r = MixturesCli.Run(dir.Path, "grade", "results.json", "--data", f.DataFile, "--ref-starts", "5");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("results.json: score 81.2% (13/16 checks passed)", lines[0]);
        // one line per check, each holding its whole sentence
        var bic = lines.Single(l => l.StartsWith("  FAIL  K = 3: BIC formula: "));
        Assert.Contains("the reported BIC counts all K weights as free (k = 3K instead of 3K - 1) [value ", bic);
        Assert.Equal(16, lines.Count(l => l.StartsWith("  pass  ") || l.StartsWith("  FAIL  ")));
        Assert.DoesNotContain(lines, l => l.Contains('│') || l.Contains('┃'));
    }
}
