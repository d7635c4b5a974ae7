// What one Parallel.For costs per EM iteration on this machine: 25 chunks of about 34 us of work each (the sales
// panel's sweep over 100,000 stores in 4096-store chunks on one core) then 30 us of serial work, on two threads, against
// the ideal (the busier thread's 13 chunks plus the serial part) and against one thread.
//   dotnet run bench/parallel_overhead.cs -c Release
// Results in bench/README.md, "Asking for the rows ahead".
using System.Diagnostics;

static double Spin(double us)
{
    var end = Stopwatch.GetTimestamp() + (long)(us * Stopwatch.Frequency / 1e6);
    var x = 0.0;
    while (Stopwatch.GetTimestamp() < end) x += 1;
    return x;
}

const int chunks = 25, loops = 2000;
const double chunkUs = 34, serialUs = 30;
var options = new ParallelOptions { MaxDegreeOfParallelism = 2 };
var ideal = (chunks + 1) / 2 * chunkUs + serialUs;
for (var rep = 0; rep < 5; rep++)
{
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < loops; i++) { Parallel.For(0, chunks, options, _ => Spin(chunkUs)); Spin(serialUs); }
    var parallel = sw.Elapsed.TotalMilliseconds * 1000 / loops;
    sw.Restart();
    for (var i = 0; i < loops / 4; i++) { for (var c = 0; c < chunks; c++) Spin(chunkUs); Spin(serialUs); }
    var sequential = sw.Elapsed.TotalMilliseconds * 1000 / (loops / 4);
    Console.WriteLine($"per iteration: two threads {parallel:F0} us (ideal {ideal:F0} us), one thread {sequential:F0} us");
}
