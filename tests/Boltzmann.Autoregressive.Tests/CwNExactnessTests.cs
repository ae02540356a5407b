using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Exact;
using Boltzmann.Autoregressive.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// CW_N with its analytic parameters (Biazzo 2023, eqs. 13-14) is the Boltzmann distribution itself: its conditionals
/// equal those of exact enumeration, ln Q(x) + beta H(x) = -ln Z for every x, and its variational free energy equals
/// the exact one. References: brute-force enumeration (N &lt;= 14) and the binomial sum for ln Z.
/// </summary>
public class CwNExactnessTests
{
    [Fact]
    public void BinomialLnZAgreesWithBruteForceEnumeration()
    {
        foreach (var (n, beta, j, h) in new[] { (14, 0.7, 1.0, 0.0), (11, 1.6, 1.3, -0.2), (9, 0.4, -0.8, 0.5) })
        {
            double brute = ExactReference.LnZ(CurieWeissPairwise.Create(n, j, h), beta);
            double binomial = ExactReference.CurieWeissLnZ(n, beta, j, h);
            Assert.True(Math.Abs(brute - binomial) < 1e-11 * Math.Abs(brute), $"N = {n}: brute {brute:R} vs binomial {binomial:R}");
        }
    }

    public static IEnumerable<object[]> ConditionalCases =>
    [
        [1, 0.9, 1.0, 0.3], [2, 1.1, 1.0, 0.0], [7, 0.5, 1.0, 0.1], [10, 1.5, 1.0, 0.0],
        [12, 1.0, 1.0, 0.0], [12, 2.0, 1.3, -0.25], [11, 0.8, -1.0, 0.2],
    ];

    [Theory]
    [MemberData(nameof(ConditionalCases))]
    public void ConditionalsEqualExactConditionalsByEnumeration(int n, double beta, double j, double h)
    {
        using var model = new CwN(n, beta, j, h);
        using var scope = NewDisposeScope();
        var logits = ArchitectureCases.ToArray(model.Logits(ExactReference.ConfigurationTensor(n)));
        var exact = ExactReference.ConditionalLogits(CurieWeissPairwise.Create(n, j, h), beta);
        double maxDiff = 0;
        for (int k = 0; k < exact.Length; k++) maxDiff = Math.Max(maxDiff, Math.Abs(logits[k] - exact[k]));
        Assert.True(maxDiff < 1e-10, $"N = {n}, beta = {beta}, J = {j}, h = {h}: max |logit - exact logit| = {maxDiff:E3}");
    }

    [Theory]
    [InlineData(20, 1.0, 1.0, 0.0)]
    [InlineData(50, 1.3, 1.0, 0.0)]
    [InlineData(200, 0.7, 1.0, 0.0)]
    [InlineData(200, 1.3, 1.0, 0.0)]
    [InlineData(200, 2.0, 1.0, 0.05)]
    public void VariationalFreeEnergyEqualsExactFreeEnergy(int n, double beta, double j, double h)
    {
        using var model = new CwN(n, beta, j, h);
        var result = CurieWeissVariationalFreeEnergy.Compute(model, beta, j, h);
        double exact = -ExactReference.CurieWeissLnZ(n, beta, j, h) / beta;
        double relative = Math.Abs(result.FreeEnergy - exact) / Math.Abs(exact);
        Assert.True(relative <= 1e-6, $"N = {n}, beta = {beta}: F[Q] = {result.FreeEnergy:R}, F = {exact:R}, relative error {relative:E2}");
        Assert.True(relative <= 1e-11, $"N = {n}: relative error {relative:E2} is far above rounding level");
        Assert.Equal(1.0, result.MagnetizationProbabilities.Sum(), 12);
    }

    [Theory]
    [InlineData(20, 1.0)]
    [InlineData(50, 1.3)]
    [InlineData(200, 1.3)]
    public void LnQPlusBetaHIsMinusLnZForConfigurationsOfEveryMagnetisation(int n, double beta)
    {
        const double j = 1.0, h = 0.02;
        using var model = new CwN(n, beta, j, h);
        using var scope = NewDisposeScope();
        // Staircases (+1)^a (-1)^(N-a) for a = 0..N span every magnetisation; random column permutations of them put the
        // up spins at arbitrary positions (Q must not depend on the order).
        var a = arange(n + 1, dtype: ScalarType.Int64).unsqueeze(1);
        var s = arange(n, dtype: ScalarType.Int64).unsqueeze(0);
        var staircase = where(s.lt(a), 1.0, -1.0).to_type(ScalarType.Float64);
        var g = new Generator(3, CPU);
        var shuffled = staircase.index_select(1, randperm(n, generator: g));
        var perRow = stack(Enumerable.Range(0, n + 1).Select(r => staircase[r].index_select(0, randperm(n, generator: g))).ToArray(), 0);
        var x = cat([staircase, shuffled, perRow], 0);
        var logq = ArchitectureCases.ToArray(model.LogProb(x));
        var xs = ArchitectureCases.ToArray(x);
        double lnZ = ExactReference.CurieWeissLnZ(n, beta, j, h);
        for (int r = 0; r < logq.Length; r++)
        {
            double energy = ExactReference.CurieWeissEnergy(xs.AsSpan(r * n, n), j, h);
            double value = logq[r] + beta * energy;
            Assert.True(Math.Abs(value + lnZ) < 1e-9 * Math.Max(1, Math.Abs(lnZ)), $"row {r}: ln Q + beta H = {value:R}, -ln Z = {-lnZ:R}");
        }
    }

    [Fact]
    public void SamplesAtN200CarryTheirExactBoltzmannWeight()
    {
        const int n = 200;
        const double beta = 1.3, j = 1.0, h = 0.0;
        using var model = new CwN(n, beta, j, h);
        using var scope = NewDisposeScope();
        var (x, logq) = model.Sample(200, new Generator(8, CPU));
        var m = x.sum(1);
        var energy = -h * m - j / n * (m * m - n) / 2;
        double lnZ = ExactReference.CurieWeissLnZ(n, beta, j, h);
        double maxDiff = (logq + beta * energy + lnZ).abs().max().item<double>();
        Assert.True(maxDiff < 1e-9 * Math.Abs(lnZ), $"max |ln Q + beta H + ln Z| over samples = {maxDiff:E3}");
    }

    [Fact]
    public void BetaSetterRecomputesTheAnalyticParameters()
    {
        using var model = new CwN(30, 0.5, 1.0, 0.1);
        model.Beta = 1.7;
        using var fresh = new CwN(30, 1.7, 1.0, 0.1);
        for (int i = 0; i < 30; i += 7)
        {
            var a = model.ConditionalParameters(i);
            var b = fresh.ConditionalParameters(i);
            Assert.Equal(b.BPlus, a.BPlus);
            Assert.Equal(b.WMinus, a.WMinus);
            Assert.Equal(30 - i, a.BPlus.Length);
        }
        Assert.Equal(2 * 1.7 * 0.1, model.B0, 15);
        Assert.Equal(2 * 1.7 * 1.0 / 30, model.W0, 15);
    }

    [Fact]
    public void LastConditionalHasOneTermWithZeroWeights()
    {
        // Spin N has no later spins: rho+- = exp(0), so logit_N = 2 beta h + 2 beta J/N M_<N exactly.
        using var model = new CwN(6, 0.9, 1.1, 0.2);
        var last = model.ConditionalParameters(5);
        Assert.Equal(new[] { 0.0 }, last.BPlus);
        Assert.Equal(new[] { 0.0 }, last.BMinus);
        Assert.Equal(new[] { 0.0 }, last.WPlus);
    }
}
