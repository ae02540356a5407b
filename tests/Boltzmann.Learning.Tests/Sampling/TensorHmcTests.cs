using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Targets;
using Boltzmann.Statistics;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Sampling;

public class TensorHmcTests
{
    private readonly ITestOutputHelper output;

    // One libtorch thread (the pipeline default): multi-threaded kernels stall on a loaded shared machine.
    public TensorHmcTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchThreads.EnsureConfigured();
    }

    [Fact]
    public void LeapfrogIsReversibleToRoundoff()
    {
        var target = new CorrelatedGaussianTarget(0.8, 2.0);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.1, 25));
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var x = randn([16, 3], dtype: ScalarType.Float64, generator: gen);
        var p = randn([16, 3], dtype: ScalarType.Float64, generator: gen);
        var (_, g) = target.LogProbAndGradient(x);
        var (x1, p1, _, g1) = hmc.Integrate(x, p, g);
        var (x2, p2, _, _) = hmc.Integrate(x1, p1.neg(), g1);
        double dx = (x2 - x).abs().max().item<double>(), dp = (p2 + p).abs().max().item<double>();
        output.WriteLine($"reversibility: max |dx| = {dx:E2}, max |dp| = {dp:E2}");
        Assert.True(dx < 1e-12 && dp < 1e-12, $"dx={dx}, dp={dp}");
    }

    [Fact]
    public void EnergyErrorScalesAsStepSizeSquared()
    {
        // Fixed trajectory length τ = 1: the leapfrog global error in H is O(ε²), so halving ε quarters |ΔH|.
        var target = new CorrelatedGaussianTarget(0.8, 2.0);
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        var x = randn([512, 3], dtype: ScalarType.Float64, generator: gen);
        var p = randn([512, 3], dtype: ScalarType.Float64, generator: gen);
        var (_, g) = target.LogProbAndGradient(x);
        double MeanAbsDeltaH(double eps)
        {
            using var hmc = new TensorHmc(target, new TensorHmcOptions(eps, (int)Math.Round(1 / eps)));
            var (x1, p1, _, _) = hmc.Integrate(x, p, g);
            return (hmc.Hamiltonian(x1, p1) - hmc.Hamiltonian(x, p)).abs().mean().item<double>();
        }
        double e1 = MeanAbsDeltaH(0.1), e2 = MeanAbsDeltaH(0.05), e3 = MeanAbsDeltaH(0.025);
        output.WriteLine($"<|dH|>: eps=0.1 {e1:E3}, 0.05 {e2:E3}, 0.025 {e3:E3}; ratios {e1 / e2:F3}, {e2 / e3:F3}");
        Assert.InRange(e1 / e2, 3.6, 4.4);
        Assert.InRange(e2 / e3, 3.8, 4.2);
    }

    [Fact]
    public void ExpMinusDeltaHAveragesToOne()
    {
        // ⟨e^{−ΔH}⟩ = 1 exactly for a volume-preserving reversible integrator at equilibrium (Creutz 1988).
        var target = new CorrelatedGaussianTarget(0.8, 2.0);
        // Trajectory length 0.9: away from the leapfrog resonance ω̃τ ≈ π of the stiff mode (ω = 1/√0.2), where
        // x → −x each trajectory and even observables (e^{−ΔH} among them) would never equilibrate.
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.3, 3));
        using var init = randn([512, 3], dtype: ScalarType.Float64, generator: new Generator(3));
        using var state = hmc.Initialise(init, seed: 12345);
        for (int i = 0; i < 200; i++) hmc.Step(state).Dispose();
        var series = new double[1000];
        for (int i = 0; i < series.Length; i++)
        {
            using var traj = hmc.Step(state);
            using var m = traj.DeltaH.neg().exp().mean();
            series[i] = m.item<double>();
        }
        var est = IntegratedAutocorrelation.Estimate(series);
        output.WriteLine($"<exp(-dH)> = {est} ({est.Deviation(1):F2} sigma), acceptance {state.AcceptanceRate():F3}");
        Assert.True(est.Deviation(1) < 4, est.ToString());
    }

    [Fact]
    public void SamplesTheCorrelatedGaussian()
    {
        var target = new CorrelatedGaussianTarget(0.8, 2.0);
        // τ = 0.8 keeps every mode away from the leapfrog resonance ω̃τ ≈ π (see ExpMinusDeltaHAveragesToOne).
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.2, 4));
        using var init = zeros([256, 3], ScalarType.Float64);
        using var state = hmc.Initialise(init, seed: 2026);
        for (int i = 0; i < 200; i++) hmc.Step(state).Dispose();
        int n = 3000;
        var x00 = new double[n]; var x01 = new double[n]; var x22 = new double[n];
        for (int i = 0; i < n; i++)
        {
            hmc.Step(state).Dispose();
            using var s = NewDisposeScope();
            var x = state.Positions;
            x00[i] = x.select(1, 0).square().mean().item<double>();
            x01[i] = (x.select(1, 0) * x.select(1, 1)).mean().item<double>();
            x22[i] = x.select(1, 2).square().mean().item<double>();
        }
        var e00 = IntegratedAutocorrelation.Estimate(x00);
        var e01 = IntegratedAutocorrelation.Estimate(x01);
        var e22 = IntegratedAutocorrelation.Estimate(x22);
        output.WriteLine($"<x0^2> {e00} ({e00.Deviation(1):F2} s), <x0 x1> {e01} ({e01.Deviation(0.8):F2} s), <x2^2> {e22} ({e22.Deviation(4):F2} s), acc {state.AcceptanceRate():F3}");
        Assert.True(e00.Deviation(1) < 4, e00.ToString());
        Assert.True(e01.Deviation(0.8) < 4, e01.ToString());
        Assert.True(e22.Deviation(4) < 4, e22.ToString());
        Assert.InRange(state.AcceptanceRate(), 0.5, 1.0);
    }

    [Fact]
    public void SameSeedSameChain()
    {
        var target = new CorrelatedGaussianTarget(0.5, 1.0);
        double[] Run()
        {
            using var hmc = new TensorHmc(target, new TensorHmcOptions(0.3, 5));
            using var init = zeros([8, 3], ScalarType.Float64);
            using var state = hmc.Initialise(init, seed: 99);
            for (int i = 0; i < 20; i++) hmc.Step(state).Dispose();
            return state.Positions.data<double>().ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void RejectsWrongShapeAndBadOptions()
    {
        var target = new CorrelatedGaussianTarget(0.5, 1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorHmc(target, new TensorHmcOptions(0, 5)));
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.1, 5));
        using var bad = zeros([4, 2], ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => hmc.Initialise(bad, 1));
    }
}
