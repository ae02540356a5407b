using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Models;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

public class AutoregressiveArchitectureTests
{
    [Fact]
    public void PaperNamesRoundTrip()
    {
        foreach (var a in AutoregressiveArchitecture.Paper)
            Assert.Equal(a, AutoregressiveArchitecture.Parse(a.Name));
        Assert.Equal(["CW_N", "CW_inf", "1P", "1L", "MADE_21", "MADE_22", "SK_RS", "SK_1RSB", "SK_2RSB"],
            AutoregressiveArchitecture.Paper.Select(a => a.Name));
        Assert.Equal(AutoregressiveArchitecture.Made(2, 10), AutoregressiveArchitecture.Parse("made_2_10"));
        Assert.Equal("MADE_2_10", AutoregressiveArchitecture.Made(2, 10).Name);
        Assert.Equal(AutoregressiveArchitecture.SkKRsb(3), AutoregressiveArchitecture.Parse("SK_3RSB"));
        Assert.Equal(AutoregressiveArchitecture.CwInf, AutoregressiveArchitecture.Parse(" cw_INF "));
    }

    [Theory]
    [InlineData("CW")]
    [InlineData("MADE_0")]
    [InlineData("MADE_01")]
    [InlineData("MADE_2_0")]
    [InlineData("SK_0RSB")]
    [InlineData("SK_RSB")]
    [InlineData("2P")]
    public void UnknownNamesAreRejectedWithTheAllowedList(string name)
    {
        var e = Assert.Throws<FormatException>(() => AutoregressiveArchitecture.Parse(name));
        Assert.Contains("allowed", e.Message);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void ClosedFormCountsMatchThePapersFormulas()
    {
        // CW_N: 2 + 4 sum_i (N - i + 1) = 2N^2 + 2N + 2; CW_inf: N + 2; 1P: N; 1L: N(N+1)/2 (masked N^2 matrix).
        Assert.Equal(2 * 200 * 200 + 2 * 200 + 2, AutoregressiveArchitecture.CwN.ParameterCount(200));
        Assert.Equal(202, AutoregressiveArchitecture.CwInf.ParameterCount(200));
        Assert.Equal(200, AutoregressiveArchitecture.OneParameter.ParameterCount(200));
        Assert.Equal(200 * 201 / 2, AutoregressiveArchitecture.OneLayer.ParameterCount(200));
        // SK: 2(k+1)(N - i) (weight, bias) units per conditional, i.e. sum_i 4(k+1)(N - i) = 2(k+1)N(N-1) learned scalars,
        // plus 2(N-1) output weights, plus N(N-1)/2 couplings and N fields fixed.
        for (int k = 0; k <= 2; k++)
        {
            long perConditional = 0;
            for (int i = 1; i <= 200; i++) perConditional += 4L * (k + 1) * (200 - i) + (i < 200 ? 2 : 0);
            Assert.Equal(perConditional, SkReplicaNetwork.TrainableParameterCountFormula(200, k));
            Assert.Equal(perConditional + 200 * 199 / 2 + 200, (k == 0 ? AutoregressiveArchitecture.SkRs : AutoregressiveArchitecture.SkKRsb(k)).ParameterCount(200));
        }
        // MADE_dw by brute-force degree counting.
        foreach (var (n, d, w) in new[] { (5, 1, 1), (7, 2, 3), (6, 3, 2) })
        {
            long count = 0;
            for (int c = 0; c < w; c++) for (int j = 0; j < n; j++) count += j + 1;                 // first layer: inputs s < j, plus bias
            for (int l = 1; l < d; l++)
                for (int c = 0; c < w; c++) for (int j = 0; j < n; j++) count += w * (j + 1) + 1;   // positions <= j, plus bias
            for (int i = 0; i < n; i++) count += w * (i + 1) + 1;                                   // output reads positions <= i, plus bias
            count += (long)d * w * n;                                                               // PReLU slopes
            Assert.Equal(count, AutoregressiveArchitecture.Made(d, w).ParameterCount(n));
        }
    }

    [Fact]
    public void CurieWeissArchitecturesNeedACurieWeissHamiltonian()
    {
        var sk = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, 6);
        var e = Assert.Throws<ArgumentException>(() => AutoregressiveArchitecture.CwN.Create(sk, 1.0));
        Assert.Contains("Curie-Weiss", e.Message);
        var cw = CurieWeissPairwise.Create(6, 1.4, -0.3);
        Assert.True(CurieWeissPairwise.TryExtract(cw, out double j, out double h));
        Assert.Equal(1.4, j, 14);
        Assert.Equal(-0.3, h, 14);
        Assert.False(CurieWeissPairwise.TryExtract(sk, out _, out _));
        using var model = (CwN)AutoregressiveArchitecture.CwN.Create(cw, 0.9);
        Assert.Equal(1.4, model.J, 14);
        Assert.Equal(0.9, model.Beta);
        // The CW Hamiltonian as a pairwise instance has the CW energy.
        var x = new double[] { 1, -1, 1, 1, -1, 1 };
        Assert.Equal(ExactReference.CurieWeissEnergy(x, 1.4, -0.3), ExactReference.Energy(cw, x), 12);
    }

    [Fact]
    public void ConstructorsRejectInvalidSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneParameter(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Made(5, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Made(5, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CwN(5, -1.0, 1.0, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoregressiveArchitecture.Made(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoregressiveArchitecture.SkKRsb(0));
    }
}
