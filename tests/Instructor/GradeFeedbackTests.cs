using System.Text.Json;
using System.Text.RegularExpressions;
using Mixtures.Domain.Em;
using Mixtures.Domain.Grading;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Instructor;

/// <summary><c>mixtures grade ... --feedback DIR</c>: one Markdown file per submission for its student and a class summary.</summary>
[Collection(GradingCollection.Name)]
public class GradeFeedbackTests(GradingFixture f)
{
    /// <summary>The file names in a folder, in ordinal order.</summary>
    private static string[] FileNames(string dir) => Directory.GetFiles(dir).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The page with the whitespace between tags removed (the renderer indents elements).</summary>
    private static string Html(string path) => Regex.Replace(File.ReadAllText(path), @">\s+<", "><");

    /// <summary>The text between a "## heading" line and the next "## " heading.</summary>
    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {heading}");
        var body = markdown[(start + heading.Length + 5)..];
        var end = body.IndexOf("\n## ", StringComparison.Ordinal);
        return end < 0 ? body : body[..end];
    }

    /// <summary>A folder of four submissions: one correct (student 609948), a second one of the same student with a
    /// wrong BIC, a broken JSON of the same student, and one whose student has no data file.</summary>
    private static void ClassFolder(TempFolder dir, string dataFile, string correct, string wrongBic)
    {
        Directory.CreateDirectory(dir.File("subs/609948"));
        Directory.CreateDirectory(dir.File("data"));
        File.Copy(dataFile, dir.File("data/609948.csv"));
        File.WriteAllText(dir.File("subs/609948/results.json"), correct);
        File.WriteAllText(dir.File("subs/ann_609948_v2.json"), wrongBic);
        File.WriteAllText(dir.File("subs/bob_611111.json"), correct);
        File.WriteAllText(dir.File("subs/609948/broken.json"), "{\"K\": [2, 3");
    }

    [Fact]
    public void A_correct_submission_has_nothing_wrong_and_the_summary_says_100()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("results.json"), f.StudentJson());
        var r = MixturesCli.Run(dir.Path, "grade", "results.json", "--data", f.DataFile, "--ref-starts", "5", "--feedback", "feedback");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("feedback written to feedback", r.Stdout);
        Assert.Equal(new[] { "609948.md", "summary.html" }, FileNames(dir.File("feedback")));
        var md = File.ReadAllText(dir.File("feedback/609948.md"));
        Assert.StartsWith("# Feedback on `results.json` (student 609948)\n", md);
        Assert.Contains("N = 60 stores, T = 20 weeks", md);
        Assert.Contains("**Score: 100.0%** (16 of 16 checks passed).", md);
        Assert.Contains("### K = 2\n", Section(md, "What is right"));
        Assert.Contains("- BIC formula: BIC = (3K - 1) ln(N T) - 2 logL.", Section(md, "What is right"));
        var wrong = Section(md, "What is wrong");
        Assert.Contains("Nothing: every check passed.", wrong);
        Assert.DoesNotContain("###", wrong);
        Assert.DoesNotContain("Likely cause", md);
        var numbers = Section(md, "Numbers to compare");
        var k3 = f.Reference.For(3)!;
        Assert.Contains($"| your log-likelihood | {k3.LogLikelihood.ToString("G10", System.Globalization.CultureInfo.InvariantCulture)} |", numbers);
        Assert.Contains($"| reference maximum | {k3.LogLikelihood.ToString("G10", System.Globalization.CultureInfo.InvariantCulture)} |", numbers);
        Assert.Contains("| your K (stated, or your lowest BIC) | 3 |", numbers);
        Assert.Contains("| reference K (lowest reference BIC) | 3 |", numbers);
        var html = Html(dir.File("feedback/summary.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<dt>mean score</dt><dd>100.0%</dd>", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("No graded submission has a failed check or a finding.", html);
        Assert.Contains("<td class=\"text\">609948.md</td>", html);
    }

    [Fact]
    public void A_wrong_BIC_is_under_what_is_wrong_with_the_advice_of_the_catalogue()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("results.json"), f.StudentJson(wrongBic: true));
        var r = MixturesCli.Run(dir.Path, "grade", "results.json", "--data", f.DataFile, "--ref-starts", "5", "--quiet", "--feedback", "fb");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var md = File.ReadAllText(dir.File("fb/609948.md"));
        Assert.Contains("**Score: 81.2%** (13 of 16 checks passed).", md);
        var wrong = Section(md, "What is wrong");
        var advice = Mistakes.Of(Mistakes.BicFormula).Advice;
        foreach (var k in new[] { 2, 3, 4 })
            Assert.Contains($"### K = {k}: BIC formula\n\nThe reported BIC counts all K weights as free (k = 3K instead of 3K - 1).\n", wrong);
        Assert.Equal(3, wrong.Split("Likely cause in your code: " + advice).Length - 1);
        Assert.DoesNotContain("BIC formula", Section(md, "What is right"));
        Assert.Contains("- LogL matches own parameters: the reported log-likelihood is LogL at the reported theta, pi.", Section(md, "What is right"));
    }

    [Fact]
    public void A_folder_gives_one_file_per_submission_with_distinct_names_and_counts_the_mistakes()
    {
        using var dir = new TempFolder();
        ClassFolder(dir, f.DataFile, f.StudentJson(), f.StudentJson(wrongBic: true));
        var r = MixturesCli.Run(dir.Path, "grade", "subs", "--data", "data", "--ref-starts", "5", "--out", "grades.csv", "--feedback", "fb");
        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(dir.File("grades.csv")));
        Assert.Equal(new[] { "609948_ann_609948_v2.md", "609948_broken.md", "609948_results.md", "611111.md", "summary.html" }, FileNames(dir.File("fb")));
        var broken = File.ReadAllText(dir.File("fb/609948_broken.md"));
        Assert.StartsWith("# Feedback on `609948/broken.json` (student 609948)\n", broken);
        Assert.Contains("could not be graded", broken);
        Assert.Contains("not valid JSON", broken);
        Assert.Contains("## What to fix", broken);
        Assert.Contains("could not be graded", File.ReadAllText(dir.File("fb/611111.md")));
        var v2 = File.ReadAllText(dir.File("fb/609948_ann_609948_v2.md"));
        Assert.Contains("Note: student 609948 also submitted 609948/broken.json, 609948/results.json: only one should count.", v2);
        Assert.Contains("### K = 4: BIC formula", v2);
        var html = Html(dir.File("fb/summary.html"));
        Assert.Contains("<dt>submissions</dt><dd>4</dd>", html);
        // two graded (results.json, ann_609948_v2.json): one of them has the wrong BIC formula
        Assert.Contains($"<td class=\"text\">{Mistakes.Of(Mistakes.BicFormula).Title}</td><td class=\"text\">bic-formula</td><td>1</td><td>50.0%</td>", html);
        Assert.Contains("<td class=\"text\">609948_ann_609948_v2.md</td>", html);
        Assert.Contains("<dt>mean score</dt><dd>90.6%</dd>", html);
        Assert.Contains("<dt>duplicates</dt><dd>2</dd>", html);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Running_twice_gives_byte_identical_files()
    {
        using var dir = new TempFolder();
        ClassFolder(dir, f.DataFile, f.StudentJson(), f.StudentJson(wrongBic: true));
        var first = MixturesCli.Run(dir.Path, "grade", "subs", "--data", "data", "--ref-starts", "5", "--quiet", "--feedback", "a");
        var second = MixturesCli.Run(dir.Path, "grade", "subs", "--data", "data", "--ref-starts", "5", "--quiet", "--feedback", "b");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        var names = FileNames(dir.File("a"));
        Assert.Equal(5, names.Length);
        Assert.Equal(names, FileNames(dir.File("b")));
        foreach (var name in names)
            Assert.True(File.ReadAllBytes(Path.Combine(dir.File("a"), name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File("b"), name))), name);
    }

    [Theory]
    [InlineData("feedback-file", "DATA")]        // --feedback names an existing regular file
    [InlineData("fb", "nowhere.csv")]            // the data file does not exist
    [InlineData("missing/fb", "DATA")]           // the feedback folder's parent does not exist
    [InlineData("subs", "DATA")]                 // the feedback folder is the submissions' folder
    public void A_failing_run_writes_nothing(string feedback, string data)
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("subs"));
        File.WriteAllText(dir.File("subs/results.json"), f.StudentJson());
        File.WriteAllText(dir.File("feedback-file"), "keep");
        var r = MixturesCli.Run(dir.Path, "grade", "subs", "--data", data == "DATA" ? f.DataFile : data, "--ref-starts", "5", "--out", "grades.csv", "--feedback", feedback);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.False(File.Exists(dir.File("grades.csv")));
        Assert.Equal("keep", File.ReadAllText(dir.File("feedback-file")));
        Assert.False(Directory.Exists(dir.File("fb")));
        Assert.Equal(["subs/results.json"], Directory.GetFiles(dir.File("subs"), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(dir.Path, p).Replace('\\', '/')));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Names_come_from_the_student_or_the_path_and_never_collide()
    {
        GradeRow Row(string submission, string? student) => new(submission, student, null, null, "x");
        var names = GradeFeedback.Names([
            Row("a/609948/results.json", "609948"), Row("b/609948/results.json", "609948"), Row("smith_609948.json", "609948"),
            Row("612345.json", "612345"), Row("team/notes.json", null), Row("TEAM_notes.json", null),
        ]);
        Assert.Equal(new[] { "609948_a_609948_results.md", "609948_b_609948_results.md", "609948_smith_609948.md",
            "612345.md", "team_notes_notes.md", "TEAM_notes_TEAM_notes.md" }, names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
