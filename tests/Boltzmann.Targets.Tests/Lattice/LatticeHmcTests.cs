using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Targets;
using Boltzmann.Physics.Exact;
using Boltzmann.Statistics;
using Boltzmann.Targets.Lattice;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests.Lattice;

/// <summary>
/// Batched tensor HMC on the lattice targets against the exact references: the φ⁴ free field (Gaussian
/// determinant / propagator), φ⁴ at κ = 0 (single-site quadrature) and 2D U(1) (winding-sector sums). Errors are
/// from the series of per-trajectory chain averages with the automatic-window τ_int; thresholds 4σ; fixed seeds.
/// </summary>
public class LatticeHmcTests
{
    private readonly ITestOutputHelper output;

    // One libtorch thread (the pipeline default): multi-threaded kernels stall on a loaded shared machine.
    public LatticeHmcTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchThreads.EnsureConfigured();
    }

    private static Estimate Series(TensorHmc hmc, TensorHmcState state, int burnIn, int n, Func<Tensor, Tensor> observable)
    {
        for (int i = 0; i < burnIn; i++) hmc.Step(state).Dispose();
        var series = new double[n];
        for (int i = 0; i < n; i++)
        {
            hmc.Step(state).Dispose();
            using var scope = NewDisposeScope();
            series[i] = observable(state.Positions).mean().item<double>();
        }
        return IntegratedAutocorrelation.Estimate(series);
    }

    [Fact]
    public void FreeFieldPropagatorAndMagnetisation()
    {
        const int l = 4; const double kappa = 0.2;
        using var target = new Phi4Target(l, l, kappa, 0.0);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.2, 6));
        using var init = zeros([128, l, l], ScalarType.Float64);
        using var state = hmc.Initialise(init, seed: 401);
        var m2 = Series(hmc, state, 100, 1000, x => Phi4Target.Magnetisation(x).square());
        var g10 = Series(hmc, state, 0, 1000, x => x.mul(roll(x, [-1L], [1L])).mean([1L, 2L]));
        var g00 = Series(hmc, state, 0, 1000, x => x.square().mean([1L, 2L]));
        double m2Exact = FreeScalarField.MeanMagnetizationSquared(l, l, kappa);
        double g10Exact = FreeScalarField.Propagator(l, l, kappa, 1, 0);
        double g00Exact = FreeScalarField.Propagator(l, l, kappa, 0, 0);
        output.WriteLine($"free field 4x4 kappa=0.2: <m^2> {m2} exact {m2Exact:R} ({m2.Deviation(m2Exact):F2} s); G(1,0) {g10} exact {g10Exact:R} ({g10.Deviation(g10Exact):F2} s); G(0) {g00} exact {g00Exact:R} ({g00.Deviation(g00Exact):F2} s); acc {state.AcceptanceRate():F3}");
        Assert.True(m2.Deviation(m2Exact) < 4, m2.ToString());
        Assert.True(g10.Deviation(g10Exact) < 4, g10.ToString());
        Assert.True(g00.Deviation(g00Exact) < 4, g00.ToString());
    }

    [Fact]
    public void InteractingFieldAtZeroHopping()
    {
        // κ = 0, λ = 1: a double well per site; ⟨φ²⟩ and ⟨S⟩/V from the single-site quadrature.
        using var target = new Phi4Target(4, 4, 0.0, 1.0);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.15, 8));
        using var init = zeros([128, 4, 4], ScalarType.Float64);
        using var state = hmc.Initialise(init, seed: 402);
        var phi2 = Series(hmc, state, 100, 1000, x => x.square().mean([1L, 2L]));
        var sDensity = Series(hmc, state, 0, 1000, x => target.Action(x).div(16.0));
        double phi2Exact = Phi4SingleSite.MeanPhiSquared(1.0), sExact = Phi4SingleSite.ActionDensity(1.0);
        output.WriteLine($"kappa=0 lambda=1: <phi^2> {phi2} exact {phi2Exact:R} ({phi2.Deviation(phi2Exact):F2} s); <S>/V {sDensity} exact {sExact:R} ({sDensity.Deviation(sExact):F2} s)");
        Assert.True(phi2.Deviation(phi2Exact) < 4, phi2.ToString());
        Assert.True(sDensity.Deviation(sExact) < 4, sDensity.ToString());
    }

    [Fact]
    public void U1AveragePlaquetteAndCharge()
    {
        const int l = 4; const double beta = 2.0;
        using var target = new U1Target(l, l, beta);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.2, 5, WrapCompact: true));
        using var init = zeros([128, 2, l, l], ScalarType.Float64);
        using var state = hmc.Initialise(init, seed: 403);
        var plaq = Series(hmc, state, 100, 1000, U1TensorObservables.AveragePlaquette);
        var q2 = Series(hmc, state, 0, 1000, x => U1TensorObservables.ChargeZ(x).round().square());
        var exact = U1Exact.Evaluate(l, l, beta);
        output.WriteLine($"U(1) 4x4 beta=2: <cos> {plaq} exact {exact.AveragePlaquette:R} ({plaq.Deviation(exact.AveragePlaquette):F2} s); <Q^2> {q2} exact {exact.MeanChargeSquared:R} ({q2.Deviation(exact.MeanChargeSquared):F2} s); acc {state.AcceptanceRate():F3}");
        Assert.True(plaq.Deviation(exact.AveragePlaquette) < 4, plaq.ToString());
        Assert.True(q2.Deviation(exact.MeanChargeSquared) < 4, q2.ToString());
        // Wrapped positions stay in (−π, π].
        Assert.True(state.Positions.abs().max().item<double>() <= Math.PI + 1e-12);
    }

    [Fact]
    public void U1LeapfrogWithWrapIsReversibleModuloTwoPi()
    {
        using var target = new U1Target(4, 4, 2.0);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.1, 20, WrapCompact: true));
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var x = CompactAngles.Wrap(randn([8, 2, 4, 4], dtype: ScalarType.Float64, generator: gen).mul(2.0));
        var p = randn([8, 2, 4, 4], dtype: ScalarType.Float64, generator: gen);
        var (_, g) = target.LogProbAndGradient(x);
        var (x1, p1, _, g1) = hmc.Integrate(x, p, g);
        var (x2, p2, _, _) = hmc.Integrate(x1, p1.neg(), g1);
        double dx = CompactAngles.Wrap(x2 - x).abs().max().item<double>();
        double dp = (p2 + p).abs().max().item<double>();
        Assert.True(dx < 1e-12 && dp < 1e-12, $"dx={dx}, dp={dp}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void U1EightByEightSusceptibility()
    {
        using var target = new U1Target(8, 8, 2.0);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.12, 10, WrapCompact: true));
        using var init = zeros([128, 2, 8, 8], ScalarType.Float64);
        using var state = hmc.Initialise(init, seed: 404);
        var q2 = Series(hmc, state, 200, 1500, x => U1TensorObservables.ChargeZ(x).round().square());
        var exact = U1Exact.Evaluate(8, 8, 2.0);
        output.WriteLine($"U(1) 8x8 beta=2: <Q^2> {q2} exact {exact.MeanChargeSquared:R} ({q2.Deviation(exact.MeanChargeSquared):F2} s)");
        Assert.True(q2.Deviation(exact.MeanChargeSquared) < 4, q2.ToString());
    }
}
