using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling;

/// <summary>
/// Batched Hamiltonian Monte Carlo over any <see cref="ITarget"/> (Duane, Kennedy, Pendleton and Roweth, "Hybrid
/// Monte Carlo", Phys. Lett. B 195 (1987) 216): many independent chains as the batch dimension, H(x, p) =
/// −ln p~(x) + ½ |p|², momenta p ~ N(0, 1), leapfrog integration with the force ∇ ln p~ by autograd
/// (<see cref="TargetGradient"/>), and a per-chain Metropolis test min(1, e^{−ΔH}). Generic and physics-free: the
/// parent of latent-space HMC (Li and Wang, arXiv:1802.02840) and of L2HMC (Foreman, Jin and Osborn,
/// arXiv:2105.03418). With <see cref="TensorHmcOptions.WrapCompact"/> positions are wrapped into (−π, π] after
/// every position update (the U(1) action is 2π-periodic, so H is unchanged and the map stays reversible modulo 2π).
/// Runs under no_grad except for the force; one dispose scope per trajectory; all step-size constants are cached
/// native Scalars.
/// </summary>
public sealed class TensorHmc : IDisposable
{
    private readonly Scalar _eps;
    private readonly Scalar _halfEps;
    private readonly Scalar _half;
    private readonly Scalar _oneInteger; // alpha of the int64 count update (must be integral)
    private bool _disposed;

    public TensorHmc(ITarget target, TensorHmcOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Target = target;
        Options = options;
        _eps = options.StepSize.ToScalar();
        _halfEps = (0.5 * options.StepSize).ToScalar();
        _half = 0.5.ToScalar();
        _oneInteger = 1L.ToScalar();
    }

    public ITarget Target { get; }

    public TensorHmcOptions Options { get; }

    /// <summary>A run state at <paramref name="initial"/> [chains, ..EventShape] (copied) with a Generator seeded by <paramref name="seed"/>.</summary>
    public TensorHmcState Initialise(Tensor initial, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(initial);
        RequireShape(initial);
        using var noGrad = no_grad();
        var x = initial.detach().to(Target.Dtype, Target.Device).clone();
        if (Options.WrapCompact) { var w = CompactAngles.Wrap(x); x.Dispose(); x = w; }
        var (logProb, gradient) = Target.LogProbAndGradient(x);
        var accepted = zeros([x.shape[0]], ScalarType.Int64, Target.Device);
        var generator = new Generator(seed, Target.Device);
        return new TensorHmcState(x, logProb, gradient, accepted, generator, seed);
    }

    /// <summary>
    /// A run state that continues the run saved in <paramref name="checkpoint"/> bit for bit: the saved positions,
    /// ln p~, gradient and counters on <see cref="ITarget.Device"/>, and a Generator whose state is set to the saved one.
    /// </summary>
    public TensorHmcState Restore(TensorHmcCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        RequireShape(checkpoint.Positions);
        if (checkpoint.Positions.dtype != Target.Dtype)
            throw new ArgumentException($"TensorHmc: checkpoint positions are {checkpoint.Positions.dtype}, the target is {Target.Dtype}.", nameof(checkpoint));
        using var noGrad = no_grad();
        var generator = new Generator(checkpoint.Seed, Target.Device);
        generator.set_state(checkpoint.GeneratorState);
        Tensor On(Tensor t) => t.to(Target.Device).clone();
        return new TensorHmcState(On(checkpoint.Positions), On(checkpoint.LogProb), On(checkpoint.Gradient), On(checkpoint.Accepted), generator, checkpoint.Seed)
        {
            Trajectories = checkpoint.Trajectories,
        };
    }

    /// <summary>
    /// One trajectory for every chain: fresh momenta, leapfrog, accept/reject per chain. Updates
    /// <paramref name="state"/> in place and returns ΔH and the accept mask (caller disposes).
    /// </summary>
    public TensorHmcTrajectory Step(TensorHmcState state)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x0 = state.Positions;
        var p0 = randn(x0.shape, dtype: Target.Dtype, device: Target.Device, generator: state.Generator);
        var h0 = Kinetic(p0).sub(state.LogProb);
        var (x1, p1, logProb1, gradient1) = Integrate(x0, p0, state.Gradient);
        var h1 = Kinetic(p1).sub(logProb1);
        var deltaH = h1.sub(h0);
        // Accept with probability min(1, e^{−ΔH}); a NaN ΔH (diverged trajectory) compares false and is rejected.
        var u = rand([x0.shape[0]], dtype: Target.Dtype, device: Target.Device, generator: state.Generator);
        var accept = u.lt(deltaH.neg().exp());
        var mask = accept.view(BroadcastShape(x0));
        var newX = where(mask, x1, x0);
        var newLogProb = where(accept, logProb1, state.LogProb);
        var newGradient = where(mask, gradient1, state.Gradient);
        var newAccepted = state.Accepted.add(accept.to(ScalarType.Int64), _oneInteger);

        var oldX = state.Positions; var oldLogProb = state.LogProb; var oldGradient = state.Gradient; var oldAccepted = state.Accepted;
        state.Positions = newX.MoveToOuterDisposeScope();
        state.LogProb = newLogProb.MoveToOuterDisposeScope();
        state.Gradient = newGradient.MoveToOuterDisposeScope();
        state.Accepted = newAccepted.MoveToOuterDisposeScope();
        state.Trajectories++;
        oldX.Dispose(); oldLogProb.Dispose(); oldGradient.Dispose(); oldAccepted.Dispose();
        return new TensorHmcTrajectory(deltaH.MoveToOuterDisposeScope(), accept.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The leapfrog map (x, p) → (x', p') with <see cref="TensorHmcOptions.LeapfrogSteps"/> steps of size ε, given the
    /// gradient at x; returns x', p', ln p~(x') and ∇ ln p~(x'). Volume-preserving and reversible: integrating
    /// (x', −p') returns (x, −p). Inputs are not modified.
    /// </summary>
    public (Tensor X, Tensor P, Tensor LogProb, Tensor Gradient) Integrate(Tensor x, Tensor p, Tensor gradient)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(gradient);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var pos = x;
        var mom = p.add(gradient, _halfEps);
        Tensor logProb = null!, grad = null!;
        int n = Options.LeapfrogSteps;
        for (int i = 1; i <= n; i++)
        {
            pos = pos.add(mom, _eps);
            if (Options.WrapCompact) pos = CompactAngles.Wrap(pos);
            (logProb, grad) = Target.LogProbAndGradient(pos);
            mom = mom.add(grad, i < n ? _eps : _halfEps);
        }
        return (pos.MoveToOuterDisposeScope(), mom.MoveToOuterDisposeScope(), logProb.MoveToOuterDisposeScope(), grad.MoveToOuterDisposeScope());
    }

    /// <summary>H(x, p) = −ln p~(x) + ½ |p|² per chain [chains].</summary>
    public Tensor Hamiltonian(Tensor x, Tensor p)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Kinetic(p).sub(Target.LogProb(x)).MoveToOuterDisposeScope();
    }

    private Tensor Kinetic(Tensor p) => p.Squared().flatten(1).sum(1).mul(_half);

    private static long[] BroadcastShape(Tensor x)
    {
        var shape = new long[x.dim()];
        shape[0] = x.shape[0];
        for (int i = 1; i < shape.Length; i++) shape[i] = 1;
        return shape;
    }

    private void RequireShape(Tensor x)
    {
        var e = Target.EventShape;
        bool ok = x.dim() == e.Length + 1;
        for (int i = 0; ok && i < e.Length; i++) ok = x.shape[i + 1] == e[i];
        if (!ok) throw new ArgumentException($"TensorHmc: expected [chains, {string.Join(", ", e)}], got [{string.Join(", ", x.shape)}].", nameof(x));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _eps.Dispose(); _halfEps.Dispose(); _half.Dispose(); _oneInteger.Dispose();
    }
}
