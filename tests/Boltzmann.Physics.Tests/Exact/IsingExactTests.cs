using Boltzmann.Physics.Exact;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests.Exact;

public class IsingExactTests(ITestOutputHelper output)
{
    public static readonly double[] Betas = [0.1, 0.3, 0.4406868, 0.6, 1.0];

    public static TheoryData<int, int, double> EnumerationCases()
    {
        var data = new TheoryData<int, int, double>();
        foreach (var (n, m) in new[] { (2, 2), (3, 3), (4, 4), (2, 4), (4, 3) })
            foreach (double b in Betas) data.Add(n, m, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(EnumerationCases))]
    public void KaufmanMatchesEnumeration(int n, int m, double beta)
    {
        var exact = IsingExact.Evaluate(n, m, beta);
        var brute = IsingEnumeration.Evaluate(n, m, beta);
        output.WriteLine($"{n}x{m} beta={beta}: ln Z {exact.LnZ:R} |d|={Math.Abs(exact.LnZ - brute.LnZ):E1}, E/N |d|={Math.Abs(exact.EnergyPerSite - brute.EnergyPerSite):E1}, C/N |d|={Math.Abs(exact.SpecificHeatPerSite - brute.SpecificHeatPerSite):E1}");
        Assert.True(Math.Abs(exact.LnZ - brute.LnZ) < 1e-12, $"ln Z {exact.LnZ} vs {brute.LnZ}");
        Assert.True(Math.Abs(exact.EnergyPerSite - brute.EnergyPerSite) < 1e-10, $"E {exact.EnergyPerSite} vs {brute.EnergyPerSite}");
        Assert.True(Math.Abs(exact.SpecificHeatPerSite - brute.SpecificHeatPerSite) < 1e-10, $"C {exact.SpecificHeatPerSite} vs {brute.SpecificHeatPerSite}");
    }

    [Fact]
    public void SquareLatticeShortcutsAgreeWithEvaluate()
    {
        var r = IsingExact.Evaluate(4, 4, 0.3);
        Assert.Equal(r.LnZ, IsingExact.LnZ(4, 0.3));
        Assert.Equal(r.EnergyPerSite, IsingExact.EnergyPerSite(4, 0.3));
        Assert.Equal(r.SpecificHeatPerSite, IsingExact.SpecificHeatPerSite(4, 0.3));
    }

    [Fact]
    public void UnsignedGammaZeroWouldBeWrongInTheDisorderedPhase()
    {
        // The trap: γ₀ = 2K + ln tanh K < 0 for β < β_c. With |γ₀| (arccosh) the Z₄ product flips sign; at L = 4,
        // β = 0.3 that changes ln Z by a few percent, so enumeration distinguishes the two.
        double beta = 0.3, k = beta;
        double gamma0 = 2 * k + Math.Log(Math.Tanh(k));
        Assert.True(gamma0 < 0);
        Assert.True(IsingExact.CriticalBeta > 0.4406867 && IsingExact.CriticalBeta < 0.4406869);
        double brute = IsingEnumeration.Evaluate(4, 4, beta).LnZ;
        Assert.True(Math.Abs(IsingExact.LnZ(4, beta) - brute) < 1e-12);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void TransferMatrixMatchesEnumeration(int l)
    {
        foreach (double beta in Betas)
        {
            var tm = IsingTransferMatrix.Evaluate(l, beta);
            var brute = IsingEnumeration.Evaluate(l, l, beta);
            output.WriteLine($"TM L={l} beta={beta}: ln Z |d|={Math.Abs(tm.LnZ - brute.LnZ):E1}, <m^2> {tm.MeanMagnetizationSquared:R} |d|={Math.Abs(tm.MeanMagnetizationSquared - brute.M2):E1}");
            Assert.True(Math.Abs(tm.LnZ - brute.LnZ) < 1e-12, $"L={l} b={beta}: ln Z {tm.LnZ} vs {brute.LnZ}");
            Assert.True(Math.Abs(tm.EnergyPerSite - brute.EnergyPerSite) < 1e-11);
            Assert.True(Math.Abs(tm.SpecificHeatPerSite - brute.SpecificHeatPerSite) < 1e-10);
            Assert.True(Math.Abs(tm.MeanMagnetizationSquared - brute.M2) < 1e-12, $"L={l} b={beta}: m2 {tm.MeanMagnetizationSquared} vs {brute.M2}");
        }
    }

    [Fact]
    public void TransferMatrixOnRectangleMatchesEnumeration()
    {
        var tm = IsingTransferMatrix.Evaluate(3, 5, 0.4);
        var brute = IsingEnumeration.Evaluate(5, 3, 0.4); // (rows × row length) both label the same torus
        Assert.True(Math.Abs(tm.LnZ - brute.LnZ) < 1e-12);
        Assert.True(Math.Abs(tm.MeanMagnetizationSquared - brute.M2) < 1e-12);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    public void KaufmanMatchesTransferMatrix(int l)
    {
        foreach (double beta in Betas)
        {
            var k = IsingExact.Evaluate(l, l, beta);
            var tm = IsingTransferMatrix.Evaluate(l, beta);
            output.WriteLine($"L={l} beta={beta}: ln Z {k.LnZ:R} |d|={Math.Abs(k.LnZ - tm.LnZ):E1}, E/N {k.EnergyPerSite:R} |d|={Math.Abs(k.EnergyPerSite - tm.EnergyPerSite):E1}, C/N {k.SpecificHeatPerSite:R} |d|={Math.Abs(k.SpecificHeatPerSite - tm.SpecificHeatPerSite):E1}, <m^2> {tm.MeanMagnetizationSquared:R}");
            Assert.True(Math.Abs(k.LnZ - tm.LnZ) < 1e-11 * Math.Max(1, Math.Abs(tm.LnZ)), $"L={l} b={beta}: {k.LnZ} vs {tm.LnZ}");
            Assert.True(Math.Abs(k.EnergyPerSite - tm.EnergyPerSite) < 1e-10, $"L={l} b={beta}: E {k.EnergyPerSite} vs {tm.EnergyPerSite}");
            Assert.True(Math.Abs(k.SpecificHeatPerSite - tm.SpecificHeatPerSite) < 1e-9, $"L={l} b={beta}: C {k.SpecificHeatPerSite} vs {tm.SpecificHeatPerSite}");
        }
    }

    [Fact]
    public void MagnetisationSquaredAtCriticalCoupling()
    {
        // NeuralRG structure-factor references ⟨m²⟩ at β_c for L ≤ 8 (transfer matrix, exact).
        double previous = 1;
        foreach (int l in new[] { 2, 4, 6, 8 })
        {
            double m2 = IsingTransferMatrix.Evaluate(l, IsingExact.CriticalBeta).MeanMagnetizationSquared;
            output.WriteLine($"<m^2>(L={l}, beta_c) = {m2:R}");
            Assert.InRange(m2, 0, previous); // decreases with L at β_c (∝ L^{-1/4})
            previous = m2;
        }
    }

    [Fact]
    public void LargeLatticeApproachesOnsager()
    {
        // Onsager's free energy at β_c: −βf = ln √2 + 2G/π (G Catalan's constant) ≈ 0.929695; finite-size
        // correction at L = 256 is far below 1e-4.
        double onsager = 0.5 * Math.Log(2) + 2 * 0.915965594177219015 / Math.PI;
        double perSite = IsingExact.LnZ(256, IsingExact.CriticalBeta) / (256.0 * 256.0);
        Assert.True(Math.Abs(perSite - onsager) < 1e-4, $"{perSite} vs {onsager}");
        // E/N at β_c tends to −√2.
        Assert.True(Math.Abs(IsingExact.EnergyPerSite(256, IsingExact.CriticalBeta) + Math.Sqrt(2)) < 1e-2);
    }
}
