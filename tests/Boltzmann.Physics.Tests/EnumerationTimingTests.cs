using System.Diagnostics;
using Boltzmann.Physics.Sk;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests;

/// <summary>Timings of the exact enumeration (printed to the test output), with correctness checks so they are real tests.</summary>
public class EnumerationTimingTests(ITestOutputHelper output)
{
    private void TimeAndCheck(int n)
    {
        var inst = TestInstances.Sk(n, 2026);
        var sw = Stopwatch.StartNew();
        var exact = new SkExactEnumeration(inst);
        double enumerate = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var thermo = exact.AtTemperature(0.5, includeOverlap: false);
        double thermoOnly = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var full = exact.AtTemperature(0.5);
        double withOverlap = sw.Elapsed.TotalSeconds;
        output.WriteLine($"N = {n}: enumerate 2^{n} energies {enumerate:F3} s ({(1L << n) / enumerate / 1e6:F1} M configs/s); "
            + $"thermodynamics at one T {thermoOnly:F3} s; with P(q) {withOverlap:F3} s; ground state E0/N = {exact.GroundState.Energy / n:F5}, "
            + $"degeneracy {exact.GroundState.Degeneracy}, <q^2>(T=0.5) = {full.MeanQ2:F4}");

        Assert.Equal(thermo.LnZ, full.LnZ);
        Assert.Equal(1.0, full.OverlapDistribution.Sum(), 11);
        for (int k = 0; k <= n; k++) Assert.Equal(full.OverlapDistribution[k], full.OverlapDistribution[n - k], 13);
        Assert.Equal(exact.GroundState.Energy, inst.Energy(exact.GroundState.Configuration), 10);
        Assert.True(exact.GroundState.Degeneracy >= 2);
    }

    [Fact]
    public void Timing_n20() => TimeAndCheck(20);

    [Fact]
    [Trait("Category", "Slow")]
    public void Timing_n24() => TimeAndCheck(24);

    /// <summary>The full-size check against a closed form: Curie-Weiss at N = 24, every observable and P(q).</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Curie_weiss_n24_matches_closed_form()
    {
        const int n = 24;
        var exact = new SkExactEnumeration(TestInstances.CurieWeiss(n, 1.0, 0.05));
        foreach (double beta in new[] { 0.5, 1.2 })
        {
            var r = exact.AtBeta(beta);
            var cf = CurieWeissClosedFormTests.ClosedForm(n, 1.0, 0.05, beta);
            Assert.True(Math.Abs(cf.LnZ - r.LnZ) <= 1e-12 * Math.Abs(cf.LnZ), $"lnZ {r.LnZ:R} vs {cf.LnZ:R}");
            Assert.True(Math.Abs(cf.E - r.MeanEnergy) <= 1e-9);
            Assert.True(Math.Abs(cf.M2 - r.MeanMagnetizationSquared) <= 1e-12);
            var pd = CurieWeissClosedFormTests.OverlapClosedForm(n, cf.PUp);
            for (int k = 0; k <= n; k++)
                Assert.True(Math.Abs(pd[k] - r.OverlapDistribution[k]) <= 1e-12, $"P(q_{k}): {r.OverlapDistribution[k]:R} vs {pd[k]:R}");
        }
    }
}
