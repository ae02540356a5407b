using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests;

/// <summary>
/// Generate draws J_ij ~ N(0, J^2/N) for i &lt; j. With M = N(N-1)/2 independent draws, the sample moments of
/// z = J_ij sqrt(N)/J are checked against 0, 1 and 3 (Gaussian) with standard errors estimated from the sample
/// itself (SE of a mean of x is sqrt(Var(x)/M)), at 4 sigma.
/// </summary>
public class SkInstanceGenerationTests
{
    [Theory]
    [InlineData(300, 1.0, 1UL)]
    [InlineData(200, 2.5, 2UL)]
    public void Couplings_have_the_sk_distribution(int n, double j, ulong seed)
    {
        var rng = RandomStreams.For(seed, "physics-tests/generate");
        var inst = SkInstance.Generate(n, ref rng, j, h: 0.25);
        var z = new List<double>();
        for (int a = 0; a < n; a++)
        {
            Assert.Equal(0.0, inst.J(a, a));
            Assert.Equal(0.25, inst.Fields[a]);
            for (int b = a + 1; b < n; b++)
            {
                Assert.Equal(inst.J(a, b), inst.J(b, a));
                z.Add(inst.J(a, b) * Math.Sqrt(n) / j);
            }
        }
        int m = z.Count;
        double Mean(Func<double, double> f) => z.Sum(f) / m;
        double m1 = Mean(v => v), m2 = Mean(v => v * v), m4 = Mean(v => Math.Pow(v, 4)), m8 = Mean(v => Math.Pow(v, 8));

        double seMean = Math.Sqrt((m2 - m1 * m1) / m);
        double seVar = Math.Sqrt((m4 - m2 * m2) / m);
        double seM4 = Math.Sqrt((m8 - m4 * m4) / m);
        Assert.True(Math.Abs(m1) < 4 * seMean, $"mean {m1:F5} ± {seMean:F5}");
        Assert.True(Math.Abs(m2 - 1) < 4 * seVar, $"variance {m2:F5} ± {seVar:F5}, expected 1 (i.e. J^2/N = {j * j / n:G4})");
        Assert.True(Math.Abs(m4 - 3) < 4 * seM4, $"fourth moment {m4:F4} ± {seM4:F4}, expected 3 for a Gaussian");
    }

    [Fact]
    public void Variance_test_detects_a_wrong_scale()
    {
        // The same statistic applied to couplings scaled by 1.05 (variance 1.1025) must fail at 4 sigma,
        // showing the test above has the power to see a 10% variance error.
        const int n = 300;
        var rng = RandomStreams.For(1, "physics-tests/generate");
        var inst = SkInstance.Generate(n, ref rng, 1.05);
        var z = new List<double>();
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++) z.Add(inst.J(a, b) * Math.Sqrt(n));
        double m2 = z.Average(v => v * v), m4 = z.Average(v => Math.Pow(v, 4));
        double se = Math.Sqrt((m4 - m2 * m2) / z.Count);
        Assert.True(Math.Abs(m2 - 1) > 4 * se, $"variance {m2:F4} ± {se:F4} should be distinguishable from 1");
    }
}
