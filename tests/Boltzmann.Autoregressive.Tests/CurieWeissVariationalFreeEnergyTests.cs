using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Exact;
using Boltzmann.Autoregressive.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// The O(N^2) magnetisation-class programme against the definition F[Q] = sum_x Q(x)(ln Q(x) + beta H(x)) / beta
/// summed over all 2^N configurations, for models that are not the Boltzmann distribution (CW_inf, 1P with rough
/// parameters), and the Gibbs bound F[Q] &gt;= F.
/// </summary>
public class CurieWeissVariationalFreeEnergyTests
{
    public static IEnumerable<object[]> PrefixSumArchitectures => [["CW_N"], ["CW_inf"], ["1P"]];

    [Theory]
    [MemberData(nameof(PrefixSumArchitectures))]
    public void ProgrammeEqualsSumOverAllConfigurations(string name)
    {
        const int n = 11;
        using var model = ArchitectureCases.Create(name, n);
        using var scope = NewDisposeScope();
        const double beta = ArchitectureCases.Beta, j = ArchitectureCases.CwJ, h = ArchitectureCases.CwH;
        var dp = CurieWeissVariationalFreeEnergy.Compute(model, beta, j, h);

        var configurations = ExactReference.Configurations(n);
        var logq = ArchitectureCases.ToArray(model.LogProb(ExactReference.ConfigurationTensor(n)));
        double energy = 0, minusEntropy = 0;
        var magnetisation = new double[n + 1];
        for (int c = 0; c < logq.Length; c++)
        {
            double q = Math.Exp(logq[c]);
            var x = configurations.AsSpan(c * n, n);
            energy += q * ExactReference.CurieWeissEnergy(x, j, h);
            minusEntropy += q * logq[c];
            int up = 0;
            foreach (var s in x) if (s > 0) up++;
            magnetisation[up] += q;
        }
        double free = energy + minusEntropy / beta;
        Assert.Equal(energy, dp.Energy, 10);
        Assert.Equal(-minusEntropy, dp.Entropy, 10);
        Assert.Equal(free, dp.FreeEnergy, 10);
        for (int k = 0; k <= n; k++) Assert.Equal(magnetisation[k], dp.MagnetizationProbabilities[k], 12);
    }

    [Theory]
    [MemberData(nameof(PrefixSumArchitectures))]
    public void VariationalFreeEnergyIsAnUpperBound(string name)
    {
        foreach (int n in new[] { 20, 100 })
        {
            using var model = ArchitectureCases.Create(name, n);
            const double beta = ArchitectureCases.Beta, j = ArchitectureCases.CwJ, h = ArchitectureCases.CwH;
            double fq = CurieWeissVariationalFreeEnergy.Compute(model, beta, j, h).FreeEnergy;
            double f = -ExactReference.CurieWeissLnZ(n, beta, j, h) / beta;
            if (name == "CW_N") Assert.True(Math.Abs(fq - f) < 1e-10 * Math.Abs(f), $"CW_N is exact: F[Q] = {fq:R}, F = {f:R}");
            else Assert.True(fq > f + 1e-6, $"{name}, N = {n}: F[Q] = {fq:R} must exceed F = {f:R} (rough parameters are far from optimal)");
        }
    }

    [Fact]
    public void RejectsModelsThatReadMoreThanThePrefixSum()
    {
        using var model = new OneLayer(5);
        var e = Assert.Throws<ArgumentException>(() => CurieWeissVariationalFreeEnergy.Compute(model, 1.0, 1.0, 0.0));
        Assert.Contains("prefix sum", e.Message);
    }

    [Fact]
    public void PrefixSumModelsIgnoreTheOrderOfThePrefix()
    {
        foreach (var name in new[] { "CW_N", "CW_inf", "1P" })
        {
            const int n = 9;
            using var model = ArchitectureCases.Create(name, n);
            using var scope = NewDisposeScope();
            var g = new Generator(17, CPU);
            var x = where(rand(32, n, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0);
            var logits = model.Logits(x);
            // Swapping x_0 and x_3 leaves every prefix sum M_<i unchanged for i >= 4, hence logit_i for i >= 4.
            var swapped = x.index_select(1, tensor(new long[] { 3, 1, 2, 0, 4, 5, 6, 7, 8 }));
            var diff = (model.Logits(swapped) - logits).slice(1, 4, n, 1).abs().max().item<double>();
            Assert.True(diff < 1e-12, $"{name}: logits changed by {diff:E3} under a permutation of the prefix");
            Assert.IsAssignableFrom<IPrefixSumConditionals>(model);
        }
    }
}
