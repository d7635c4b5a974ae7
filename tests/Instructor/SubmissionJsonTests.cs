using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Grading;
using Mixtures.Shell;
using Mixtures.Data;

namespace Mixtures.Tests.Instructor;

public class SubmissionJsonTests
{
    private static Submission Read(string json) => SubmissionJson.Parse(json, "s.json").Value();

    private const string StudentLayout = """
        {
          "K": [2, 3],
          "Theta": [[[2.0, -1.5], [4.0, -2.0]], [1.0, -1.0, 2.0, -2.0, 3.0, -3.0]],
          "Pi": [[0.4, 0.6], [0.2, 0.3, 0.5]],
          "Log Likelihood": [-1710.5, -1693.25],
          "BIC": [3455.7, 3444.3]
        }
        """;

    [Fact]
    public void Student_layout_with_pairs_and_flat_vectors_is_read()
    {
        var s = Read(StudentLayout);
        Assert.Empty(s.Problems);
        Assert.Equal([2, 3], s.Models.Select(m => m.K));
        Assert.Equal(4.0, s.For(2)!.Theta!.Segments[1].Alpha);
        Assert.Equal(-3.0, s.For(3)!.Theta!.Segments[2].Beta);
        Assert.Equal([0.2, 0.3, 0.5], s.For(3)!.Pi!.Value.ToArray());
        Assert.Equal(-1693.25, s.For(3)!.LogLikelihood);
        Assert.Equal(3444.3, s.For(3)!.Bic);
        Assert.Null(s.StatedK);
    }

    [Fact]
    public void Our_results_json_layout_is_read_with_its_selected_K()
    {
        var s = Read("""
            {"data": {"file": "x.csv"}, "models": [
              {"K": 2, "theta": [[2, -1.5], [4, -2]], "pi": [0.4, 0.6], "logLikelihood": -10.5, "bic": 30.25, "starts": []}],
             "selectedK": 2}
            """);
        Assert.Empty(s.Problems);
        Assert.Equal(2, s.StatedK);
        Assert.Equal(-10.5, s.For(2)!.LogLikelihood);
    }

    [Fact]
    public void Models_keyed_by_K_and_alpha_beta_lists_are_read()
    {
        var s = Read("""
            {"K=2": {"theta": {"alpha": [2, 4], "beta": [-1.5, -2]}, "pi": [0.4, 0.6], "log_likelihood": -10.5, "bic": "30.25"},
             "3": {"theta": [[1, -1], [2, -2], [3, -3]], "weights": [0.2, 0.3, 0.5], "logL": -9, "BIC": 35}}
            """);
        Assert.Empty(s.Problems);
        Assert.Equal(-2.0, s.For(2)!.Theta!.Segments[1].Beta);
        Assert.Equal(30.25, s.For(2)!.Bic);
        Assert.Equal(35, s.For(3)!.Bic);
    }

    [Fact]
    public void What_cannot_be_read_is_listed_and_left_out()
    {
        var s = Read("""
            {"K": [2, 3, 4],
             "Theta": [[[2, -1.5], [4, -2]], [1, -1, 2, -2], [[1, -1], [2], [3, -3], [4, -4]]],
             "Pi": [[0.4, 0.6], [0.2, 0.3, 0.5], [0.25, 0.25, 0.25, "a lot"]],
             "Log Likelihood": [-10.5, NaN, -8],
             "BIC": [30, 31]}
            """);
        Assert.Equal(
        [
            "the file contains NaN or Infinity (1 value(s)), which JSON does not allow; read as missing values",
            "BIC has 2 entries for 3 K values; matched by position",
            "K = 3: theta has 2 segment(s) (4 numbers); expected 3 pairs [alpha, beta]",
            "K = 3: the log-likelihood is missing or not a finite number",
            "K = 4: theta segment 2 has 1 number(s); each segment is a pair [alpha, beta]",
            "K = 4: pi holds something other than finite numbers",
        ], s.Problems.ToArray());
        Assert.Null(s.For(3)!.Theta);
        Assert.Null(s.For(3)!.LogLikelihood);
        Assert.Null(s.For(4)!.Bic);
        Assert.NotNull(s.For(2)!.Theta);
    }

    [Theory]
    [InlineData("{\"K\": [2, 3], \"Theta\": [", "s.json: not valid JSON (line 1, position")]
    [InlineData("results: K=2 logL=-10", "s.json: not valid JSON (line 1, position 1")]
    [InlineData("{\"name\": \"Ann\"}", "s.json: no models found")]
    [InlineData("[]", "s.json: no models found")]
    public void Malformed_files_are_data_errors(string text, string message)
    {
        Assert.False(SubmissionJson.Parse(text, "s.json").TryGet(out _, out var e));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(ExitCodes.DataError, Failure.ExitCodeOf(e));
    }

    [Fact]
    public void Non_finite_tokens_inside_strings_are_left_alone()
    {
        var (text, n) = SubmissionJson.ReplaceNonFinite("{\"note\": \"NaN here\", \"x\": -Infinity, \"y\": [NaN, Infinity]}");
        Assert.Equal(3, n);
        Assert.Equal("{\"note\": \"NaN here\", \"x\": null, \"y\": [null, null]}", text);
    }
}
