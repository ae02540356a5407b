using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Sampling.L2hmc;
using Boltzmann.Physics.Exact;
using Boltzmann.Statistics;
using Boltzmann.Learning.Targets;
using Boltzmann.Targets.Lattice;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests.Lattice;

/// <summary>
/// Exactness of the deep-learning HMC integrator (Foreman, Jin and Osborn, arXiv:2105.03418) in float64: the learned
/// trajectory is exactly invertible, its accumulated log-Jacobian is the log-determinant of the autograd Jacobian,
/// the Metropolis-corrected chain with random (untrained) weights samples the exact U(1) distribution, and with zero
/// networks and equal step sizes it is plain leapfrog HMC step for step.
/// </summary>
public class L2hmcIntegratorTests
{
    private readonly ITestOutputHelper output;

    public L2hmcIntegratorTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchThreads.EnsureConfigured();
    }

    internal static L2hmcSampler RandomSampler(int l, int nlf, double eps, ulong seed, double gain = 1.0, int width = 4)
    {
        var sampler = new L2hmcSampler("l2hmc", l, l, new L2hmcOptions(nlf, eps, Width: width, HiddenLayers: 2));
        sampler.to(ScalarType.Float64);
        using var g = new Generator(seed);
        sampler.InitialiseWeights(g, gain);
        return sampler;
    }

    private static double MaxAngleDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return CompactAngles.Wrap(a.sub(b)).abs().max().item<double>();
    }

    private static double MaxDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.sub(b).abs().max().item<double>();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TrajectoryIsExactlyReversible(bool forwardFirst)
    {
        const int l = 4;
        using var target = new U1Target(l, l, 3.0);
        using var sampler = RandomSampler(l, 4, 0.3, 71, gain: 2.0);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var g = new Generator(72);
        var x = rand([16, 2, l, l], dtype: ScalarType.Float64, generator: g).mul(2 * Math.PI).sub(Math.PI);
        var v = randn([16, 2, l, l], dtype: ScalarType.Float64, generator: g);
        using var there = sampler.Integrate(target, x, v, forward: forwardFirst);
        using var back = sampler.Integrate(target, there.X, there.V, forward: !forwardFirst);
        double dx = MaxAngleDifference(back.X, x), dv = MaxDifference(back.V, v);
        double dj = MaxDifference(back.LogJacobian, there.LogJacobian.neg());
        double moved = MaxAngleDifference(there.X, x);
        output.WriteLine($"forward first {forwardFirst}: moved {moved:G3}, |x - x0| {dx:G3}, |v - v0| {dv:G3}, |lnJ_back + lnJ| {dj:G3}, lnJ range {there.LogJacobian.min().item<double>():G3}..{there.LogJacobian.max().item<double>():G3}");
        Assert.True(moved > 0.1, "the trajectory must actually move the links");
        Assert.True(dx < 1e-10 && dv < 1e-10 && dj < 1e-10, $"not reversible: dx {dx}, dv {dv}, dlnJ {dj}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LogJacobianEqualsAutogradDeterminantOnTwoByTwo(bool forward)
    {
        const int l = 2;
        using var target = new U1Target(l, l, 2.0);
        using var sampler = RandomSampler(l, 3, 0.4, 73, gain: 2.0);
        using var scope = NewDisposeScope();
        using var g = new Generator(74);
        var x = rand([1, 2, l, l], dtype: ScalarType.Float64, generator: g).mul(2 * Math.PI).sub(Math.PI).requires_grad_(true);
        var v = randn([1, 2, l, l], dtype: ScalarType.Float64, generator: g).requires_grad_(true);
        using var p = sampler.Integrate(target, x, v, forward);
        var outputs = cat([p.X.flatten(), p.V.flatten()]);
        int n = (int)outputs.shape[0];
        var rows = new Tensor[n];
        for (int i = 0; i < n; i++)
        {
            var grads = autograd.grad([outputs[i]], [x, v], retain_graph: true);
            rows[i] = cat([grads[0].flatten(), grads[1].flatten()]);
        }
        var jacobian = stack(rows);
        var (sign, logAbsDet) = linalg.slogdet(jacobian);
        double autogradLogDet = logAbsDet.item<double>();
        double accumulated = p.LogJacobian.item<double>();
        output.WriteLine($"forward {forward}: accumulated ln|J| {accumulated:R}, autograd ln|det| {autogradLogDet:R} (sign {sign.item<double>()}), difference {Math.Abs(accumulated - autogradLogDet):G3}");
        Assert.True(Math.Abs(accumulated) > 1e-3, "the random layers must change the volume");
        Assert.True(Math.Abs(accumulated - autogradLogDet) < 1e-10, $"accumulated {accumulated} vs autograd {autogradLogDet}");
    }

    [Fact]
    public void ZeroNetworksAndEqualStepsAreTensorHmc()
    {
        const int l = 4, nlf = 5, chains = 64, steps = 25; const double eps = 0.25, beta = 3.0;
        using var target = new U1Target(l, l, beta);
        using var sampler = RandomSampler(l, nlf, 0.1, 75);
        sampler.ReduceToLeapfrog(eps);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(eps, nlf, WrapCompact: true));
        using var g = new Generator(76);
        using var init = rand([chains, 2, l, l], dtype: ScalarType.Float64, generator: g).mul(2 * Math.PI).sub(Math.PI);
        using var hmcState = hmc.Initialise(init, seed: 77);
        using var state = sampler.Initialise(init, seed: 77);
        using var allForward = ones([chains], ScalarType.Bool);
        double worst = 0, single = 0; long decisions = 0, accepted = 0;
        for (int s = 0; s < steps; s++)
        {
            // One trajectory from the same (x, v): the maps agree to rounding.
            using (var noGradSingle = no_grad())
            using (var v1 = randn([chains, 2, l, l], dtype: ScalarType.Float64, generator: g))
            using (var p1 = sampler.Integrate(target, hmcState.Positions, v1, forward: true))
            {
                var (xh1, ph1, lp1, gr1) = hmc.Integrate(hmcState.Positions, v1, hmcState.Gradient);
                single = Math.Max(single, Math.Max(MaxAngleDifference(p1.X, xh1), MaxDifference(p1.V, ph1)));
                foreach (var t in new[] { xh1, ph1, lp1, gr1 }) t.Dispose();
            }
            using var a = hmc.Step(hmcState);
            using var b = sampler.Step(target, state, allForward);
            Assert.True(a.Accepted.eq(b.Accepted).all().item<bool>(), $"accept/reject differs at step {s}");
            worst = Math.Max(worst, MaxAngleDifference(hmcState.Positions, state.Positions));
            worst = Math.Max(worst, MaxDifference(a.DeltaH, b.DeltaH));
            decisions += chains;
            accepted += b.Accepted.sum().item<long>();
            Assert.True(b.LogJacobian.abs().max().item<double>() < 1e-12);
        }
        // Chained over many trajectories, the rounding differences (separate vs merged half kicks, 2 atan(tan(x/2)) = x
        // to one ulp) grow with the chaotic dynamics (Lyapunov growth), so the chains are compared to 1e-6 there.
        output.WriteLine($"{decisions} decisions identical ({accepted} accepted); single trajectory max difference {single:G3}; after {steps} chained trajectories {worst:G3}");
        Assert.True(single < 1e-12, $"single trajectories differ by {single}");
        Assert.True(worst < 1e-6, $"chained trajectories differ by {worst}");

        // d = −: the inverse layers are the time-reversed leapfrog, i.e. HMC with −v, momentum flipped at the end.
        using var noGrad = no_grad();
        using var v = randn([chains, 2, l, l], dtype: ScalarType.Float64, generator: g);
        using var back = sampler.Integrate(target, state.Positions, v, forward: false);
        var (logProb, gradient) = target.LogProbAndGradient(state.Positions);
        var (xh, ph, lp, gr) = hmc.Integrate(state.Positions, v.neg(), gradient);
        double db = Math.Max(MaxAngleDifference(back.X, xh), MaxDifference(back.V, ph.neg()));
        output.WriteLine($"backward direction vs HMC with -v: {db:G3}");
        Assert.True(db < 1e-12, $"backward differs by {db}");
        foreach (var t in new[] { logProb, gradient, xh, ph, lp, gr }) t.Dispose();
    }

    [Fact]
    public void RandomWeightsChainReproducesExactU1()
    {
        const int l = 4, chains = 128, burnIn = 100, n = 600; const double beta = 2.0;
        using var target = new U1Target(l, l, beta);
        using var sampler = RandomSampler(l, 3, 0.3, 78);
        using var g = new Generator(79);
        using var init = rand([chains, 2, l, l], dtype: ScalarType.Float64, generator: g).mul(2 * Math.PI).sub(Math.PI);
        using var state = sampler.Initialise(init, seed: 80);
        for (int i = 0; i < burnIn; i++) sampler.Step(target, state).Dispose();
        var plaquette = new double[n];
        var q2 = new double[n];
        double logJ = 0;
        for (int i = 0; i < n; i++)
        {
            using var step = sampler.Step(target, state);
            using var scope = NewDisposeScope();
            plaquette[i] = U1TensorObservables.AveragePlaquette(state.Positions).mean().item<double>();
            q2[i] = U1TensorObservables.ChargeZ(state.Positions).round().Squared().mean().item<double>();
            logJ += step.LogJacobian.abs().mean().item<double>() / n;
        }
        var exact = U1Exact.Evaluate(l, l, beta);
        var p = IntegratedAutocorrelation.Estimate(plaquette);
        var q = IntegratedAutocorrelation.Estimate(q2);
        output.WriteLine($"random weights, acceptance {state.AcceptanceRate():F3}, <|ln J|> {logJ:G3}");
        output.WriteLine($"<cos x_P> {p} exact {exact.AveragePlaquette:R}: {p.Deviation(exact.AveragePlaquette):F2} sigma");
        output.WriteLine($"<Q_Z^2> {q} exact {exact.MeanChargeSquared:R}: {q.Deviation(exact.MeanChargeSquared):F2} sigma");
        Assert.True(logJ > 0.05, "random layers must have a non-trivial Jacobian for this test to mean anything");
        Assert.True(p.Deviation(exact.AveragePlaquette) < 4);
        Assert.True(q.Deviation(exact.MeanChargeSquared) < 4);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(1)]
    public void CheckerboardNeedsEvenExtents(int l)
    {
        Assert.Throws<ArgumentException>(() => new L2hmcSampler("bad", l, l, new L2hmcOptions(2, 0.1)));
    }
}
