using System.Diagnostics;
using Boltzmann.Flows;
using Boltzmann.Flows.Lattice;
using Boltzmann.Flows.Training;
using Boltzmann.Benchmarks.Flows;
using Boltzmann.Learning.Training;
using Boltzmann.Targets.Lattice;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Lattice;

/// <summary>
/// Throughput of the checkerboard conv flow on lattice phi^4 (16 couplings, 2 hidden conv layers of 8 channels,
/// kernel 3 by default; Albergo et al. 2019): training steps per second through the shared Trainer for reverse KL
/// (total gradient), reverse KL (path gradient) and forward KL, and flow samples per second with ln q (no
/// gradients); and a memory probe over many training steps (live tensors and resident set must stay flat).
/// </summary>
public static class LatticeFlowBenchmark
{
    private const int WarmupSteps = 2;

    public static LatticeFlowBenchmarkResult Run(int l, int t, int batch = 1024, int couplings = 16, int steps = 5,
                                                 ScalarType dtype = ScalarType.Float32, double kappa = 0.27, double lambda = 0.022)
    {
        using var target = new Phi4Target(l, t, kappa, lambda, dtype);
        double Rate(int objective)
        {
            using var flow = LatticeFlow.Create(new LatticeFlowOptions { L = l, T = t, Couplings = couplings, Dtype = dtype });
            var dir = Directory.CreateTempSubdirectory("lattice-flow-bench-").FullName;
            try
            {
                using var trainer = new Trainer(flow, new TrainingOptions { Steps = WarmupSteps + steps, DType = dtype, CheckpointInterval = 1_000_000 }, dir);
                using var g = new Generator(1, CPU);
                using var data = objective == 2 ? flow.Sample(batch, g).Samples.detach() : null;
                var reverse = new ReverseKlObjective(flow, target.LogProb, symmetrize: false);
                var path = new PathGradientObjective(flow, target.LogProb);
                var clock = new Stopwatch();
                trainer.Run(_ => objective switch
                {
                    0 => reverse.Evaluate(batch, g).Loss,
                    1 => path.Evaluate(batch, g).Loss,
                    _ => ForwardKlObjective.Loss(flow, data!),
                }, (done, _) => { if (done == WarmupSteps) clock.Start(); });
                return steps / clock.Elapsed.TotalSeconds;
            }
            finally { Directory.Delete(dir, true); }
        }
        double reverseRate = Rate(0), pathRate = Rate(1), forwardRate = Rate(2);
        double samplesPerSecond;
        using (var flow = LatticeFlow.Create(new LatticeFlowOptions { L = l, T = t, Couplings = couplings, Dtype = dtype }))
        using (var g = new Generator(2, CPU))
        using (no_grad())
        {
            using (NewDisposeScope()) _ = flow.Sample(batch, g).LogProb.sum().item<float>();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++)
                using (NewDisposeScope()) _ = flow.Sample(batch, g).LogProb.to_type(ScalarType.Float64).sum().item<double>();
            samplesPerSecond = steps * (double)batch / clock.Elapsed.TotalSeconds;
        }
        return new LatticeFlowBenchmarkResult(l, t, batch, couplings, dtype.ToString(), get_num_threads(), reverseRate, pathRate, forwardRate, samplesPerSecond);
    }

    /// <summary>
    /// Path-gradient training for <paramref name="steps"/> steps, reading resident memory and the live-tensor count every
    /// <paramref name="readEvery"/> steps after a full collection (retained memory only). Must run on one thread.
    /// </summary>
    public static MemoryTrace MeasureMemory(int steps, int l = 8, int t = 8, int batch = 64, int couplings = 4, int readEvery = 100)
    {
        using var target = new Phi4Target(l, t, 0.27, 0.022, ScalarType.Float32);
        using var flow = LatticeFlow.Create(new LatticeFlowOptions { L = l, T = t, Couplings = couplings, Dtype = ScalarType.Float32 });
        var dir = Directory.CreateTempSubdirectory("lattice-flow-memory-").FullName;
        try
        {
            using var trainer = new Trainer(flow, new TrainingOptions { Steps = steps + 1, DType = ScalarType.Float32, CheckpointInterval = 1_000_000 }, dir);
            using var g = new Generator(3, CPU);
            var path = new PathGradientObjective(flow, target.LogProb);
            using var process = Process.GetCurrentProcess();
            var readings = new List<MemorySample>();
            trainer.Run(_ => path.Evaluate(batch, g).Loss, (completed, _) =>
            {
                if (completed % readEvery != 0 || completed > steps) return;
                readings.Add(MemorySample.Read(completed, process, forceCollection: true));
            });
            return new MemoryTrace(readings, ForcedCollection: true);
        }
        finally { Directory.Delete(dir, true); }
    }
}
