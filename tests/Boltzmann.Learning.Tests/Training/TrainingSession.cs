using System.Runtime.CompilerServices;
using Boltzmann.Learning.Training;
using Boltzmann.Random;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training;

/// <summary>
/// One "process" of the resume tests: a model, a torch generator and a xoshiro stream, a trainer on a
/// checkpoint directory, and a reverse-KL closure that consumes both random sources (the stream scales the
/// loss by 1 + 0.01 u, so an unrestored stream would change the numbers). <paramref name="initSeed"/> sets the
/// initial parameters and seeds: a resumed session uses a different one to prove that everything is restored.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    public static readonly GaussianTarget Target = new([1.0, -2.0, 0.5, 3.0], [0.5, 2.0, 1.0, 0.3]);

    public TrainingSession(string directory, TrainingOptions options, int initSeed)
    {
        var init = new RandomStream((ulong)initSeed);
        Model = new DiagonalGaussian(
            Enumerable.Range(0, 4).Select(_ => init.NextGaussian()).ToArray(),
            Enumerable.Range(0, 4).Select(_ => 0.1 * init.NextGaussian()).ToArray());
        Generator = new Generator((ulong)(1000 + initSeed));
        Stream = new StrongBox<RandomStream>(new RandomStream((ulong)(2000 + initSeed)));
        Trainer = new Trainer(Model, options, directory);
        Trainer.RegisterGenerator("sampler", Generator);
        Trainer.RegisterRandomStream("noise", Stream);
    }

    public DiagonalGaussian Model { get; }

    public Generator Generator { get; }

    public StrongBox<RandomStream> Stream { get; }

    public Trainer Trainer { get; }

    public Func<long, StepResult> Closure => step =>
    {
        var (x, logQ) = Model.Sample(64, Generator);
        double u = Stream.Value.NextDouble();
        var loss = (logQ - Target.LogDensity(x)).mean() * (1 + 0.01 * u);
        return new StepResult(loss, [("u", u)]);
    };

    /// <summary>Every parameter's values as raw 64-bit patterns (bitwise comparison).</summary>
    public long[][] ParameterBits() =>
        Model.parameters().Select(p => p.detach().to(ScalarType.Float64).data<double>().ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray()).ToArray();

    public byte[] GeneratorState()
    {
        using var s = Generator.get_state();
        return s.bytes.ToArray();
    }

    public void Dispose()
    {
        Trainer.Dispose();
        Model.Dispose();
        Generator.Dispose();
    }
}
