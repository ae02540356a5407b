namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>
/// Settings of one HMC chain. <paramref name="StepSize"/> eps and <paramref name="Steps"/> N_LF give the trajectory
/// length eps N_LF. When <paramref name="AdaptStepSize"/> is set, eps is tuned by dual averaging towards
/// <paramref name="TargetAcceptance"/> during the first <paramref name="AdaptationTrajectories"/> trajectories only
/// (the burn-in) and frozen afterwards, so the production chain is a fixed, reversible Markov kernel.
/// <paramref name="CompactAngles"/> wraps every coordinate into (-pi, pi] after each position update (U(1) links).
/// <paramref name="StepSizeJitter"/> j &gt; 0 draws each trajectory's step size uniformly from eps [1 - j, 1 + j]
/// independently of the state (Mackenzie 1989, Phys. Lett. B 226, 369): detailed balance holds for every eps, and a
/// varying trajectory length breaks the resonances of fixed-length trajectories with harmonic modes (e.g. the zero
/// mode flipping m -> -m every trajectory, which freezes |m|).
/// </summary>
public sealed record HmcOptions(
    double StepSize,
    int Steps,
    HmcIntegrator Integrator = HmcIntegrator.Leapfrog,
    bool CompactAngles = false,
    bool AdaptStepSize = false,
    int AdaptationTrajectories = 0,
    double TargetAcceptance = 0.8,
    double StepSizeJitter = 0)
{
    /// <summary>Omelyan-Mryglod-Folk minimum-norm parameter (their eq. 31).</summary>
    public const double OmelyanLambda = 0.1931833275037836;

    public void Validate()
    {
        if (!(StepSize > 0) || double.IsInfinity(StepSize)) throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, "eps must be finite and > 0.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "n_lf must be >= 1.");
        if (AdaptationTrajectories < 0) throw new ArgumentOutOfRangeException(nameof(AdaptationTrajectories), AdaptationTrajectories, "must be >= 0.");
        if (!(TargetAcceptance > 0 && TargetAcceptance < 1)) throw new ArgumentOutOfRangeException(nameof(TargetAcceptance), TargetAcceptance, "target acceptance must lie in (0, 1).");
        if (!(StepSizeJitter >= 0 && StepSizeJitter < 1)) throw new ArgumentOutOfRangeException(nameof(StepSizeJitter), StepSizeJitter, "jitter must lie in [0, 1).");
        if (!Enum.IsDefined(Integrator)) throw new ArgumentOutOfRangeException(nameof(Integrator), Integrator, "unknown integrator.");
    }
}
