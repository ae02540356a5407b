using Boltzmann.Physics.Actions;
using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>
/// One Hamiltonian Monte Carlo chain (Duane, Kennedy, Pendleton &amp; Roweth 1987; Foreman, Jin &amp; Osborn 2021,
/// appendix A) for p(x) ∝ e^{-S(x)}: draw p ~ N(0, 1), integrate (x, p) with <see cref="MolecularDynamics"/>, accept
/// with probability min(1, e^{-dH}) (Foreman eq. 7, unit Jacobian). Generic over the action so a sealed action type
/// is called directly. Owns its buffers and random stream; one chain per thread at a time.
/// </summary>
public sealed class HmcChain<TAction> where TAction : IContinuousAction
{
    private readonly TAction _action;
    private readonly double[] _x, _grad, _xOld, _gradOld, _p;
    private RandomStream _rng;
    private double _s;
    private DualAveraging _adaptation;

    /// <summary>Starts chain <paramref name="chain"/> at <paramref name="initial"/> (copied).</summary>
    public HmcChain(TAction action, HmcOptions options, RandomStream rng, ReadOnlySpan<double> initial, long chain = 0)
        : this(action, options, new HmcChainState(chain, initial.ToArray(), rng.GetState(), options.StepSize,
            DualAveraging.Start(options.StepSize), 0, 0))
    {
    }

    /// <summary>Resumes a chain from a saved <see cref="HmcChainState"/> (bit for bit).</summary>
    public HmcChain(TAction action, HmcOptions options, HmcChainState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        options.Validate();
        int n = action.Dimension;
        if (state.Positions.Length != n) throw new ArgumentException($"Initial configuration has {state.Positions.Length} values, the action needs {n}.");
        _action = action;
        Options = options;
        Chain = state.Chain;
        _x = (double[])state.Positions.Clone();
        _grad = new double[n];
        _xOld = new double[n];
        _gradOld = new double[n];
        _p = new double[n];
        _rng = RandomStream.FromState(state.RandomState);
        StepSize = state.StepSize;
        _adaptation = state.Adaptation;
        Trajectories = state.Trajectories;
        Accepted = state.Accepted;
        _s = _action.ActionAndGradient(_x, _grad);
        if (!double.IsFinite(_s)) throw new HmcDivergenceException(Chain, Trajectories, "S(initial)", _s);
    }

    public HmcOptions Options { get; }

    public long Chain { get; }

    public TAction ActionFunctional => _action;

    /// <summary>The current configuration (read-only view).</summary>
    public ReadOnlySpan<double> Positions => _x;

    /// <summary>S at the current configuration.</summary>
    public double Action => _s;

    /// <summary>Current step size (adapting during burn-in, frozen afterwards).</summary>
    public double StepSize { get; private set; }

    /// <summary>Number of trajectories run so far.</summary>
    public long Trajectories { get; private set; }

    /// <summary>Number of accepted trajectories.</summary>
    public long Accepted { get; private set; }

    /// <summary>True while the step size is still being adapted.</summary>
    public bool Adapting => Options.AdaptStepSize && Trajectories < Options.AdaptationTrajectories;

    /// <summary>Runs one trajectory and the Metropolis test.</summary>
    public HmcTrajectory Step()
    {
        long index = Trajectories;
        bool adapting = Adapting;
        double eps = StepSize;
        if (Options.StepSizeJitter > 0) eps *= 1 + Options.StepSizeJitter * (2 * _rng.NextDouble() - 1);
        FillGaussian(_p);
        double h0 = _s + MolecularDynamics.Kinetic(_p);
        _x.AsSpan().CopyTo(_xOld);
        _grad.AsSpan().CopyTo(_gradOld);
        double s0 = _s;

        double s1 = MolecularDynamics.Integrate(_action, _x, _p, _grad, eps, Options.Steps, Options.Integrator, Options.CompactAngles);
        double dh = s1 + MolecularDynamics.Kinetic(_p) - h0;
        double acceptProbability;
        bool accept;
        if (!double.IsFinite(dh))
        {
            // A diverging trajectory (eps beyond the integrator's stability bound). While the step size is being
            // adapted it is a rejection with acceptance probability 0, which shrinks eps; with eps frozen it means the
            // production kernel is unusable, so the chain stops and says where.
            if (!adapting) throw new HmcDivergenceException(Chain, index, double.IsFinite(s1) ? "dH" : "S(proposal)", double.IsFinite(s1) ? dh : s1);
            dh = double.PositiveInfinity;
            acceptProbability = 0;
            accept = false;
        }
        else
        {
            acceptProbability = dh <= 0 ? 1 : Math.Exp(-dh);
            accept = dh <= 0 || _rng.NextDouble() < acceptProbability;
        }
        if (accept)
        {
            _s = s1;
            Accepted++;
        }
        else
        {
            _xOld.AsSpan().CopyTo(_x);
            _gradOld.AsSpan().CopyTo(_grad);
            _s = s0;
        }

        Trajectories++;
        if (adapting)
        {
            _adaptation = _adaptation.Update(acceptProbability, Options.TargetAcceptance);
            StepSize = Trajectories == Options.AdaptationTrajectories ? _adaptation.FinalStepSize : _adaptation.StepSize;
        }
        return new HmcTrajectory(index, dh, acceptProbability, accept, _s, eps);
    }

    /// <summary>The complete chain state for a checkpoint.</summary>
    public HmcChainState SaveState() => new(Chain, (double[])_x.Clone(), _rng.GetState(), StepSize, _adaptation, Trajectories, Accepted);

    /// <summary>Standard normal momenta by the Box-Muller transform, both values of each pair used.</summary>
    private void FillGaussian(Span<double> p)
    {
        int i = 0;
        for (; i + 1 < p.Length; i += 2)
        {
            double r = Math.Sqrt(-2.0 * Math.Log(_rng.NextDoubleOpenZero()));
            var (sin, cos) = Math.SinCos(2.0 * Math.PI * _rng.NextDouble());
            p[i] = r * cos;
            p[i + 1] = r * sin;
        }
        if (i < p.Length) p[i] = _rng.NextGaussian();
    }
}
