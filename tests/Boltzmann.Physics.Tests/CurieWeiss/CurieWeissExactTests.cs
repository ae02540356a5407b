using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Physics.Sk;

namespace Boltzmann.Physics.Tests.CurieWeiss;

/// <summary>Binomial sums against brute-force enumeration and against the SK exact enumeration with J_ij = J/N.</summary>
public class CurieWeissExactTests
{
    public static TheoryData<int, double, double, double> Cases => new()
    {
        { 1, 0.7, 1.0, 0.3 },
        { 2, 1.0, 1.0, 0.0 },
        { 5, 0.0, 1.0, 0.2 },
        { 9, 1.3, -0.8, 0.1 },
        { 12, 2.0, 1.0, 0.0 },
        { 16, 0.6, 1.0, 0.05 },
        { 16, 1.5, 1.0, -0.2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_brute_force(int n, double beta, double j, double h)
    {
        var cw = new CurieWeissExact(n, beta, j, h);
        var bf = new CurieWeissBruteForce(n, beta, j, h);
        string at = $"N={n} beta={beta} J={j} h={h}";
        Assert.True(Math.Abs(cw.LnZ - bf.LnZ) <= 1e-12 * Math.Max(1, Math.Abs(bf.LnZ)), $"ln Z {at}: {cw.LnZ:R} vs {bf.LnZ:R}");

        double e = 0, e2 = 0, m = 0, absM = 0, m2 = 0;
        var pUp = new double[n + 1];
        for (int c = 0; c < bf.Probabilities.Length; c++)
        {
            double p = bf.Probabilities[c];
            double mag = bf.Configurations[c].Sum(v => (double)v) / n;
            e += p * bf.Energies[c];
            e2 += p * bf.Energies[c] * bf.Energies[c];
            m += p * mag;
            absM += p * Math.Abs(mag);
            m2 += p * mag * mag;
            pUp[CurieWeissBruteForce.CountUp(bf.Configurations[c])] += p;
            Close(bf.Energies[c], cw.Energy(bf.Configurations[c]), 1e-12, $"H(x) {at}");
            Assert.True(Math.Abs(cw.LogProbability(bf.Configurations[c]) - Math.Log(p)) <= 1e-11, $"ln P(x) {at}");
        }
        Close(e, cw.MeanEnergy, 1e-11, $"<H> {at}");
        Close(e2 - e * e, cw.EnergyVariance, 1e-10 * Math.Max(1, e2), $"Var H {at}");
        Close(beta * beta * (e2 - e * e) / n, cw.SpecificHeat, 1e-10 * Math.Max(1, beta * beta * e2), $"c {at}");
        // The brute force sums up to 2^16 terms naively (rounding ~1e-12); the binomial sums have N + 1 terms.
        Close(m, cw.MeanMagnetization, 1e-11, $"<m> {at}");
        Close(absM, cw.MeanAbsMagnetization, 1e-11, $"<|m|> {at}");
        Close(m2, cw.MeanMagnetizationSquared, 1e-11, $"<m^2> {at}");
        for (int u = 0; u <= n; u++) Assert.True(Math.Abs(pUp[u] - cw.MagnetizationDistribution[u]) <= 1e-12, $"P(u={u}) {at}");
        Assert.Equal(n, cw.MagnetizationValue(n));
        Assert.Equal(-n, cw.MagnetizationValue(0));
        if (beta > 0) Close(-bf.LnZ / (beta * n), cw.FreeEnergyPerSpin, 1e-12 * Math.Max(1, Math.Abs(cw.FreeEnergyPerSpin)), $"f {at}");
        else Assert.Equal(double.NegativeInfinity, cw.FreeEnergyPerSpin);
    }

    /// <summary>
    /// The constant term of Biazzo SI eq. 13: F = -(1/beta) ln sum_k C(N,k) exp(beta J (N-2k)^2/(2N) + beta h (N-2k)) + J/2 equals
    /// the brute-force free energy; the +J/2 comes from removing the i = j terms of M^2 (without it F is off by exactly J/2).
    /// The SI as printed (no 1/N in the quadratic term, no beta on h) does not match.
    /// </summary>
    [Theory]
    [InlineData(6, 0.8, 1.0, 0.2)]
    [InlineData(11, 1.7, 1.0, 0.0)]
    [InlineData(14, 0.4, -1.3, 0.35)]
    public void Si_eq13_constant_term_is_j_over_2(int n, double beta, double j, double h)
    {
        var bf = new CurieWeissBruteForce(n, beta, j, h);
        double F = -bf.LnZ / beta;
        double Sum(Func<int, double> exponent)
        {
            double s = 0;
            for (int k = 0; k <= n; k++) s += Math.Exp(CurieWeissBinomial.LnBinomial(n, k) + exponent(n - 2 * k));
            return Math.Log(s);
        }
        double corrected = -Sum(m => beta * j * m * m / (2.0 * n) + beta * h * m) / beta;
        Assert.True(Math.Abs(F - (corrected + j / 2)) <= 1e-11, $"F = {F:R}, corrected SI eq. 13 gives {corrected + j / 2:R}");
        double printed = -Sum(m => beta * j / 2 * m * m + m * h) / beta + j / 2;
        Assert.True(Math.Abs(F - printed) > 1e-3, $"the SI's printed form unexpectedly matches: {printed:R}");
        Close(F / n, new CurieWeissExact(n, beta, j, h).FreeEnergyPerSpin, 1e-12, "f");
    }

    [Theory]
    [InlineData(0.5, 1.0, 0.0)]
    [InlineData(1.4, 1.0, 0.1)]
    [InlineData(0.9, -1.0, 0.3)]
    public void Matches_sk_enumeration_with_uniform_couplings(double beta, double j, double h)
    {
        const int n = 12;
        var couplings = new double[n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                if (a != b) couplings[a * n + b] = j / n;
        var fields = Enumerable.Repeat(h, n).ToArray();
        var sk = new SkExactEnumeration(new SkInstance(n, couplings, fields)).AtBeta(beta);
        var cw = new CurieWeissExact(n, beta, j, h);
        Assert.True(Math.Abs(sk.LnZ - cw.LnZ) <= 1e-12 * Math.Abs(sk.LnZ), $"ln Z {cw.LnZ:R} vs SK {sk.LnZ:R}");
        Close(sk.FreeEnergyPerSpin, cw.FreeEnergyPerSpin, 1e-12, "f");
        Close(sk.MeanEnergy, cw.MeanEnergy, 1e-11, "<H>");
        Close(sk.SpecificHeat, cw.SpecificHeat, 1e-10, "c");
        Close(sk.MeanAbsMagnetization, cw.MeanAbsMagnetization, 1e-12, "<|m|>");
        Close(sk.MeanMagnetizationSquared, cw.MeanMagnetizationSquared, 1e-12, "<m^2>");
        Close(sk.MeanQ2, cw.MeanQ2, 1e-12, "<q^2>");
        var pq = cw.ComputeOverlapDistribution();
        for (int d = 0; d <= n; d++)
            Assert.True(Math.Abs(pq[d] - sk.OverlapDistribution[d]) <= 1e-13, $"P(q_{d}) {pq[d]:R} vs SK {sk.OverlapDistribution[d]:R}");
    }

    [Fact]
    public void Large_n_stays_finite_and_normalised()
    {
        foreach (var (n, beta, h) in new[] { (5000, 1.2, 0.0), (5000, 3.0, 0.05), (4000, 0.3, -0.1), (3000, 0.0, 0.0) })
        {
            var cw = new CurieWeissExact(n, beta, 1.0, h);
            Assert.True(double.IsFinite(cw.LnZ), $"ln Z at N={n}");
            double total = 0;
            foreach (double p in cw.MagnetizationDistribution) total += p;
            Close(1.0, total, 1e-12, $"sum P(M) at N={n}");
            Assert.True(cw.MeanQ2 >= 1.0 / n - 1e-15);
            if (beta == 0) Close(n * Math.Log(2), cw.LnZ, 1e-12 * n, "ln Z at beta = 0");
        }
    }

    private static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: {actual:R} vs expected {expected:R} (|diff| {Math.Abs(actual - expected):G3} > {tolerance:G3})");

    [Fact]
    public void Rejects_bad_input()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CurieWeissExact(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CurieWeissExact(10, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CurieWeissExact(10, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CurieWeissExact(10, 1, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CurieWeissExact(10, 1, 1, double.NaN));
        var cw = new CurieWeissExact(4, 1);
        Assert.Throws<ArgumentException>(() => cw.Energy(new sbyte[] { 1, 1, 0, 1 }));
        Assert.Throws<ArgumentException>(() => cw.Energy(new sbyte[] { 1, 1, 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => cw.ConditionalLogit(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cw.ConditionalLogit(2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => cw.LogPrefixProbability(-1, 0));
        Assert.Throws<ArgumentException>(() => cw.ConditionalProbabilityUp(new sbyte[] { 1, 1, 1, 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => cw.MagnetizationValue(5));
    }
}
