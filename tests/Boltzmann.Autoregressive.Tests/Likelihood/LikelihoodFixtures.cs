using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using Boltzmann.Targets.Spins;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Likelihood;

/// <summary>A small SK instance (no field), its exact distribution and independent exact samples, for the max-likelihood tests.</summary>
internal sealed class LikelihoodFixtures
{
    public LikelihoodFixtures(int n, double beta, int training, int holdout, ulong seed)
    {
        var rng = RandomStreams.For(seed, "likelihood-tests/instance", n);
        Instance = SkInstance.Generate(n, ref rng);
        Sampler = new ExactBoltzmannSampler(new SkExactEnumeration(Instance), beta);
        var draws = RandomStreams.For(seed, "likelihood-tests/samples", n);
        Training = SpinTensors.FromRows(Sampler.Draw(training, ref draws), n);
        Holdout = SpinTensors.FromRows(Sampler.Draw(holdout, ref draws), n);
    }

    public SkInstance Instance { get; }

    public ExactBoltzmannSampler Sampler { get; }

    public Tensor Training { get; }

    public Tensor Holdout { get; }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("boltz-likelihood-").FullName;
}
