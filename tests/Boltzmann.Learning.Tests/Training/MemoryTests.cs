using System.Diagnostics;
using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training;

[CollectionDefinition(nameof(MemoryCollection), DisableParallelization = true)]
public class MemoryCollection;

/// <summary>
/// Long runs keep memory flat: the number of live native tensors (TorchSharp's global count) is the same
/// after every checkpoint interval, and the resident set stops growing once warm. Runs alone (no parallel
/// tests) so the counts are this test's own.
/// </summary>
[Collection(nameof(MemoryCollection))]
public class MemoryTests(ITestOutputHelper output)
{
    private sealed class Mlp : nn.Module
    {
#pragma warning disable IDE0044
        private TorchSharp.Modules.Sequential net = nn.Sequential(nn.Linear(8, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 8));
#pragma warning restore IDE0044

        public Mlp() : base("mlp") => RegisterComponents();

        public Tensor Forward(Tensor x) => net.call(x);
    }

    private void RunAndMeasure(long steps, double maxRssGrowthMb)
    {
        using var dir = new TempDirectory();
        using var model = new Mlp();
        using var gen = new Generator(5);
        var options = new TrainingOptions { Steps = steps, LearningRate = 1e-3, CheckpointInterval = 1000, LogInterval = 10 };
        using var trainer = new Trainer(model, options, dir.Path);
        trainer.RegisterGenerator("sampler", gen);
        trainer.Resume();
        var process = Process.GetCurrentProcess();
        var samples = new List<(long Step, long Tensors, double RssMb)>();
        long every = steps / 10;
        trainer.Run(step =>
        {
            var x = randn([256, 8], dtype: ScalarType.Float64, generator: gen);
            return (model.Forward(x) - x.sin()).Squared().mean();
        }, (done, _) =>
        {
            if (done % every != 0) return;
            process.Refresh();
            samples.Add((done, Tensor.TotalCount, process.WorkingSet64 / 1e6));
        });
        foreach (var (step, tensors, rss) in samples)
            output.WriteLine($"step {step,6}: live tensors {tensors}, RSS {rss:F1} MB");

        // Live tensors: identical after every interval (no step leaks a tensor).
        Assert.All(samples, s => Assert.Equal(samples[0].Tensors, s.Tensors));
        // Resident set: flat after the first 30% (allocator warm-up).
        var warm = samples.Where(s => s.Step >= 3 * every).ToList();
        double growth = warm.Max(s => s.RssMb) - warm[0].RssMb;
        output.WriteLine($"RSS growth after warm-up: {growth:F1} MB over {steps - warm[0].Step} steps");
        Assert.InRange(growth, double.NegativeInfinity, maxRssGrowthMb);
    }

    [Fact]
    public void LiveTensorsAndResidentMemoryStayFlatOver3000Steps() => RunAndMeasure(3000, 20);

    [Fact]
    [Trait("Category", "Slow")]
    public void LiveTensorsAndResidentMemoryStayFlatOver10000Steps() => RunAndMeasure(10000, 20);
}
