using System.Diagnostics;
using System.Globalization;
using Boltzmann.Data.Lattice;
using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Physics.Actions;
using Boltzmann.Physics.Lattice;
using Boltzmann.Random;

namespace Boltzmann.Benchmarks.Lattice;

/// <summary>
/// HMC throughput of the plain-C# lattice kernels: complete trajectories (momentum refresh, leapfrog steps, Metropolis
/// test) of independent chains, one per thread, counted as site-leapfrog updates (sites x N_LF per trajectory) for
/// phi^4 and link-leapfrog updates (2V x N_LF) for U(1). Also the lattice dataset's bytes per stored float32 and its
/// write/read rates. Chains are warmed up first so the tiered JIT has optimised the kernels.
/// </summary>
public static class LatticeHmcWorkload
{
    /// <summary>
    /// Updates per wall-clock second, and per CPU second of this process (the per-core rate that does not depend on
    /// other processes competing for the cores).
    /// </summary>
    public sealed record Result(string Name, int Threads, double UpdatesPerSecond, double UpdatesPerCpuSecond)
    {
        public double PerCore => UpdatesPerSecond / Threads;
    }

    public sealed record DatasetResult(double BytesPerFloat, double WriteFloatsPerSecond, double ReadFloatsPerSecond);

    public static Result Phi4(int l, int t, int threads, double seconds, int nLf = 10) =>
        Measure($"phi4[{l}x{t},kappa=0.27,lambda=0.022,N_LF={nLf}]", threads, seconds, nLf, l * t,
            _ => new Phi4Action(new Lattice2D(l, t), 0.27, 0.022), new HmcOptions(0.08, nLf), n => new double[n]);

    public static Result U1(int l, int threads, double seconds, int nLf = 10) =>
        Measure($"u1[{l}x{l},beta=3,N_LF={nLf}]", threads, seconds, nLf, 2 * l * l,
            _ => new U1WilsonAction(new Lattice2D(l, l), 3.0), new HmcOptions(0.1, nLf, CompactAngles: true), n => new double[n]);

    private static Result Measure<TAction>(string name, int threads, double seconds, int nLf, int dof, Func<long, TAction> actionFor, HmcOptions options,
        Func<int, double[]> initial) where TAction : IContinuousAction
    {
        var chains = Enumerable.Range(0, threads)
            .Select(c => new HmcChain<TAction>(actionFor(c), options, RandomStreams.For(1, "bench", 0, c), initial(dof), c)).ToArray();
        var counts = new long[threads];
        void Run(double budget)
        {
            var stop = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
            {
                long n = 0;
                while (stop.Elapsed.TotalSeconds < budget)
                {
                    for (int k = 0; k < 20; k++) chains[c].Step();
                    n += 20;
                }
                counts[c] = n;
            });
        }
        Run(Math.Min(0.5, seconds / 2));
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Run(seconds);
        double elapsed = clock.Elapsed.TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        double updates = counts.Sum() * (double)nLf * dof;
        return new Result(name, threads, updates / elapsed, updates / Math.Max(cpu, 1e-9));
    }

    /// <summary>Writes and reads a dataset of HMC-like phi^4 configurations (16 x 8) in a temporary directory.</summary>
    public static DatasetResult Dataset(int rows)
    {
        var schema = new LatticeDatasetSchema(["kappa", "action", "magnetisation", "hopping", "acceptance", "delta_h"], "field", [16, 8]);
        var action = new Phi4Action(new Lattice2D(16, 8), 0.27, 0.022);
        var chain = new HmcChain<Phi4Action>(action, new HmcOptions(0.1, 10), new RandomStream(3), new double[128]);
        for (int i = 0; i < 200; i++) chain.Step();
        var batch = new LatticeBatch(schema, rows);
        for (int r = 0; r < rows; r++)
        {
            var tr = chain.Step();
            batch.Add(0, r, [0.27, tr.Action, Phi4Observables.Magnetisation(chain.Positions), 0, tr.AcceptProbability, tr.DeltaH], chain.Positions);
        }
        var dir = Directory.CreateTempSubdirectory("boltz-lattice-bench-").FullName;
        try
        {
            var writer = new LatticeDatasetWriter(dir, schema, new Dictionary<string, string>());
            writer.WritePartAsync(0, batch).GetAwaiter().GetResult();   // warm-up
            var clock = Stopwatch.StartNew();
            writer.WritePartAsync(0, batch).GetAwaiter().GetResult();
            double write = clock.Elapsed.TotalSeconds;
            long values = 0;
            clock.Restart();
            foreach (var g in LatticeDatasetReader.ReadAsync(dir, includeField: true).ToBlockingEnumerable()) values += g.Field!.Length;
            double read = clock.Elapsed.TotalSeconds;
            return new DatasetResult(new FileInfo(writer.PartPath(0)).Length / (double)values, values / write, values / read);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Runs the workloads and prints "bench ..." lines with the goals.</summary>
    public static void Report(TextWriter stdout, bool quick)
    {
        double s = quick ? 1.0 : 3.0;
        static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        foreach (int threads in new[] { 1, 2 })
        {
            foreach (var r in new[] { Phi4(16, 16, threads, s), Phi4(64, 8, threads, s) })
                stdout.WriteLine($"bench hmc.{r.Name}.site_leapfrog_updates_per_second[threads={threads}] {G(r.UpdatesPerSecond)} wall ({G(r.PerCore)} per thread), {G(r.UpdatesPerCpuSecond)} per CPU second (goal >= 2e8 per core: {(r.UpdatesPerCpuSecond >= 2e8 ? "met" : "NOT met")})");
            var u = U1(16, threads, s);
            stdout.WriteLine($"bench hmc.{u.Name}.link_leapfrog_updates_per_second[threads={threads}] {G(u.UpdatesPerSecond)} wall ({G(u.PerCore)} per thread), {G(u.UpdatesPerCpuSecond)} per CPU second (goal >= 3e7 per core: {(u.UpdatesPerCpuSecond >= 3e7 ? "met" : "NOT met")})");
        }
        var d = Dataset(quick ? 5_000 : 20_000);
        stdout.WriteLine($"bench lattice_dataset.bytes_per_float32 {d.BytesPerFloat.ToString("F3", CultureInfo.InvariantCulture)} (goal <= 4.2: {(d.BytesPerFloat <= 4.2 ? "met" : "NOT met")})");
        stdout.WriteLine($"bench lattice_dataset.write_float32_per_second {G(d.WriteFloatsPerSecond)}");
        stdout.WriteLine($"bench lattice_dataset.read_float32_per_second {G(d.ReadFloatsPerSecond)}");
    }
}
