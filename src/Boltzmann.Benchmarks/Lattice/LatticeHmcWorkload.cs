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

    /// <summary>
    /// Force evaluations (sites or links per second, one thread) of the naive per-site kernels and of the vectorised
    /// kernels on the same field: the before/after of the kernel optimisation.
    /// </summary>
    public static (double Naive, double Vectorised) Phi4Forces(int l, int t, double seconds)
    {
        var lat = new Lattice2D(l, t);
        var action = new Phi4Action(lat, 0.27, 0.022);
        var rng = new RandomStream(1);
        var phi = Enumerable.Range(0, lat.Volume).Select(_ => rng.NextGaussian()).ToArray();
        var g = new double[lat.Volume];
        return (Rate(() => NaiveLatticeForces.Phi4(lat, 0.27, 0.022, phi, g), lat.Volume, seconds),
                Rate(() => action.ActionAndGradient(phi, g), lat.Volume, seconds));
    }

    public static (double Naive, double Vectorised) U1Forces(int l, double seconds)
    {
        var lat = new Lattice2D(l, l);
        var action = new U1WilsonAction(lat, 3.0);
        var rng = new RandomStream(1);
        var x = Enumerable.Range(0, lat.LinkCount).Select(_ => Math.PI * (2 * rng.NextDouble() - 1)).ToArray();
        var g = new double[lat.LinkCount];
        var sinP = new double[lat.Volume];
        return (Rate(() => NaiveLatticeForces.U1(lat, 3.0, x, g, sinP), lat.LinkCount, seconds),
                Rate(() => action.ActionAndGradient(x, g), lat.LinkCount, seconds));
    }

    private static double Rate(Func<double> kernel, int dof, double seconds)
    {
        double sink = 0;
        for (int i = 0; i < 2000; i++) sink += kernel();
        long n = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 200; i++) sink += kernel();
            n += 200;
        }
        GC.KeepAlive(sink);
        return n * (double)dof / clock.Elapsed.TotalSeconds;
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
            foreach (var g in LatticeDatasetReader.ReadAsync(dir, includeField: true).ToBlockingEnumerable()) values -= g.Field!.Length;  // warm-up
            values = 0;
            clock.Restart();
            foreach (var g in LatticeDatasetReader.ReadAsync(dir, includeField: true).ToBlockingEnumerable()) values += g.Field!.Length;
            double read = clock.Elapsed.TotalSeconds;
            return new DatasetResult(new FileInfo(writer.PartPath(0)).Length / (double)values, values / write, values / read);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Degrees of freedom of the 16 x 16 comparison lattices: V sites (phi^4) or 2V links (U(1)).</summary>
    public static int PlainDof(bool u1) => u1 ? 2 * 16 * 16 : 16 * 16;

    /// <summary>Runs the workloads and prints "bench ..." lines with the goals.</summary>
    public static void Report(TextWriter stdout, bool quick)
    {
        double s = quick ? 1.0 : 3.0;
        static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        foreach (var (l, t) in new[] { (16, 16), (64, 8) })
        {
            var (naive, fast) = Phi4Forces(l, t, s / 2);
            stdout.WriteLine($"bench hmc.phi4_force[{l}x{t}].sites_per_second naive {G(naive)}, vectorised {G(fast)} ({(fast / naive).ToString("F1", CultureInfo.InvariantCulture)}x)");
        }
        var (un, uf) = U1Forces(16, s / 2);
        stdout.WriteLine($"bench hmc.u1_force[16x16].links_per_second naive {G(un)}, vectorised {G(uf)} ({(uf / un).ToString("F1", CultureInfo.InvariantCulture)}x)");
        var plain = new Dictionary<string, Result>();
        foreach (int threads in new[] { 1, 2 })
        {
            var phi16 = Phi4(16, 16, threads, s);
            plain[$"phi4/{threads}"] = phi16;
            foreach (var r in new[] { phi16, Phi4(64, 8, threads, s) })
                stdout.WriteLine($"bench hmc.{r.Name}.site_leapfrog_updates_per_second[threads={threads}] {G(r.UpdatesPerSecond)} wall ({G(r.PerCore)} per thread), {G(r.UpdatesPerCpuSecond)} per CPU second (goal >= 2e8 per core: {(r.UpdatesPerCpuSecond >= 2e8 ? "met" : "NOT met")})");
            var u = U1(16, threads, s);
            plain[$"u1/{threads}"] = u;
            stdout.WriteLine($"bench hmc.{u.Name}.link_leapfrog_updates_per_second[threads={threads}] {G(u.UpdatesPerSecond)} wall ({G(u.PerCore)} per thread), {G(u.UpdatesPerCpuSecond)} per CPU second (goal >= 3e7 per core: {(u.UpdatesPerCpuSecond >= 3e7 ? "met" : "NOT met")})");
        }
        // Batched torch HMC at 1024 chains against the plain chains on the same 16 x 16 lattices (one thread each).
        foreach (var r in TensorHmcThroughput.Standard(trajectories: quick ? 3 : 10))
        {
            bool u1 = r.Name.StartsWith("u1", StringComparison.Ordinal);
            var p = u1 ? plain["u1/1"] : plain["phi4/1"];
            string unit = u1 ? "link" : "site";
            stdout.WriteLine($"bench hmc.tensor.{r.Name}[chains={r.Chains}].{unit}_leapfrog_updates_per_second {G(r.UpdatesPerSecond)} wall " +
                $"({G(r.TrajectoriesPerSecond)} batched trajectories/s = {G(r.ChainTrajectoriesPerSecond)} chain-trajectories/s, acceptance {r.AcceptanceRate.ToString("F3", CultureInfo.InvariantCulture)}); " +
                $"plain C# 1 thread {G(p.UpdatesPerSecond)} ({G(p.UpdatesPerSecond / (PlainDof(u1) * TensorHmcThroughput.LeapfrogSteps))} chain-trajectories/s): torch/plain {(r.UpdatesPerSecond / p.UpdatesPerSecond).ToString("F2", CultureInfo.InvariantCulture)}x");
        }
        // Deep-learning HMC against plain torch HMC at 512 chains on 16 x 16 (the networks' overhead per leapfrog layer).
        var (learned, hmc) = L2hmcThroughput.Measure(trajectories: quick ? 1 : 3);
        stdout.WriteLine($"bench l2hmc.{learned}");
        stdout.WriteLine($"bench l2hmc.{hmc}");
        stdout.WriteLine($"bench l2hmc.layer_time_ratio {(learned.SecondsPerLayerPerChain / hmc.SecondsPerLayerPerChain).ToString("F2", CultureInfo.InvariantCulture)} (cost per independent sample N_LF x tau_int x t_layer: the learned sampler wins only if its tau_int is smaller by more than this factor)");
        var d = Dataset(quick ? 5_000 : 20_000);
        stdout.WriteLine($"bench lattice_dataset.bytes_per_float32 {d.BytesPerFloat.ToString("F3", CultureInfo.InvariantCulture)} (goal <= 4.2: {(d.BytesPerFloat <= 4.2 ? "met" : "NOT met")})");
        stdout.WriteLine($"bench lattice_dataset.write_float32_per_second {G(d.WriteFloatsPerSecond)}");
        stdout.WriteLine($"bench lattice_dataset.read_float32_per_second {G(d.ReadFloatsPerSecond)}");
    }
}
