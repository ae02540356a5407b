using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// Deep-learning HMC (Foreman, Jin and Osborn, "Deep learning Hamiltonian Monte Carlo", arXiv:2105.03418; L2HMC of
/// Lévy, Hoffman and Sohl-Dickstein, arXiv:1711.09268) on compact fields [chains, C, L, T] (U(1) links: C = 2):
/// a stack of N_LF distinct <see cref="L2hmcLeapfrogLayer"/>s replaces the leapfrog steps of HMC. The state is
/// ξ = (x, v, d) with v ~ N(0, 1) and a direction d ∈ {+, −} per chain; d = + runs the layers k = 0 … N_LF−1 with
/// Γ⁺ Λ⁺ Λ⁺ Γ⁺ each, d = − inverts every sub-update and runs them in reverse order (footnote 2), so the proposal
/// ξ → (x', v', −d) is an involution and the Metropolis–Hastings test of eq. 7,
/// <code>  A(ξ'|ξ) = min(1, e^{H(ξ) − H(ξ')} |∂ξ'/∂ξ|),   H = S(x) + ½ v²,  </code>
/// makes it exact for any weights. Layer k freezes the checkerboard sites of parity k mod 2 in its first position
/// half update and updates them in the second (masks alternate per layer); both lattice extents must be even. The
/// force ∂S/∂x comes from the target by autograd (with a graph while gradients are enabled, for training).
/// Chains are the batch; device and dtype follow the module (call <c>to</c>). With zero networks and ε_v = ε_x = ε
/// (<see cref="ReduceToLeapfrog"/>) it is plain leapfrog HMC (<see cref="TensorHmc"/>, compact links).
/// </summary>
public sealed class L2hmcSampler : Module
{
    private readonly ModuleList<L2hmcLeapfrogLayer> layers = new();
    private readonly CheckerboardMasks _masks;
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar Zero = 0.0.ToScalar();
    private static readonly long[] EventDims = [1, 2, 3];

    public L2hmcSampler(string name, int l, int t, L2hmcOptions options, long channels = 2) : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (l < 2 || t < 2 || l % 2 != 0 || t % 2 != 0)
            throw new ArgumentException($"L2HMC: the checkerboard masks need even lattice extents >= 2, got {l} x {t}.", nameof(l));
        L = l; T = t; Channels = channels; Options = options;
        for (int k = 0; k < options.LeapfrogLayers; k++)
            layers.Add(new L2hmcLeapfrogLayer($"layer{k}", channels, options.StepSize, options.Width, options.HiddenLayers));
        _masks = new CheckerboardMasks(l, t);
        RegisterComponents();
    }

    public int L { get; }
    public int T { get; }
    public long Channels { get; }
    public L2hmcOptions Options { get; }
    public int LeapfrogLayers => layers.Count;
    public L2hmcLeapfrogLayer Layer(int k) => layers[k];

    /// <summary>Zero networks and ε_v^k = ε_x^k = <paramref name="stepSize"/> for every layer: plain leapfrog.</summary>
    public void ReduceToLeapfrog(double stepSize)
    {
        foreach (var layer in layers) layer.ReduceToLeapfrog(stepSize);
    }

    /// <summary>
    /// Draws every convolution weight and bias uniformly from ±<paramref name="gain"/>/√fan_in with
    /// <paramref name="generator"/> (the PyTorch default bound at gain 1), so the initial weights derive from the run seed.
    /// </summary>
    public void InitialiseWeights(Generator generator, double gain = 1.0)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var noGrad = no_grad();
        var all = named_parameters().ToDictionary(e => e.name, e => e.parameter);
        foreach (var (name, p) in all)
        {
            if (p.dim() < 1 || !(name.EndsWith(".weight", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal))) continue;
            using var scope = NewDisposeScope();
            // weight [out, in, 3, 3]: fan_in = in·9; bias [out]: the fan_in of its weight.
            var weight = name.EndsWith(".bias", StringComparison.Ordinal) ? all[name[..^".bias".Length] + ".weight"] : p;
            double bound = gain / Math.Sqrt(weight.shape[1] * weight.shape[2] * weight.shape[3]);
            var u = rand(p.shape, dtype: p.dtype, device: p.device, generator: generator);
            p.copy_(u.Times(2 * bound).MinusConstant(bound));
        }
    }

    /// <summary>∂S/∂x = −∇ ln p~ (with a differentiable graph when gradients are enabled).</summary>
    public static Tensor Force(ITarget target, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!is_grad_enabled())
        {
            var (logProb, gradient) = target.LogProbAndGradient(x);
            logProb.Dispose();
            using (gradient) return gradient.neg();
        }
        using var scope = NewDisposeScope();
        var leaf = x.requires_grad ? x : x.detach().requires_grad_(true);
        var lp = target.LogProb(leaf);
        var g = autograd.grad([lp.sum()], [leaf], create_graph: true)[0];
        return g.neg().MoveToOuterDisposeScope();
    }

    /// <summary>H(x, v) = −ln p~(x) + ½ |v|² per chain.</summary>
    public static Tensor Hamiltonian(ITarget target, Tensor x, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var scope = NewDisposeScope();
        return v.Squared().sum(EventDims).mul(Half).sub(target.LogProb(x)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The whole trajectory in one direction for every chain (<paramref name="forward"/>: d = +). With
    /// <paramref name="trace"/> the state after every layer is kept (Fig. 5 of the paper).
    /// </summary>
    public L2hmcProposal Integrate(ITarget target, Tensor x, Tensor v, bool forward, bool trace = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(v);
        RequireShape(x); RequireShape(v);
        using var scope = NewDisposeScope();
        int n = layers.Count;
        var perLayer = new Tensor[n];
        var positions = trace ? new List<Tensor> { x.alias() } : null;
        var momenta = trace ? new List<Tensor> { v.alias() } : null;
        var cumulative = trace ? new List<Tensor> { zeros([x.shape[0]], x.dtype, x.device) } : null;
        var total = zeros([x.shape[0]], x.dtype, x.device);
        var force = Force(target, x);
        for (int i = 0; i < n; i++)
        {
            int k = forward ? i : n - 1 - i;
            var layer = layers[k];
            var (frozenFirst, updatedFirst, frozenSecond, updatedSecond) = _masks.For(k, x);
            Tensor j1, j2, j3, j4;
            if (forward)
            {
                (v, j1) = layer.Kick(x, force, v, forward: true);
                (x, j2) = layer.Drift(x, v, updatedFirst, frozenFirst, first: true, forward: true);
                (x, j3) = layer.Drift(x, v, updatedSecond, frozenSecond, first: false, forward: true);
                force = Force(target, x);
                (v, j4) = layer.Kick(x, force, v, forward: true);
            }
            else
            {
                (v, j4) = layer.Kick(x, force, v, forward: false);
                (x, j3) = layer.Drift(x, v, updatedSecond, frozenSecond, first: false, forward: false);
                (x, j2) = layer.Drift(x, v, updatedFirst, frozenFirst, first: true, forward: false);
                force = Force(target, x);
                (v, j1) = layer.Kick(x, force, v, forward: false);
            }
            perLayer[k] = j1.Plus(j2).Plus(j3).Plus(j4);
            total = total.Plus(perLayer[k]);
            positions?.Add(x);
            momenta?.Add(v);
            cumulative?.Add(total);
        }
        var stacked = stack(perLayer);
        var result = new L2hmcProposal(x.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope(), total.MoveToOuterDisposeScope(), stacked.MoveToOuterDisposeScope(),
            positions?.Select(t => t.MoveToOuterDisposeScope()).ToList(), momenta?.Select(t => t.MoveToOuterDisposeScope()).ToList(),
            cumulative?.Select(t => t.MoveToOuterDisposeScope()).ToList());
        return result;
    }

    /// <summary>
    /// The trajectory of every chain in its own direction (<paramref name="forward"/> [chains] bool, true = d = +): the
    /// chains are split by direction, integrated, and put back in their order.
    /// </summary>
    public L2hmcProposal Propose(ITarget target, Tensor x, Tensor v, Tensor forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        long forwardCount;
        using (var count = forward.sum()) forwardCount = count.item<long>();
        if (forwardCount == forward.shape[0]) return Integrate(target, x, v, forward: true);
        if (forwardCount == 0) return Integrate(target, x, v, forward: false);
        using var scope = NewDisposeScope();
        var idxF = forward.nonzero().flatten();
        var idxB = forward.logical_not().nonzero().flatten();
        using var pf = Integrate(target, x.index_select(0, idxF), v.index_select(0, idxF), forward: true);
        using var pb = Integrate(target, x.index_select(0, idxB), v.index_select(0, idxB), forward: false);
        var inverse = cat([idxF, idxB]).argsort();
        Tensor Join(Tensor a, Tensor b, int dim) => cat([a, b], dim).index_select(dim, inverse).MoveToOuterDisposeScope();
        return new L2hmcProposal(Join(pf.X, pb.X, 0), Join(pf.V, pb.V, 0), Join(pf.LogJacobian, pb.LogJacobian, 0),
            Join(pf.PerLayerLogJacobian, pb.PerLayerLogJacobian, 1), null, null, null);
    }

    /// <summary>A run state at <paramref name="initial"/> (copied, wrapped into (−π, π]) with Generators seeded from <paramref name="seed"/>.</summary>
    public L2hmcState Initialise(Tensor initial, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(initial);
        RequireShape(initial);
        using var noGrad = no_grad();
        var x = CompactAngles.Wrap(initial.detach()).DetachFromDisposeScope();
        var accepted = zeros([x.shape[0]], ScalarType.Int64, x.device).DetachFromDisposeScope();
        return new L2hmcState(x, accepted, seed, x.device);
    }

    /// <summary>
    /// One Metropolis–Hastings step of every chain (no gradients): v ~ N(0, 1) and the accept/reject uniforms from the
    /// state's Generator, d from its direction Generator (or <paramref name="forward"/> when given), the proposal,
    /// and acceptance with probability min(1, e^{−ΔH + ln|J|}). A non-finite ln|J| or action stops with
    /// <see cref="L2hmcNonFiniteException"/> naming layer, trajectory and chain.
    /// </summary>
    public L2hmcStep Step(ITarget target, L2hmcState state, Tensor? forward = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(state);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x0 = state.Positions;
        long chains = x0.shape[0];
        var v0 = randn(x0.shape, dtype: x0.dtype, device: x0.device, generator: state.Generator);
        var u = rand([chains], dtype: x0.dtype, device: x0.device, generator: state.Generator);
        var d = forward is null
            ? rand([chains], dtype: x0.dtype, device: x0.device, generator: state.DirectionGenerator).lt(Half)
            : forward.to(ScalarType.Bool, x0.device);
        using var proposal = Propose(target, x0, v0, d);
        var h0 = Hamiltonian(target, x0, v0);
        var h1 = Hamiltonian(target, proposal.X, proposal.V);
        var deltaH = h1.sub(h0);
        CheckFinite(proposal.PerLayerLogJacobian, h1, state.Trajectories);
        var logA = proposal.LogJacobian.sub(deltaH).clamp_max(Zero);
        var accept = u.lt(proposal.LogJacobian.sub(deltaH).exp());
        var newX = where(accept.view(chains, 1, 1, 1), proposal.X, x0);
        state.Update(newX, accept);
        return new L2hmcStep(logA.MoveToOuterDisposeScope(), accept.MoveToOuterDisposeScope(), d.MoveToOuterDisposeScope(),
            deltaH.MoveToOuterDisposeScope(), proposal.LogJacobian.clone().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Throws <see cref="L2hmcNonFiniteException"/> for the first non-finite per-layer ln|J| [N_LF, chains] (naming its
    /// layer) or, failing that, the first non-finite final energy [chains] (named as the last layer).
    /// </summary>
    public static void CheckFinite(Tensor perLayerLogJacobian, Tensor energy, long step)
    {
        ArgumentNullException.ThrowIfNull(perLayerLogJacobian);
        ArgumentNullException.ThrowIfNull(energy);
        using var scope = NewDisposeScope();
        var j = perLayerLogJacobian.detach();
        var e = energy.detach();
        if (j.isfinite().all().item<bool>() && e.isfinite().all().item<bool>()) return;
        var bad = j.isfinite().logical_not().nonzero();
        if (bad.shape[0] > 0)
        {
            int layer = (int)bad[0, 0].item<long>();
            long chain = bad[0, 1].item<long>();
            throw new L2hmcNonFiniteException("log-Jacobian", layer, step, chain, j[layer, chain].to(ScalarType.Float64).item<double>());
        }
        long c = e.isfinite().logical_not().nonzero()[0, 0].item<long>();
        throw new L2hmcNonFiniteException("action", (int)perLayerLogJacobian.shape[0] - 1, step, c, e[c].to(ScalarType.Float64).item<double>());
    }

    private void RequireShape(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != Channels || x.shape[2] != L || x.shape[3] != T)
            throw new ArgumentException($"L2HMC: expected [chains, {Channels}, {L}, {T}], got [{string.Join(", ", x.shape)}].", nameof(x));
    }
}
