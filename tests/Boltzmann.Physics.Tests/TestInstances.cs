using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests;

internal static class TestInstances
{
    /// <summary>Gaussian SK couplings (variance 1/N) and, optionally, Gaussian site-dependent fields of scale <paramref name="fieldScale"/>.</summary>
    public static SkInstance Sk(int n, ulong seed, double fieldScale = 0.0)
    {
        var rng = RandomStreams.For(seed, "physics-tests/sk", n);
        var inst = SkInstance.Generate(n, ref rng);
        if (fieldScale == 0) return inst;
        var h = new double[n];
        for (int i = 0; i < n; i++) h[i] = fieldScale * rng.NextGaussian();
        return new SkInstance(n, inst.Couplings.ToArray(), h);
    }

    /// <summary>Curie-Weiss instance: J_ij = j0 / N for all i != j, uniform field h.</summary>
    public static SkInstance CurieWeiss(int n, double j0, double h)
    {
        var c = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
                if (i != k) c[i * n + k] = j0 / n;
        var f = new double[n];
        Array.Fill(f, h);
        return new SkInstance(n, c, f);
    }
}
