using Boltzmann.Targets.Relaxation;
using Boltzmann.Flows;
using Boltzmann.Flows.Training;
using Boltzmann.Learning.Training;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Flows;

/// <summary>Which loss a benchmarked training step minimises (Hartnett &amp; Mohseni 2020, eqs. 17 and 19).</summary>
public enum BenchmarkObjective { Forward, Reverse }

/// <summary>
/// The benchmark's training workload, the real one of the <c>sk-flow-train</c> stage: an SK instance at T = 1 and
/// its continuous relaxation (eqs. 3-7, eps = 0.01), a RealNVP flow, and steps of the shared <see cref="Trainer"/>
/// minimising forward KL (eq. 19, minibatches of x ~ p(x|s) from a fixed set of 4096 configurations s, uniformly random spins
/// — the data's content does not change the cost) or reverse KL (eq. 17 with the Z2-symmetrised density, appendix A.1).
/// Checkpoints go to a temporary directory that is deleted on dispose.
/// </summary>
internal sealed class SkFlowWorkload : IDisposable
{
    private const int DataRows = 4096;
    private readonly string _directory;
    private readonly SkRelaxationTarget _target;
    private readonly ForwardKlDataset _data;
    private readonly Generator _generator;
    private readonly ReverseKlObjective _reverse;

    public SkFlowWorkload(int n, int batch, int layers, ScalarType dtype, Device device, ulong seed, long steps, long garbageCollectionInterval = 200)
    {
        var rng = RandomStreams.For(seed, "realnvp-benchmark-instance");
        var relaxation = new SkContinuousRelaxation(SkInstance.Generate(n, ref rng), beta: 1.0);
        var spins = new sbyte[DataRows * n];
        for (int k = 0; k < spins.Length; k++) spins[k] = rng.NextDouble() < 0.5 ? (sbyte)1 : (sbyte)-1;
        var x = new double[spins.Length];
        relaxation.SampleXGivenS(spins, x, ref rng);
        _directory = Directory.CreateTempSubdirectory("realnvp-bench-").FullName;
        _target = new SkRelaxationTarget(relaxation, dtype, device);
        _data = new ForwardKlDataset(x, n, batch, seed, dtype, device);
        _generator = new Generator(seed, device);
        Batch = batch;
        Flow = new RealNvp(new RealNvpOptions { Dimension = n, Layers = layers, Seed = seed, Dtype = dtype, Device = device });
        _reverse = new ReverseKlObjective(Flow, _target.LogProb, symmetrize: true);
        Trainer = new Trainer(Flow, new TrainingOptions
        {
            Steps = steps, LearningRate = RealNvpBenchmark.LearningRate, DType = dtype, Device = device,
            CheckpointInterval = long.MaxValue, LogInterval = long.MaxValue, CheckpointOnCancel = false,
            GarbageCollectionInterval = garbageCollectionInterval,
        }, _directory);
        Trainer.RegisterGenerator("sampler", _generator);
    }

    public RealNvp Flow { get; }

    public Trainer Trainer { get; }

    public int Batch { get; }

    public Generator Generator => _generator;

    public Func<long, StepResult> Step(BenchmarkObjective objective) => objective == BenchmarkObjective.Forward
        ? s => ForwardKlObjective.Loss(Flow, _data.Minibatch(s))
        : _ => _reverse.Evaluate(Batch, _generator).Loss;

    public void Dispose()
    {
        Trainer.Dispose();
        Flow.Dispose();
        _generator.Dispose();
        _data.Dispose();
        _target.Dispose();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}
