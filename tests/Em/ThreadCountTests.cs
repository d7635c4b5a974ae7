using System.Collections.Concurrent;
using Mixtures.Domain.Em;

namespace Mixtures.Tests.Em;

/// <summary>
/// <c>--threads N</c>: every parallel loop honours the limit, and every fitting command gives byte-identical files for
/// N = 1, 2 and 4 (the data have several 4096-row chunks, so the chunk sums really are split between threads, and
/// several starts, so starts run side by side).
/// </summary>
public class ThreadCountTests
{
    [Fact]
    public void One_thread_keeps_every_chunk_on_the_calling_thread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var seen = new ConcurrentBag<int>();
        Parallelism.WithThreads(1, () =>
        {
            Parallelism.ForChunks(64, _ => { seen.Add(Environment.CurrentManagedThreadId); Thread.SpinWait(20_000); });
            return 0;
        });
        Assert.Equal(64, seen.Count);
        Assert.All(seen, id => Assert.Equal(caller, id));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void N_threads_never_run_more_than_N_chunks_at_once(int threads)
    {
        var running = 0;
        var most = 0;
        Parallelism.WithThreads(threads, () =>
        {
            Parallelism.ForChunks(48, _ =>
            {
                var now = Interlocked.Increment(ref running);
                int seen;
                while ((seen = Volatile.Read(ref most)) < now && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
                Thread.Sleep(2);
                Interlocked.Decrement(ref running);
            });
            return 0;
        });
        Assert.InRange(most, 1, threads);
    }

    [Fact]
    public void The_limit_reaches_tasks_started_inside_its_scope_and_ends_with_it()
    {
        var outside = Parallelism.Threads;
        var (direct, inTask, nested) = Parallelism.WithThreads(3, () =>
            (Parallelism.Threads, Task.Run(() => Parallelism.Threads).Result, Parallelism.WithThreads(1, () => Parallelism.Threads)));
        Assert.Equal(3, direct);
        Assert.Equal(3, inTask);
        Assert.Equal(1, nested);
        Assert.Equal(outside, Parallelism.Threads);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount), outside);
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.WithThreads(0, () => 0));
    }

    private static readonly Lazy<string> Folder = new(() => TestSupport.TempDir());

    /// <summary>A simulated file in the shared folder, made once per name.</summary>
    private static string Simulated(string name, params string[] args)
    {
        var path = Path.Combine(Folder.Value, name);
        lock (Folder)
        {
            if (File.Exists(path)) return path;
            var (code, _, err) = TestSupport.RunCli(["simulate", .. args, "--out", path, "--quiet"]);
            Assert.True(code == 0, err);
        }
        return path;
    }

    /// <summary>Runs <paramref name="args"/> with --threads 1, 2 and 4 and asserts that the files named by
    /// <paramref name="outputs"/> (option names, each followed by a path made here) are byte-identical.</summary>
    private static void Identical(string label, string[] args, params string[] outputs)
    {
        byte[][] Run(int threads)
        {
            var files = outputs.Select(o => Path.Combine(Folder.Value, $"{label}-{threads}{o.Replace("--", "-")}")).ToArray();
            string[] full = [.. args, "--threads", threads.ToString(), "--quiet", .. outputs.SelectMany((o, i) => new[] { o, files[i] })];
            var (code, _, err) = TestSupport.RunCli(full);
            Assert.True(code == 0, $"{label}, --threads {threads}: {err}");
            return files.Select(File.ReadAllBytes).ToArray();
        }
        var one = Run(1);
        foreach (var n in new[] { 2, 4 })
        {
            var other = Run(n);
            for (var i = 0; i < outputs.Length; i++)
                Assert.True(one[i].AsSpan().SequenceEqual(other[i]), $"{label}: {outputs[i]} differs between --threads 1 and --threads {n}");
        }
    }

    [Fact]
    public void Regress_gaussian_is_identical_for_any_thread_count() =>
        Identical("gaussian", ["regress", Simulated("reg.csv", "regression", "--rows", "10000", "--seed", "5"), "--y", "y", "--x", "x1,x2",
            "--k", "2..3", "--starts", "2"], "--out", "--assignments");

    [Fact]
    public void Regress_grouped_is_identical_for_any_thread_count() =>
        Identical("grouped", ["regress", Simulated("grp.csv", "regression", "--rows", "12000", "--rows-per-group", "2", "--seed", "6"), "--y", "y",
            "--x", "x1,x2", "--group", "group", "--k", "2..3", "--starts", "2"], "--out", "--assignments");

    [Fact]
    public void Regress_poisson_is_identical_for_any_thread_count() =>
        Identical("poisson", ["regress", Simulated("pois.csv", "regression", "--family", "poisson", "--rows", "10000", "--seed", "7"), "--y", "y",
            "--x", "x1", "--family", "poisson", "--k", "2", "--starts", "3"], "--out", "--assignments");

    [Fact]
    public void Regress_binomial_is_identical_for_any_thread_count() =>
        Identical("binomial", ["regress", Simulated("bin.csv", "regression", "--family", "binomial", "--rows", "10000", "--seed", "8"), "--y", "y",
            "--x", "x1", "--family", "binomial", "--trials", "trials", "--k", "2", "--starts", "3"], "--out", "--assignments");

    [Theory]
    [InlineData("full")]
    [InlineData("tied")]
    [InlineData("diag")]
    [InlineData("spherical")]
    public void Cluster_is_identical_for_any_thread_count(string covariance) =>
        Identical($"cluster-{covariance}", ["cluster", Simulated("customers.tsv", "customers", "--rows", "10000", "--seed", "3"),
            "--columns", "MntWines,MntFruits,MntMeatProducts,MntFishProducts", "--standardize", "--covariance", covariance, "--k", "2..3",
            "--starts", "2"], "--out", "--assignments");

    // blocks of 8192 rows: two 4096-row chunks each, so the kernels' chunk loops run on several threads
    [Fact]
    public void Cluster_stream_is_identical_for_any_thread_count() =>
        Identical("stream", ["cluster", Simulated("customers.tsv", "customers", "--rows", "10000", "--seed", "3"),
            "--columns", "MntWines,MntFruits,MntMeatProducts,MntFishProducts", "--k", "3", "--stream", "--chunk-rows", "8192",
            "--sample-rows", "3000", "--starts", "2"], "--out", "--assignments");

    [Fact]
    public void Sales_is_identical_for_any_thread_count() =>
        Identical("sales", ["sales", Simulated("sales.csv", "sales", "--stores", "5000", "--weeks", "20", "--segments", "3", "--seed", "9"),
            "--k", "2,3", "--starts", "3"], "--out");

    [Fact]
    public void Threads_out_of_range_is_one_line_and_exit_64_with_no_output()
    {
        var output = Path.Combine(TestSupport.TempDir(), "r.json");
        var (code, stdout, err) = TestSupport.RunCli(["sales", Path.Combine(TestSupport.RepoRoot, "data", "sales.csv"), "--threads", "0", "--out", output]);
        Assert.Equal(64, code);
        Assert.Equal("", stdout);
        Assert.Equal("mixtures: error: --threads must be between 1 and 1024 (got 0)", err.Trim());
        Assert.False(File.Exists(output));
    }
}
