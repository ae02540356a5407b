using Boltzmann.Statistics;
using Xunit.Abstractions;

namespace Boltzmann.MonteCarlo.Tests;

/// <summary>
/// Parallel tempering against exact enumeration of all 2^N states: mean energy, specific heat per spin
/// and &lt;q^2&gt; (between the two independent chains at the same slot and sweep) at T = 0.5, 1, 2, within
/// 4 standard errors. Errors: Gamma-method tau_int for means, blocked jackknife for the specific heat.
/// </summary>
public class ExactEnumerationTests(ITestOutputHelper output)
{
    private static readonly double[] LadderTemperatures = [0.5, 0.6, 0.72, 0.85, 1.0, 1.2, 1.4, 1.7, 2.0];
    private static readonly double[] CheckedTemperatures = [0.5, 1.0, 2.0];

    [Fact]
    public void Quick_N12_MatchesExactEnumeration() => CheckAgainstExact(12, sweeps: 40_000, seed: 12);

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    public void Full_MatchesExactEnumeration(int n) => CheckAgainstExact(n, sweeps: 400_000, seed: 1000 + (ulong)n);

    private void CheckAgainstExact(int n, int sweeps, ulong seed)
    {
        var sk = TestInstances.Sk(n, seed);
        var exact = new BruteForceSk(sk);
        var ladder = TemperatureLadder.Explicit(LadderTemperatures);
        var pt = new ParallelTempering(sk, new ParallelTemperingOptions(ladder) { Seed = seed, Chains = 2, LocalFieldRefreshInterval = 50 });
        int[] slots = CheckedTemperatures.Select(t => ladder.Temperatures.ToList().IndexOf(t)).ToArray();
        Assert.DoesNotContain(-1, slots);

        int k = slots.Length;
        var e = new double[k][];
        var e2 = new double[k][];
        var q2 = new double[k][];
        for (int a = 0; a < k; a++) { e[a] = new double[sweeps]; e2[a] = new double[sweeps]; q2[a] = new double[sweeps]; }
        int t = 0;
        pt.Run(burnIn: 2_000, measurements: sweeps, sweepsPerMeasurement: 1, p =>
        {
            for (int a = 0; a < k; a++)
            {
                double x0 = p.Energy(0, slots[a]), x1 = p.Energy(1, slots[a]);
                e[a][t] = 0.5 * (x0 + x1);
                e2[a][t] = 0.5 * (x0 * x0 + x1 * x1);
                double q = p.Overlap(slots[a], 0, 1);
                q2[a][t] = q * q;
            }
            t++;
        });

        var failures = new List<string>();
        for (int a = 0; a < k; a++)
        {
            double temp = CheckedTemperatures[a], beta = 1.0 / temp;
            var energy = IntegratedAutocorrelation.Estimate(e[a]);
            var heat = Jackknife.Estimate([e[a], e2[a]], m => beta * beta * (m[1] - m[0] * m[0]) / n);
            var overlap = IntegratedAutocorrelation.Estimate(q2[a]);
            double exactE = exact.MeanEnergy(beta), exactC = exact.SpecificHeat(beta), exactQ = exact.MeanOverlapSquared(beta);
            output.WriteLine($"N={n} T={temp}: <E> {energy} vs {exactE:G6} ({energy.Deviation(exactE):F2} sigma); " +
                             $"C {heat} vs {exactC:G6} ({heat.Deviation(exactC):F2} sigma); <q^2> {overlap} vs {exactQ:G6} ({overlap.Deviation(exactQ):F2} sigma)");
            Check(failures, $"N={n} T={temp} <E>", energy, exactE, relativeErrorCap: 0.01);
            Check(failures, $"N={n} T={temp} C", heat, exactC, relativeErrorCap: 0.1);
            Check(failures, $"N={n} T={temp} <q^2>", overlap, exactQ, relativeErrorCap: 0.05);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void Check(List<string> failures, string what, Estimate estimate, double exact, double relativeErrorCap)
    {
        // The error bar must be small enough for the comparison to mean something ...
        if (!(estimate.StdError < relativeErrorCap * Math.Abs(exact)))
            failures.Add($"{what}: error {estimate.StdError:G3} is not below {relativeErrorCap:P0} of |exact| = {Math.Abs(exact):G4}");
        // ... and the estimate must agree within 4 of them.
        if (!(estimate.Deviation(exact) <= 4))
            failures.Add($"{what}: {estimate} vs exact {exact:G6} is {estimate.Deviation(exact):F2} sigma off");
    }
}
