using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests;

public class SkExactEnumerationTests
{
    public static TheoryData<int, double> Cases()
    {
        var data = new TheoryData<int, double>();
        for (int n = 6; n <= 10; n++)
        {
            data.Add(n, 0.0);
            data.Add(n, 0.4);
        }
        return data;
    }

    private static void Close(double expected, double actual, double tolerance, string what)
    {
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1.0, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (|diff| = {Math.Abs(expected - actual):E2}).");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Observables_match_brute_force(int n, double fieldScale)
    {
        var inst = TestInstances.Sk(n, 11, fieldScale);
        var exact = new SkExactEnumeration(inst);
        var brute = new BruteForce(inst);
        foreach (double t in new[] { 0.2, 0.5, 1.0, 2.5 })
        {
            var r = exact.AtTemperature(t);
            var b = brute.Observables(1.0 / t);
            string at = $"N={n}, h scale={fieldScale}, T={t}";
            Assert.Equal(1.0 / t, r.Beta);
            Assert.Equal(t, r.Temperature);
            Close(b.LnZ, r.LnZ, 1e-12, $"lnZ {at}");
            Close(-t * b.LnZ / n, r.FreeEnergyPerSpin, 1e-12, $"f {at}");
            Close(b.E, r.MeanEnergy, 1e-11, $"<E> {at}");
            Close(b.E2, r.MeanEnergySquared, 1e-11, $"<E^2> {at}");
            Close(b.C, r.SpecificHeat, 1e-9, $"C {at}");
            Close(b.AbsM, r.MeanAbsMagnetization, 1e-12, $"<|m|> {at}");
            Close(b.M2, r.MeanMagnetizationSquared, 1e-12, $"<m^2> {at}");
            Close(b.Q2, r.MeanQ2, 1e-12, $"<q^2> {at}");
            Assert.True(r.MeanQ2 >= 1.0 / n - 1e-12, "<q^2> includes the diagonal, so it is at least 1/N.");
            Assert.Equal(n + 1, r.OverlapDistribution.Length);
            Close(1.0, r.OverlapDistribution.Sum(), 1e-12, $"sum P(q) {at}");
        }
    }

    /// <summary>Sizes below and at the SIMD width take the scalar tails of every pass.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Tiny_instances_match_brute_force(int n)
    {
        var inst = TestInstances.Sk(n, 13, 0.8);
        var exact = new SkExactEnumeration(inst);
        var brute = new BruteForce(inst);
        foreach (double beta in new[] { 0.0, 0.7, 3.0 })
        {
            var r = exact.AtBeta(beta);
            var b = brute.Observables(beta);
            var pk = brute.OverlapByDoubleSum(beta);
            Close(b.LnZ, r.LnZ, 1e-13, $"lnZ N={n} beta={beta}");
            Close(b.E, r.MeanEnergy, 1e-13, $"<E> N={n} beta={beta}");
            Close(b.C, r.SpecificHeat, 1e-12, $"C N={n} beta={beta}");
            Close(b.M2, r.MeanMagnetizationSquared, 1e-13, $"<m^2> N={n} beta={beta}");
            Close(b.Q2, r.MeanQ2, 1e-13, $"<q^2> N={n} beta={beta}");
            for (int k = 0; k <= n; k++) Close(pk[k], r.OverlapDistribution[k], 1e-14, $"P(q_{k}) N={n} beta={beta}");
        }
        if (n == 1)
        {
            // One spin in a field: Z = 2 cosh(beta h).
            double h = inst.Fields[0];
            Assert.Equal(Math.Log(2 * Math.Cosh(0.7 * h)), exact.AtBeta(0.7).LnZ, 14);
            Assert.Equal(-Math.Abs(h), exact.GroundState.Energy, 14);
        }
    }

    [Theory]
    [InlineData(6, 0.0)]
    [InlineData(7, 0.5)]
    [InlineData(8, 0.0)]
    [InlineData(8, 0.5)]
    public void Overlap_distribution_matches_direct_double_sum(int n, double fieldScale)
    {
        var inst = TestInstances.Sk(n, 23, fieldScale);
        var exact = new SkExactEnumeration(inst);
        var brute = new BruteForce(inst);
        foreach (double t in new[] { 0.3, 1.0, 3.0 })
        {
            var expected = brute.OverlapByDoubleSum(1.0 / t);
            var actual = exact.AtTemperature(t).OverlapDistribution;
            for (int k = 0; k <= n; k++)
                Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-13,
                    $"P(q_{k}) at N={n}, T={t}: expected {expected[k]:R}, got {actual[k]:R}.");
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(12)]
    public void Overlap_distribution_is_symmetric_without_field_and_not_with_one(int n)
    {
        var noField = new SkExactEnumeration(TestInstances.Sk(n, 5)).AtTemperature(0.6);
        for (int k = 0; k <= n; k++)
            Assert.True(Math.Abs(noField.OverlapDistribution[k] - noField.OverlapDistribution[n - k]) <= 1e-14,
                $"P(q) not symmetric at k={k}: {noField.OverlapDistribution[k]:R} vs {noField.OverlapDistribution[n - k]:R}.");

        // A field breaks the q -> -q symmetry: the check above must be able to fail.
        var withField = new SkExactEnumeration(TestInstances.Sk(n, 5, 0.5)).AtTemperature(0.6);
        double asym = 0;
        for (int k = 0; k <= n; k++) asym += Math.Abs(withField.OverlapDistribution[k] - withField.OverlapDistribution[n - k]);
        Assert.True(asym > 1e-3, $"A field should make P(q) asymmetric (sum |P(q)-P(-q)| = {asym:E2}).");
    }

    [Fact]
    public void Gray_code_energies_equal_direct_energy_for_every_configuration()
    {
        const int n = 10;
        var inst = TestInstances.Sk(n, 99, 0.7);
        var exact = new SkExactEnumeration(inst);
        Assert.Equal(1 << n, exact.ConfigurationCount);
        var s = new sbyte[n];
        for (int x = 0; x < 1 << n; x++)
        {
            // The documented convention, written out here rather than calling SpinsOf.
            for (int i = 0; i < n; i++) s[i] = (sbyte)(((x >> i) & 1) == 1 ? 1 : -1);
            double direct = inst.Energy(s);
            Assert.True(Math.Abs(direct - exact.Energies[x]) <= 1e-12, $"config {x}: Gray code {exact.Energies[x]:R}, direct {direct:R}.");
        }
    }

    [Fact]
    public void Gray_code_energies_do_not_drift_over_two_to_the_twenty_steps()
    {
        const int n = 20;
        var inst = TestInstances.Sk(n, 7, 0.3);
        var exact = new SkExactEnumeration(inst);
        var rng = new RandomStream(2024);
        var s = new sbyte[n];
        double worst = 0;
        for (int trial = 0; trial < 20000; trial++)
        {
            int x = trial < 64 ? (1 << n) - 1 - trial : rng.NextInt(1 << n);
            SkExactEnumeration.SpinsOf(x, s);
            worst = Math.Max(worst, Math.Abs(inst.Energy(s) - exact.Energies[x]));
        }
        Assert.True(worst <= 1e-11, $"largest |Gray-code energy - direct energy| = {worst:E2}.");
    }

    [Theory]
    [InlineData(8, 0.0)]
    [InlineData(10, 0.0)]
    [InlineData(10, 0.3)]
    public void Ground_state_matches_brute_force_minimum(int n, double fieldScale)
    {
        var inst = TestInstances.Sk(n, 41, fieldScale);
        var brute = new BruteForce(inst);
        var gs = new SkExactEnumeration(inst).GroundState;
        double eMin = brute.MinimumEnergy;
        Assert.True(Math.Abs(eMin - gs.Energy) <= 1e-12, $"ground energy {gs.Energy:R} vs brute {eMin:R}.");
        Assert.Equal(n, gs.Configuration.Length);
        Assert.All(gs.Configuration, v => Assert.True(v == 1 || v == -1));
        Assert.True(Math.Abs(inst.Energy(gs.Configuration) - eMin) <= 1e-12, "returned configuration is not a minimiser.");
        long degeneracy = brute.Energies.LongCount(e => e <= eMin + SkExactEnumeration.DegeneracyTolerance);
        Assert.Equal(degeneracy, gs.Degeneracy);
        if (fieldScale == 0) Assert.Equal(0, gs.Degeneracy % 2); // global flip symmetry
    }

    [Fact]
    public void Degeneracy_counts_known_cases()
    {
        const int n = 9;
        // No couplings, no field: every configuration is a ground state.
        var free = new SkExactEnumeration(new SkInstance(n, new double[n * n]));
        Assert.Equal(1L << n, free.GroundState.Degeneracy);
        Assert.Equal(0.0, free.GroundState.Energy);

        // Ferromagnet: exactly the two aligned states, E = -N(N-1)/2 * J.
        var ferro = new SkExactEnumeration(TestInstances.CurieWeiss(n, n, 0.0));
        Assert.Equal(2, ferro.GroundState.Degeneracy);
        Assert.Equal(-n * (n - 1) / 2.0, ferro.GroundState.Energy, 12);
        Assert.True(ferro.GroundState.Configuration.All(v => v == ferro.GroundState.Configuration[0]));

        // A positive field selects the all-up state alone.
        var up = new SkExactEnumeration(TestInstances.CurieWeiss(n, n, 0.1));
        Assert.Equal(1, up.GroundState.Degeneracy);
        Assert.All(up.GroundState.Configuration, v => Assert.Equal(1, v));
    }

    [Fact]
    public void Boltzmann_probabilities_match_brute_force_and_index_helpers_round_trip()
    {
        const int n = 8;
        var inst = TestInstances.Sk(n, 3, 0.2);
        var exact = new SkExactEnumeration(inst);
        var brute = new BruteForce(inst);
        var pBrute = brute.Probabilities(1.3, out double lnZBrute);
        var p = new double[1 << n];
        double lnZ = exact.BoltzmannProbabilities(1.3, p);
        Assert.Equal(lnZBrute, lnZ, 12);
        for (int x = 0; x < brute.Configurations.Length; x++)
        {
            int index = SkExactEnumeration.IndexOf(brute.Configurations[x]);
            Assert.True(Math.Abs(pBrute[x] - p[index]) <= 1e-14, $"p mismatch for brute config {x} (index {index}).");
            var back = new sbyte[n];
            SkExactEnumeration.SpinsOf(index, back);
            Assert.Equal(brute.Configurations[x], back);
        }
        Assert.Equal(0, SkExactEnumeration.IndexOf(new sbyte[] { -1, -1, -1 }));
        Assert.Equal(0b101, SkExactEnumeration.IndexOf(new sbyte[] { 1, -1, 1 }));
        Assert.Throws<ArgumentException>(() => SkExactEnumeration.IndexOf(new sbyte[] { 1, 0, 1 }));
        Assert.Throws<ArgumentException>(() => exact.BoltzmannProbabilities(1.0, new double[5]));
    }

    [Fact]
    public void Low_temperature_is_stable_and_concentrates_on_the_ground_state()
    {
        const int n = 10;
        var exact = new SkExactEnumeration(TestInstances.Sk(n, 8));
        var r = exact.AtTemperature(1e-4);
        var gs = exact.GroundState;
        Assert.True(double.IsFinite(r.LnZ));
        // T -> 0: lnZ -> -beta E0 + ln(degeneracy); <E> -> E0; P(q) -> weight on q = +-1 only.
        Assert.Equal(-r.Beta * gs.Energy + Math.Log(gs.Degeneracy), r.LnZ, 6);
        Assert.Equal(gs.Energy, r.MeanEnergy, 9);
        Assert.Equal(1.0, r.OverlapDistribution[0] + r.OverlapDistribution[n], 9);
        Assert.Equal(1.0, r.MeanQ2, 9);
    }

    [Fact]
    public void Buffer_reuse_gives_identical_results_in_any_order()
    {
        var exact = new SkExactEnumeration(TestInstances.Sk(12, 17, 0.1));
        var forward = exact.AtTemperatures([0.4, 1.0, 2.0]);
        var single = exact.AtTemperature(1.0);
        Assert.Equal(forward[1].LnZ, single.LnZ);
        Assert.Equal(forward[1].OverlapDistribution, single.OverlapDistribution);
        var noOverlap = exact.AtTemperature(1.0, includeOverlap: false);
        Assert.Empty(noOverlap.OverlapDistribution);
        Assert.True(double.IsNaN(noOverlap.MeanQ2));
        Assert.Equal(single.LnZ, noOverlap.LnZ);
        Assert.Equal(single.SpecificHeat, noOverlap.SpecificHeat);
    }

    [Fact]
    public void Rejects_too_large_instances_and_bad_temperatures()
    {
        var big = new SkInstance(25, new double[25 * 25]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SkExactEnumeration(big));
        Assert.Contains("N <= 24", ex.Message);
        Assert.Contains("N = 25", ex.Message);

        var exact = new SkExactEnumeration(TestInstances.Sk(4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => exact.AtTemperature(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => exact.AtTemperature(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => exact.AtTemperature(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => exact.AtBeta(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => exact.AtBeta(double.PositiveInfinity));
    }

    [Fact]
    public void Overlap_values_follow_the_bin_convention()
    {
        var r = new SkExactEnumeration(TestInstances.Sk(4, 2)).AtTemperature(1);
        Assert.Equal(new[] { 1.0, 0.5, 0.0, -0.5, -1.0 }, r.OverlapValues());
        Assert.Equal(-0.5, r.OverlapValue(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.OverlapValue(5));
    }
}
