using Boltzmann.Estimators;
using Boltzmann.Targets.Relaxation;
using Boltzmann.Flows.Training;
using Boltzmann.Learning.Models;
using Boltzmann.Learning.Training;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests.Training;

/// <summary>
/// Flows trained with the shared <see cref="Trainer"/> on the SK relaxation of an N = 10 instance reproduce the exact
/// ln Z_x (complete enumeration + eq. 4) by neural importance sampling within 4 standard errors, and the reverse loss
/// respects the variational bound L ≥ −ln Z_x (eq. 18).
/// </summary>
public class FlowTrainingGroundTruthTests(ITestOutputHelper output)
{
    private const int N = 10;

    private static SkInstance Instance()
    {
        var rng = RandomStreams.For(2020, "flow-ground-truth");
        return SkInstance.Generate(N, ref rng);
    }

    private static RealNvp NewFlow(ulong seed) => new(new RealNvpOptions { Dimension = N, Layers = 4, Seed = seed, Dtype = ScalarType.Float64 });

    private static TrainingOptions Options(long steps) => new()
    {
        Steps = steps, LearningRate = 2e-3, DType = ScalarType.Float64, CheckpointInterval = steps, LogInterval = 10,
    };

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void ReverseKlFlowReproducesExactLnZ(double temperature)
    {
        var relaxation = new SkContinuousRelaxation(Instance(), 1 / temperature);
        double exact = relaxation.ExactLnZx();
        using var target = new SkRelaxationTarget(relaxation);
        using var flow = NewFlow(11);
        var dir = Directory.CreateTempSubdirectory("flow-rev-").FullName;
        try
        {
            using var generator = new Generator(17, CPU);
            using var trainer = new Trainer(flow, Options(400), dir);
            trainer.RegisterGenerator("sampler", generator);
            var objective = new ReverseKlObjective(flow, target.LogProb, symmetrize: true);
            var result = trainer.Run(_ => objective.Evaluate(100, generator).Loss);
            Check(objective.Density, target, exact, temperature, "reverse");
            output.WriteLine($"T={temperature}: final loss {result.FinalLoss:F4}, -lnZx = {-exact:F4}");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void ForwardKlFlowReproducesExactLnZ(double temperature)
    {
        var instance = Instance();
        var relaxation = new SkContinuousRelaxation(instance, 1 / temperature);
        double exact = relaxation.ExactLnZx();
        var rng = RandomStreams.For(5, "exact-samples", (long)(temperature * 10));
        const int count = 20_000;
        var spins = ExactSkSamples.Draw(instance, 1 / temperature, count, ref rng);
        var x = new double[spins.Length];
        relaxation.SampleXGivenS(spins, x, ref rng);
        using var target = new SkRelaxationTarget(relaxation);
        using var flow = NewFlow(12);
        var dir = Directory.CreateTempSubdirectory("flow-fwd-").FullName;
        try
        {
            using var trainer = new Trainer(flow, Options(400), dir);
            using var data = new ForwardKlDataset(x, N, 100, 23, ScalarType.Float64);
            var result = trainer.Run(step => ForwardKlObjective.Loss(flow, data.Minibatch(step)));
            Check(flow, target, exact, temperature, "forward");
            output.WriteLine($"T={temperature}: final loss {result.FinalLoss:F4}");
        }
        finally { Directory.Delete(dir, true); }
    }

    private void Check(IExactSampler density, SkRelaxationTarget target, double exact, double temperature, string what)
    {
        const int samples = 20_000;
        var (logTarget, logQ) = FreshSamples(density, target, samples, 31);
        var lnZ = NeuralImportanceSampling.LnZ(logTarget, logQ);
        var bound = VariationalFreeEnergy.CheckBound(logTarget, logQ, exact);
        output.WriteLine($"{what} T={temperature}: {lnZ}; exact {exact:G8}; deviation {lnZ.Deviation(exact):F2} sigma; {bound}");
        Assert.True(lnZ.Deviation(exact) < 4, $"{what} T={temperature}: NIS ln Z_x {lnZ.BiasCorrected:G8} ± {lnZ.StdError:G3} vs exact {exact:G8}");
        Assert.True(lnZ.EssFraction > 0.05, $"{what} T={temperature}: ESS/N = {lnZ.EssFraction:G3}; the flow did not learn the target");
        Assert.True(bound.Holds(4), $"{what} T={temperature}: variational bound violated: {bound}");
    }

    internal static (double[] LogTarget, double[] LogQ) FreshSamples(IExactSampler density, SkRelaxationTarget target, int count, ulong seed)
    {
        var logTarget = new double[count];
        var logQ = new double[count];
        using var generator = new Generator(seed, CPU);
        using var _ = no_grad();
        for (int start = 0; start < count; start += 5000)
        {
            using var scope = NewDisposeScope();
            int rows = Math.Min(5000, count - start);
            var (x, lq) = density.Sample(rows, generator);
            target.LogProb(x).data<double>().CopyTo(logTarget.AsSpan(start, rows));
            lq.to_type(ScalarType.Float64).data<double>().CopyTo(logQ.AsSpan(start, rows));
        }
        return (logTarget, logQ);
    }
}
