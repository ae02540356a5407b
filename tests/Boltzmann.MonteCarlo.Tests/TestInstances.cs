using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Tests;

internal static class TestInstances
{
    /// <summary>A reproducible SK instance (J = 1) with optional random external fields h_i ~ h N(0,1).</summary>
    public static SkInstance Sk(int n, ulong seed, double fieldScale = 0)
    {
        var rng = RandomStreams.For(seed, "tests/sk-instance", n);
        var sk = SkInstance.Generate(n, ref rng);
        if (fieldScale == 0) return sk;
        var h = new double[n];
        for (int i = 0; i < n; i++) h[i] = fieldScale * rng.NextGaussian();
        return new SkInstance(n, sk.Couplings.ToArray(), h);
    }
}
