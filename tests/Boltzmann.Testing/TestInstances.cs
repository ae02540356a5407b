using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Testing;

/// <summary>The reproducible model instances the tests share.</summary>
public static class TestInstances
{
    /// <summary>Gaussian SK couplings (J = 1, variance 1/N) and, optionally, random fields h_i ~ <paramref name="fieldScale"/> N(0,1).</summary>
    public static SkInstance Sk(int n, ulong seed, double fieldScale = 0.0)
    {
        var rng = RandomStreams.For(seed, "tests/sk-instance", n);
        var sk = SkInstance.Generate(n, ref rng);
        if (fieldScale == 0) return sk;
        var h = new double[n];
        for (int i = 0; i < n; i++) h[i] = fieldScale * rng.NextGaussian();
        return new SkInstance(n, sk.Couplings.ToArray(), h);
    }

    /// <summary>Curie-Weiss instance: J_ij = j0 / N for all i != j, uniform field h.</summary>
    public static SkInstance CurieWeiss(int n, double j0, double h) => CurieWeissPairwise.Create(n, j0, h);
}
