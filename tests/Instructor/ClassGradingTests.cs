namespace Mixtures.Tests.Instructor;

/// <summary>
/// End to end, as an instructor runs it: a class of 20 simulated students (default size, 300 stores x 52
/// weeks, true K drawn per student), each "student" submitting the default <c>mixtures sales</c> fit of their
/// own file, graded with the default reference. Every one must score 100%: the grader may not fail a correct
/// estimate, and the estimate must reach the reference maximum on every simulated file.
/// </summary>
public class ClassGradingTests
{
    [Fact]
    public void Default_sales_fits_of_a_class_of_20_students_all_score_100()
    {
        using var dir = new TempFolder();
        var students = Enumerable.Range(1, 20).Select(i => (610000 + 7919 * i).ToString()).ToList();
        File.WriteAllLines(dir.File("class.csv"), ["student", .. students]);
        var sim = MixturesCli.Run(dir.Path, "simulate", "sales", "--class-list", "class.csv", "--out-dir", "data", "--quiet");
        Assert.Equal(0, sim.ExitCode);
        Directory.CreateDirectory(dir.File("subs"));
        Parallel.ForEach(students, new ParallelOptions { MaxDegreeOfParallelism = 2 }, s =>
        {
            var fit = MixturesCli.Run(dir.Path, "sales", $"data/{s}.csv", "--quiet", "--out", $"subs/{s}.json");
            Assert.True(fit.ExitCode == 0, fit.Stderr);
        });
        var r = MixturesCli.Run(dir.Path, "grade", "subs", "--data", "data", "--quiet", "--out", "grades.csv");
        Assert.Equal(0, r.ExitCode);
        var rows = File.ReadAllLines(dir.File("grades.csv")).Skip(1).ToList();
        Assert.Equal(20, rows.Count);
        // the true K varies over the class, so the check is not one easy case twenty times
        var trueK = File.ReadAllLines(dir.File("data/truth/index.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[2])).ToList();
        Assert.Equal([2, 3, 4], trueK.Distinct().Order());
        Assert.All(rows, row => Assert.Contains(",graded,100.0,16,16,", row));
    }
}
