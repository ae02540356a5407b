using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Lattice;

namespace Boltzmann.Physics.Tests.Lattice;

/// <summary>
/// The 2D Ising model as pairwise couplings: the dense form H = −Σ_{i&lt;j} J_ij s_i s_j summed over all 2^N
/// configurations reproduces Kaufman's ln Z, E/N and C/N (<see cref="IsingExact"/>, itself tested against an
/// independent enumeration), extent-2 directions included; the neighbour-table energy and flip change agree with it.
/// </summary>
public class IsingLatticeCouplingsTests
{
    public static TheoryData<int, int, double> Cases()
    {
        var data = new TheoryData<int, int, double>();
        foreach (var (l, t) in new[] { (2, 2), (3, 3), (4, 4), (2, 4), (3, 4) })
            foreach (double b in new[] { 0.2, 0.4406868, 0.7 }) data.Add(l, t, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PairwiseEnumerationMatchesKaufman(int l, int t, double beta)
    {
        var ising = new IsingLatticeCouplings(new Lattice2D(l, t));
        int n = ising.N;
        var c = ising.Couplings;
        var s = new double[n];
        double eMin = double.PositiveInfinity;
        var energies = new double[1 << n];
        for (int state = 0; state < 1 << n; state++)
        {
            for (int i = 0; i < n; i++) s[i] = ((state >> i) & 1) == 0 ? 1 : -1;
            double e = 0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) e -= c[i * n + j] * s[i] * s[j];
            energies[state] = e;
            eMin = Math.Min(eMin, e);
        }
        double z = 0, z1 = 0, z2 = 0;
        foreach (double e in energies)
        {
            double w = Math.Exp(-beta * (e - eMin));
            z += w; z1 += w * e; z2 += w * e * e;
        }
        double mean = z1 / z, variance = z2 / z - mean * mean;
        var exact = IsingExact.Evaluate(l, t, beta);
        Assert.True(Math.Abs(Math.Log(z) - beta * eMin - exact.LnZ) < 1e-11, $"{l}x{t} beta={beta}: ln Z {Math.Log(z) - beta * eMin} vs Kaufman {exact.LnZ}");
        Assert.True(Math.Abs(mean / n - exact.EnergyPerSite) < 1e-10, $"E/N {mean / n} vs {exact.EnergyPerSite}");
        Assert.True(Math.Abs(beta * beta * variance / n - exact.SpecificHeatPerSite) < 1e-10, $"C/N {beta * beta * variance / n} vs {exact.SpecificHeatPerSite}");
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(4, 4)]
    [InlineData(3, 5)]
    public void CouplingsAreSymmetricWithFourBondsPerSite(int l, int t)
    {
        var ising = new IsingLatticeCouplings(new Lattice2D(l, t), j: 0.7);
        int n = ising.N;
        Assert.Equal((l, t), (ising.Rows, ising.Columns));
        Assert.Equal(2 * n, ising.Bonds);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(0.0, ising.J(i, i));
            Assert.Equal(0.0, ising.Fields[i]);
            double row = 0;
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(ising.J(i, j), ising.J(j, i));
                row += ising.J(i, j);
            }
            Assert.Equal(4 * 0.7, row, 12);
        }
        // Site (x, t) couples to (x, t + 1): the row-major raster neighbour of the lattice geometry.
        Assert.Equal(l == 2 || t == 2 ? 0.7 * (t == 2 ? 2 : 1) : 0.7, ising.J(0, 1), 12);
    }

    [Fact]
    public void NeighbourEnergyAndFlipChangeAgreeWithThePairwiseForm()
    {
        var ising = new IsingLatticeCouplings(new Lattice2D(5, 4), j: 1.3);
        int n = ising.N;
        var rng = new System.Random(3);
        var s = new sbyte[n];
        for (int trial = 0; trial < 50; trial++)
        {
            for (int i = 0; i < n; i++) s[i] = rng.Next(2) == 0 ? (sbyte)1 : (sbyte)-1;
            double pairwise = 0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) pairwise -= ising.J(i, j) * s[i] * s[j];
            double e = ising.Energy(s);
            Assert.Equal(pairwise, e, 10);
            int k = rng.Next(n);
            double delta = ising.FlipEnergyChange(s, k);
            s[k] = (sbyte)-s[k];
            Assert.Equal(ising.Energy(s) - e, delta, 10);
        }
    }
}
