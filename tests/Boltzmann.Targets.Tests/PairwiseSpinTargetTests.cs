using Boltzmann.Learning.Targets;
using Boltzmann.Physics.Actions;
using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using Boltzmann.Targets.Spins;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests;

/// <summary>The tensor −βH of pairwise spin models against the plain-C# <see cref="ISpinHamiltonian"/> (float64, 1e-12).</summary>
public class PairwiseSpinTargetTests
{
    private const int N = 9;

    /// <summary>All 2^N configurations as float64 [2^N, N] rows of ±1 and as sbyte rows.</summary>
    private static (Tensor X, sbyte[][] Spins) AllConfigurations()
    {
        var rows = new sbyte[1 << N][];
        var flat = new double[(1 << N) * N];
        for (int c = 0; c < rows.Length; c++)
        {
            rows[c] = new sbyte[N];
            for (int s = 0; s < N; s++)
            {
                rows[c][s] = (sbyte)(((c >> s) & 1) == 1 ? 1 : -1);
                flat[c * N + s] = rows[c][s];
            }
        }
        return (tensor(flat, [rows.Length, N], ScalarType.Float64), rows);
    }

    private static SkInstance Sk(double field)
    {
        var rng = RandomStreams.For(5, "pairwise-energy");
        return SkInstance.Generate(N, ref rng, h: field);
    }

    [Theory]
    [InlineData(1.0, 0.3)]
    [InlineData(0.37, -0.2)]
    [InlineData(2.5, 0.0)]
    public void LogProbIsMinusBetaTimesThePlainEnergy(double beta, double field)
    {
        var sk = Sk(field);
        ISpinHamiltonian plain = sk;
        using var target = new PairwiseSpinTarget(sk, beta);
        using var scope = NewDisposeScope();
        var (x, spins) = AllConfigurations();
        var got = target.LogProb(x).data<double>().ToArray();
        for (int c = 0; c < spins.Length; c++)
        {
            double want = -beta * plain.Energy(spins[c]);
            Assert.True(Math.Abs(got[c] - want) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"configuration {c}: {got[c]:R} vs {want:R}");
        }
        Assert.Equal(field == 0, target.HasZeroFields);
    }

    [Fact]
    public void IsingLatticeTargetMatchesTheNeighbourTableEnergy()
    {
        const double beta = 0.44;
        var ising = new Boltzmann.Physics.Lattice.IsingLatticeCouplings(new Boltzmann.Physics.Lattice.Lattice2D(3, 3));
        using var target = new PairwiseSpinTarget(ising, beta);
        using var scope = NewDisposeScope();
        var (x, spins) = AllConfigurations();
        var got = target.LogProb(x).data<double>().ToArray();
        for (int c = 0; c < spins.Length; c++)
            Assert.True(Math.Abs(got[c] + beta * ising.Energy(spins[c])) <= 1e-12, $"configuration {c}: {got[c]:R} vs {-beta * ising.Energy(spins[c]):R}");
        Assert.True(target.HasZeroFields);
    }

    [Fact]
    public void CurieWeissTargetMatchesTheClosedFormEnergy()
    {
        var cw = new CurieWeissExact(N, 1.0, j: 1.3, h: -0.2);
        using var target = new PairwiseSpinTarget(CurieWeissPairwise.Create(N, 1.3, -0.2));
        using var scope = NewDisposeScope();
        var (x, spins) = AllConfigurations();
        var got = target.LogProb(x).data<double>().ToArray();
        for (int c = 0; c < spins.Length; c++)
            Assert.Equal(-cw.EnergyOfUp(spins[c].Count(s => s > 0)), got[c], 12);
    }

    /// <summary>The Curie-Weiss target (uniform couplings: the O(N) magnetisation form) against the dense form x J xᵀ/2 + h·x, value and gradient.</summary>
    [Fact]
    public void CurieWeissMagnetisationFormEqualsTheDenseProduct()
    {
        const double beta = 0.7, j = 1.3, h = -0.2;
        using var target = new PairwiseSpinTarget(CurieWeissPairwise.Create(N, j, h), beta);
        using var scope = NewDisposeScope();
        var (x, _) = AllConfigurations();
        var couplings = full(N, N, j / N, dtype: ScalarType.Float64) - eye(N, dtype: ScalarType.Float64) * (j / N);
        var dense = (x.matmul(couplings).mul(x).sum(1) * 0.5 + x.sum(1) * h) * beta;
        Assert.True((target.LogProb(x) - dense).abs().max().item<double>() < 1e-12);
        var (_, gradient) = target.LogProbAndGradient(x);
        var denseGradient = (x.matmul(couplings) + h) * beta;
        Assert.True((gradient - denseGradient).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void GradientIsMinusBetaTimesTheLocalFieldsAndMatchesTheFlipEnergy()
    {
        // ∂(−βH)/∂x_i = β (Σ_j J_ij x_j + h_i), and for spins ΔH_i = H(flip i) − H = 2 x_i (Σ_j J_ij x_j + h_i).
        const double beta = 0.8;
        var sk = Sk(0.3);
        ISpinHamiltonian plain = sk;
        using var target = new PairwiseSpinTarget(sk, beta);
        using var scope = NewDisposeScope();
        var (x, spins) = AllConfigurations();
        var (_, gradient) = target.LogProbAndGradient(x);
        var g = gradient.data<double>().ToArray();
        for (int c = 0; c < spins.Length; c += 7)
            for (int i = 0; i < N; i++)
            {
                double want = beta * plain.FlipEnergyChange(spins[c], i) / (2.0 * spins[c][i]);
                Assert.True(Math.Abs(g[c * N + i] - want) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"configuration {c}, spin {i}: {g[c * N + i]:R} vs {want:R}");
            }
    }

    [Fact]
    public void FlipEnergyChangeIsTheEnergyDifference()
    {
        var sk = Sk(0.3);
        ISpinHamiltonian plain = sk;
        var (_, spins) = AllConfigurations();
        foreach (var s in spins.Take(40))
            for (int i = 0; i < N; i++)
            {
                var flipped = (sbyte[])s.Clone();
                flipped[i] = (sbyte)-flipped[i];
                Assert.Equal(plain.Energy(flipped) - plain.Energy(s), plain.FlipEnergyChange(s, i), 12);
            }
    }

    [Fact]
    public void RejectsWrongShapes()
    {
        using var target = new PairwiseSpinTarget(Sk(0));
        using var wrong = zeros(3, N + 1, ScalarType.Float64);
        Assert.Contains($"[batch, {N}]", Assert.Throws<ArgumentException>(() => target.LogProb(wrong)).Message);
        Assert.Equal(new long[] { N }, target.EventShape);
    }
}
