using Boltzmann.Physics.Sk;

namespace Boltzmann.Physics.Tests;

public class HighTemperatureTests
{
    [Theory]
    [InlineData(7, 0.0)]
    [InlineData(10, 0.5)]
    public void Infinite_temperature_is_the_uniform_distribution(int n, double fieldScale)
    {
        var inst = TestInstances.Sk(n, 31, fieldScale);
        var r = new SkExactEnumeration(inst).AtBeta(0);
        Assert.Equal(n * Math.Log(2), r.LnZ, 12);
        Assert.Equal(double.PositiveInfinity, r.Temperature);
        Assert.Equal(0.0, r.SpecificHeat);
        // Under the uniform measure every term of H is odd in some spin: <H> = 0, <H^2> = sum_{i<j} J^2 + sum h^2.
        double k2 = 0;
        for (int i = 0; i < n; i++)
        {
            k2 += inst.Fields[i] * inst.Fields[i];
            for (int j = i + 1; j < n; j++) k2 += inst.J(i, j) * inst.J(i, j);
        }
        Assert.True(Math.Abs(r.MeanEnergy) <= 1e-12, $"<E> = {r.MeanEnergy:R}");
        Assert.Equal(k2, r.MeanEnergySquared, 12);
        Assert.Equal(1.0 / n, r.MeanMagnetizationSquared, 14);
        Assert.Equal(1.0 / n, r.MeanQ2, 14);
        for (int k = 0; k <= n; k++)
            Assert.Equal(Math.Exp(CurieWeissClosedFormTests.LnBinomial(n, k) - n * Math.Log(2)), r.OverlapDistribution[k], 14);
    }

    /// <summary>
    /// ln Z = N ln 2 + beta^2 k2/2 + beta^3 k3/6 + O(beta^4), with the cumulants of -H under the uniform measure:
    /// k2 = sum_{i&lt;j} J_ij^2 + sum_i h_i^2 and k3 = 6 [sum_{i&lt;j&lt;k} J_ij J_jk J_ik + sum_{i&lt;j} J_ij h_i h_j]
    /// (the only spin products that are even in every spin). If the expansion is right through third order, the
    /// remainder shrinks by 2^4 = 16 when beta is halved.
    /// </summary>
    [Fact]
    public void Small_beta_follows_the_cumulant_expansion()
    {
        const int n = 9;
        var inst = TestInstances.Sk(n, 77, 0.6);
        double k2 = 0, k3 = 0;
        for (int i = 0; i < n; i++)
        {
            k2 += inst.Fields[i] * inst.Fields[i];
            for (int j = i + 1; j < n; j++)
            {
                k2 += inst.J(i, j) * inst.J(i, j);
                k3 += 6 * inst.J(i, j) * inst.Fields[i] * inst.Fields[j];
                for (int k = j + 1; k < n; k++) k3 += 6 * inst.J(i, j) * inst.J(j, k) * inst.J(i, k);
            }
        }
        var exact = new SkExactEnumeration(inst);
        double Remainder(double beta) =>
            exact.AtBeta(beta, includeOverlap: false).LnZ - n * Math.Log(2) - beta * beta * k2 / 2 - beta * beta * beta * k3 / 6;
        double r1 = Remainder(0.02), r2 = Remainder(0.01);
        double ratio = r1 / r2;
        Assert.True(ratio > 14 && ratio < 18, $"remainder ratio {ratio:F3} (r(0.02) = {r1:E3}, r(0.01) = {r2:E3}) should be ~16 for an O(beta^4) remainder.");
        Assert.True(Math.Abs(r1) < 1e-3 * 0.02 * 0.02 * k2, "the remainder must be far below the second-order term");
    }

    /// <summary>Two spins by hand: H = -J s1 s2 - h1 s1 - h2 s2.</summary>
    [Fact]
    public void Two_spins_by_hand()
    {
        const double jc = 0.7, h1 = 0.3, h2 = -0.2, beta = 1.3;
        var inst = new SkInstance(2, [0, jc, jc, 0], [h1, h2]);
        var r = new SkExactEnumeration(inst).AtBeta(beta);

        // Configurations (s1, s2) and energies.
        double eUU = -jc - h1 - h2, eUD = jc - h1 + h2, eDU = jc + h1 - h2, eDD = -jc + h1 + h2;
        double wUU = Math.Exp(-beta * eUU), wUD = Math.Exp(-beta * eUD), wDU = Math.Exp(-beta * eDU), wDD = Math.Exp(-beta * eDD);
        double z = wUU + wUD + wDU + wDD;
        double pUU = wUU / z, pUD = wUD / z, pDU = wDU / z, pDD = wDD / z;
        double meanE = pUU * eUU + pUD * eUD + pDU * eDU + pDD * eDD;
        double meanE2 = pUU * eUU * eUU + pUD * eUD * eUD + pDU * eDU * eDU + pDD * eDD * eDD;
        // m = +1 for UU, -1 for DD, 0 otherwise.
        double m2 = pUU + pDD;
        // q = 1: same configuration; q = -1: reversed configuration; q = 0: differ on one spin.
        double pq1 = pUU * pUU + pUD * pUD + pDU * pDU + pDD * pDD;
        double pqm1 = 2 * (pUU * pDD + pUD * pDU);
        double pq0 = 1 - pq1 - pqm1;

        Assert.Equal(Math.Log(z), r.LnZ, 14);
        Assert.Equal(-Math.Log(z) / beta / 2, r.FreeEnergyPerSpin, 14);
        Assert.Equal(meanE, r.MeanEnergy, 14);
        Assert.Equal(meanE2, r.MeanEnergySquared, 14);
        Assert.Equal(beta * beta * (meanE2 - meanE * meanE) / 2, r.SpecificHeat, 13);
        Assert.Equal(m2, r.MeanAbsMagnetization, 14);
        Assert.Equal(m2, r.MeanMagnetizationSquared, 14);
        Assert.Equal(pq1, r.OverlapDistribution[0], 14);
        Assert.Equal(pq0, r.OverlapDistribution[1], 14);
        Assert.Equal(pqm1, r.OverlapDistribution[2], 14);
        Assert.Equal(pq1 + pqm1, r.MeanQ2, 14);
        var gs = new SkExactEnumeration(inst).GroundState;
        Assert.Equal(eUU, gs.Energy, 14);
        Assert.Equal(new sbyte[] { 1, 1 }, gs.Configuration);
        Assert.Equal(1, gs.Degeneracy);
    }
}
