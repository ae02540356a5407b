using Boltzmann.Physics.Sk;
using Boltzmann.Physics.SpinGlass;
using Xunit.Abstractions;

namespace Boltzmann.MonteCarlo.Tests;

/// <summary>
/// The P_J(q) histogram of parallel-tempering samples — q between the two independent chains at the same slot
/// and sweep, never a configuration with itself — against the exact P_J(q) of complete enumeration
/// (Walsh-Hadamard), bin by bin: chi-square over bins with P >= 1e-3 using blocked errors (blocks much longer
/// than tau_int), required within 4 sigma of its mean (dof + 4 sqrt(2 dof)), at T = 0.5 (spin-glass phase,
/// bimodal P(q)), 1 and 2 (paramagnet).
/// </summary>
public class OverlapDistributionExactTests(ITestOutputHelper output)
{
    private static readonly double[] LadderTemperatures = [0.5, 0.6, 0.72, 0.85, 1.0, 1.2, 1.4, 1.7, 2.0];

    [Fact]
    public void Quick_N12_PtOverlapHistogramMatchesExactPq() => Check(12, sweeps: 60_000, seed: 31);

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(14)]
    [InlineData(16)]
    public void Full_PtOverlapHistogramMatchesExactPq(int n) => Check(n, sweeps: 400_000, seed: 300 + (ulong)n);

    private void Check(int n, int sweeps, ulong seed)
    {
        var sk = TestInstances.Sk(n, seed);
        var enumeration = new SkExactEnumeration(sk);
        var ladder = TemperatureLadder.Explicit(LadderTemperatures);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(ladder) { Seed = seed, Chains = 2 });
        double[] checkedTemperatures = [0.5, 1.0, 2.0];
        int[] slots = checkedTemperatures.Select(t => Array.IndexOf(LadderTemperatures, t)).ToArray();
        var histograms = slots.Select(_ => new OverlapHistogram(n, sweeps)).ToArray();
        var a = new sbyte[n];
        var b = new sbyte[n];
        pt.Run(burnIn: 2_000, measurements: sweeps, sweepsPerMeasurement: 1, p =>
        {
            for (int k = 0; k < slots.Length; k++)
            {
                p.CopyConfiguration(0, slots[k], a);
                p.CopyConfiguration(1, slots[k], b);
                histograms[k].Add(a, b);
            }
        });

        var failures = new List<string>();
        for (int k = 0; k < slots.Length; k++)
        {
            var exact = enumeration.AtTemperature(checkedTemperatures[k]);
            var estimate = histograms[k].Result(blocks: 50);
            var (chi2, dof) = estimate.ChiSquareAgainst(exact.OverlapDistribution);
            double limit = dof + 4 * Math.Sqrt(2.0 * dof);
            double tv = estimate.TotalVariationDistance(exact.OverlapDistribution);
            output.WriteLine($"N={n} T={checkedTemperatures[k]}: chi2={chi2:F1} dof={dof} (limit {limit:F1}), TV={tv:F4}, <q^2> {estimate.MeanQ2} vs exact {exact.MeanQ2:F5}");
            if (dof < 3) failures.Add($"T={checkedTemperatures[k]}: only {dof} bins tested");
            if (chi2 > limit) failures.Add($"T={checkedTemperatures[k]}: chi2 {chi2:F1} > {limit:F1} (dof {dof})");
            if (estimate.MeanQ2.Deviation(exact.MeanQ2) > 4) failures.Add($"T={checkedTemperatures[k]}: <q^2> off by {estimate.MeanQ2.Deviation(exact.MeanQ2):F1} sigma");
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
