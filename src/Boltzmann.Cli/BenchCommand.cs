using System.CommandLine;
using System.Globalization;
using Boltzmann.Benchmarks.Autoregressive;
using Boltzmann.Benchmarks.Cost;
using Boltzmann.Benchmarks.Data;
using Boltzmann.Benchmarks.Flows;
using Boltzmann.Benchmarks.MonteCarlo;

namespace Boltzmann.Cli;

/// <summary>
/// Throughput figures (speed goals are checked here, never by timed unit tests): parallel tempering spin-flip
/// attempts per second for the SK model at N = 256 with 20 temperatures x 2 chains, and the spin dataset's
/// bytes per spin and write/read rates for uniformly random spins, RealNVP and ARNN throughput; with
/// <c>--pipeline NAME</c>, instead the end-to-end wall time of that pipeline's profile from an empty cache
/// (<see cref="PipelineBenchmark"/>).
/// </summary>
public static class BenchCommand
{
    public const double PtGoalFlipsPerSecond = 60e6;

    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "shorter measurements (noisier figures)" };
        var pipeline = new Option<string?>("--pipeline") { Description = "instead: end-to-end wall time of this pipeline from an empty (temporary) cache", HelpName = "NAME" };
        var profile = CliOptions.Profile();
        var only = new Option<string?>("--only")
        {
            Description = $"run only these parts, comma-separated: {string.Join(", ", Parts)}; arnn.NAME for one architecture (e.g. arnn.CW_inf)",
            HelpName = "PARTS",
        };
        var command = new Command("bench", "throughput figures (spin flips/s, Parquet bytes/spin, read/write rates, lattice HMC plain vs batched torch, RealNVP, ARNN)") { quick, pipeline, profile, only };
        command.SetAction((r, ct) =>
        {
            var parts = BenchParts.Parse(r.GetValue(only), Parts);
            return Task.FromResult(Execute(r.GetValue(quick), r.GetValue(pipeline), r.GetRequiredValue(profile), r.InvocationConfiguration.Output, ct, parts));
        });
        return command;
    }

    /// <summary>The parts of the bench that <c>--only</c> selects.</summary>
    public static readonly string[] Parts = ["lattice", "pt", "parquet", "realnvp", "arnn", "neuralrg"];

    public static int Execute(bool quick, string? pipelineName, string profile, TextWriter stdout, CancellationToken ct, BenchParts? parts = null)
    {
        parts ??= BenchParts.All;
        stdout.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        if (pipelineName is not null)
        {
            var layout = RepoLayout.Discover();
            foreach (var file in layout.PipelineFiles(pipelineName))
            {
                var result = PipelineBenchmark.RunAsync(file, profile, stdout, ct).GetAwaiter().GetResult();
                stdout.WriteLine(PipelineBenchmark.Format(result));
            }
            return 0;
        }

        // Lattice HMC kernels and the lattice dataset (site/link-leapfrog updates per second, bytes per float32).
        if (parts.Includes("lattice")) Boltzmann.Benchmarks.Lattice.LatticeHmcWorkload.Report(stdout, quick);
        ct.ThrowIfCancellationRequested();

        // This machine's one-thread peak rates: every figure below is printed beside its cost-model limit.
        var peaks = MachinePeaks.Measure(quick ? 0.15 : 0.6);
        stdout.WriteLine(peaks.ToString());
        ct.ThrowIfCancellationRequested();

        if (parts.Includes("pt")) ReportParallelTempering(quick, peaks, stdout);
        ct.ThrowIfCancellationRequested();
        if (parts.Includes("parquet")) ReportDataset(quick, stdout);
        ct.ThrowIfCancellationRequested();
        if (parts.Includes("realnvp")) ReportRealNvp(quick, peaks, stdout);
        foreach (var arch in Boltzmann.Autoregressive.Architectures.AutoregressiveArchitecture.Paper)
        {
            ct.ThrowIfCancellationRequested();
            if (parts.Includes("arnn", arch.Name)) ReportArnn(arch, quick, peaks, stdout);
        }
        if (parts.Includes("neuralrg")) ReportNeuralRg(quick, stdout, ct);
        return 0;
    }

    private static void ReportParallelTempering(bool quick, MachinePeaks peaks, TextWriter stdout)
    {
        // Warm-up run so tiered JIT has optimised the kernels before the timed one.
        ParallelTemperingBenchmark.Run(n: 256, temperatures: 20, chains: 2, seconds: quick ? 0.3 : 1.0);
        var pt = ParallelTemperingBenchmark.Run(n: 256, temperatures: 20, chains: 2, seconds: quick ? 1.0 : 5.0);
        stdout.WriteLine(pt.ToString());
        double ptLimit = ParallelTemperingCostModel.PerSecond(pt.N, pt.AcceptanceRate, peaks);
        stdout.WriteLine($"bench pt.flip_attempts_per_second {pt.FlipAttemptsPerSecond.ToString("G4", CultureInfo.InvariantCulture)} " +
                         $"(goal >= {PtGoalFlipsPerSecond:G2}: {(pt.FlipAttemptsPerSecond >= PtGoalFlipsPerSecond ? "met" : "NOT met")})");
        stdout.WriteLine($"bench pt.flip_attempts_per_cpu_second[per core] {CostLimit.Describe(pt.FlipAttemptsPerCpuSecond, ptLimit)} " +
                         $"(goal >= 60 % of the limit: {(pt.FlipAttemptsPerCpuSecond >= 0.6 * ptLimit ? "met" : "NOT met")})");
    }

    private static void ReportDataset(bool quick, TextWriter stdout)
    {
        var ds = SpinDatasetBenchmark.Run(rows: quick ? 20_000 : 100_000, n: 256);
        stdout.WriteLine($"bench parquet.bits_per_spin {ds.BitsPerSpin.ToString("F4", CultureInfo.InvariantCulture)} (goal <= 1.1: {(ds.MeetsGoal ? "met" : "NOT met")}; {ds.Rows} rows x N={ds.SpinCount}, {ds.FileBytes} bytes)");
        stdout.WriteLine($"bench parquet.write_spins_per_second {ds.WriteSpinsPerSecond.ToString("G4", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"bench parquet.read_spins_per_second {ds.ReadSpinsPerSecond.ToString("G4", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"bench parquet.scalar_read_rows_per_second {ds.ScalarReadRowsPerSecond.ToString("G4", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"bench packing.pack_spins_per_second {ds.PackSpinsPerSecond.ToString("G4", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"bench overlap.spins_per_second {ds.OverlapSpinsPerSecond.ToString("G4", CultureInfo.InvariantCulture)}");
    }

    private static void ReportRealNvp(bool quick, MachinePeaks peaks, TextWriter stdout)
    {
        // Tensor benchmarks with 1 and 2 libtorch threads: on a shared 2-core machine the 2-thread setting can
        // stall badly when other processes hold a core, so both are reported. A short untimed run first, so the first
        // tensor figure of the process is not paid for the allocator's and JIT's first steps.
        RealNvpBenchmark.Run(n: 256, batch: 50, layers: 4, seconds: 0.25, threads: 1);
        double forwardLimit = CostLimit.PerSecond(RealNvpCostModel.ForwardKlStep(256, 50, 4), peaks);
        double reverseLimit = CostLimit.PerSecond(RealNvpCostModel.ReverseKlStep(256, 50, 4), peaks);
        foreach (int threads in new[] { 1, 2 })
        {
            var flow = RealNvpBenchmark.Run(n: 256, batch: 50, layers: 4, seconds: quick ? 1.0 : 5.0, threads: threads);
            double samplingLimit = CostLimit.PerSecond(RealNvpCostModel.Sampling(256, flow.SampleBatch, 4), peaks) * flow.SampleBatch * threads;
            stdout.WriteLine($"bench realnvp.forward_train_steps_per_second[N=256,batch=50,L=4,{flow.Dtype},threads={threads}] {CostLimit.Describe(flow.ForwardTrainingStepsPerSecond, forwardLimit * threads)}; {flow.Forward!.Describe()}");
            stdout.WriteLine($"bench realnvp.reverse_train_steps_per_second[N=256,batch=50,L=4,{flow.Dtype},threads={threads}] {CostLimit.Describe(flow.TrainingStepsPerSecond, reverseLimit * threads)}; {flow.Reverse!.Describe()}");
            stdout.WriteLine($"bench realnvp.samples_per_second[batch={flow.SampleBatch},threads={threads}] {CostLimit.Describe(flow.SamplesPerSecond, samplingLimit)}; {flow.Sampling!.Describe()}");
        }
    }

    private static void ReportArnn(Boltzmann.Autoregressive.Architectures.AutoregressiveArchitecture arch, bool quick, MachinePeaks peaks, TextWriter stdout)
    {
        var ar = AutoregressiveBenchmark.Run(arch, n: 200, batch: 1000, seconds: quick ? 0.5 : 2.0, threads: 1);
        var cost = AutoregressiveCostModel.TrainingStep(arch, 200, 1000);
        double limit = CostLimit.PerSecond(cost, peaks, float64: ar.Dtype == "Float64");
        stdout.WriteLine($"bench arnn.{ar.Architecture}[N=200,threads=1,{ar.Dtype}] samples/s {ar.SamplesPerSecond.ToString("G4", CultureInfo.InvariantCulture)}, " +
                         $"log_prob/s {ar.LogProbPerSecond.ToString("G4", CultureInfo.InvariantCulture)}, " +
                         $"train_steps/s(batch 1000) {(ar.TrainingStepsPerSecond is { } s ? CostLimit.Describe(s, limit) : "n/a")}, " +
                         $"train_steps/cpu_s {(ar.TrainingStepsPerCpuSecond is { } c ? CostLimit.Describe(c, limit) : "n/a")}, " +
                         $"log_prob+backward/s {(ar.GradientPerSecond is { } g ? (g / ar.Batch).ToString("G4", CultureInfo.InvariantCulture) : "n/a")}, params {ar.ParameterCount}, " +
                         $"step cost: flops {cost.Flops.ToString("G3", CultureInfo.InvariantCulture)}, transcendentals {cost.Transcendentals.ToString("G3", CultureInfo.InvariantCulture)}, " +
                         $"elementwise {cost.ElementwiseOps.ToString("G3", CultureInfo.InvariantCulture)}");
    }

    private static void ReportNeuralRg(bool quick, TextWriter stdout, CancellationToken ct)
    {
        foreach (int l in new[] { 8, 16 })
        {
            ct.ThrowIfCancellationRequested();
            var rg = Boltzmann.Benchmarks.NeuralRg.NeuralRgBenchmark.Run(l, epochs: quick ? 5 : 20, trajectories: quick ? 2 : 5);
            stdout.WriteLine($"bench neuralrg.train_steps_per_second[L={l},batch={rg.Batch},{rg.Dtype}] {rg.TrainingStepsPerSecond.ToString("G4", CultureInfo.InvariantCulture)}, " +
                             $"latent_hmc_trajectories/s[{rg.Chains} chains,{rg.LeapfrogSteps} leapfrog] {rg.LatentTrajectoriesPerSecond.ToString("G4", CultureInfo.InvariantCulture)}, " +
                             $"physical_hmc_trajectories/s {rg.PhysicalTrajectoriesPerSecond.ToString("G4", CultureInfo.InvariantCulture)}");
        }
    }
}
