using System.Text.Json.Serialization;
using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Lattice.Hmc;

/// <summary>
/// Sampling settings shared by the lattice HMC stages: per point, <see cref="Chains"/> independent chains each run
/// <see cref="BurnIn"/> trajectories (step size adapted there when <see cref="Adapt"/>, then frozen) and
/// <see cref="Trajectories"/> measured trajectories, storing every <see cref="Thin"/>-th configuration. Parts hold
/// <see cref="TrajectoriesPerPart"/> measured trajectories of every chain. A chain whose acceptance within one part
/// falls below <see cref="AcceptanceFloor"/> stops the stage. <see cref="Jitter"/>: each trajectory's step size is
/// drawn from eps [1 - jitter, 1 + jitter] (HmcOptions.StepSizeJitter).
/// </summary>
public sealed record HmcRunParameters(
    int Chains,
    int Trajectories,
    int BurnIn,
    int Thin,
    string Integrator,
    bool Adapt,
    double TargetAcceptance,
    double AcceptanceFloor,
    int TrajectoriesPerPart,
    double Jitter)
{
    /// <summary>Threads do not change results (chains have their own streams), so they are not in the key.</summary>
    [JsonIgnore] public int Threads { get; init; } = -1;

    public int PartsPerPoint => (Trajectories + TrajectoriesPerPart - 1) / TrajectoriesPerPart;

    /// <summary>Stored configurations (rows) of part <paramref name="part"/>: every chain's trajectories of that part, thinned.</summary>
    public long StoredRows(int part) => (long)Chains * Math.Min(TrajectoriesPerPart, Trajectories - part % PartsPerPoint * TrajectoriesPerPart) / Thin;

    public HmcIntegrator IntegratorKind => Integrator == "omelyan" ? HmcIntegrator.Omelyan : HmcIntegrator.Leapfrog;

    public HmcOptions Options(double eps, int steps, bool compact) =>
        new(eps, steps, IntegratorKind, compact, Adapt, Adapt ? BurnIn : 0, TargetAcceptance, Jitter);

    public static HmcRunParameters Read(ParameterReader r)
    {
        int chains = r.Int("chains", 4, min: 1, max: 1024);
        int trajectories = r.Int("trajectories", min: 1);
        int burnIn = r.Int("burn_in", 100, min: 0);
        int thin = r.Int("thin", 1, min: 1);
        if (thin > trajectories) r.Error("thin", $"value {thin} is larger than trajectories = {trajectories}; must be <= trajectories");
        string integrator = r.String("integrator", "leapfrog", ["leapfrog", "omelyan"]);
        bool adapt = r.Bool("adapt", true);
        double target = r.Double("target_acceptance", 0.8, greaterThan: 0, max: 0.99);
        double floor = r.Double("acceptance_floor", 0.2, min: 0, max: 1);
        int perPart = r.Int("trajectories_per_part", Math.Min(trajectories, 1000), min: 1);
        if (perPart > trajectories) r.Error("trajectories_per_part", $"value {perPart} is larger than trajectories = {trajectories}; must be <= trajectories");
        else if (perPart % thin != 0) r.Error("trajectories_per_part", $"value {perPart} is not a multiple of thin = {thin}");
        double jitter = r.Double("jitter", 0.1, min: 0, max: 0.9);
        int threads = r.Int("threads", -1, min: -1);
        if (threads == 0) r.Error("threads", "value 0 is not allowed; must be -1 (all cores) or >= 1");
        if (adapt && burnIn == 0) r.Error("burn_in", "step-size adaptation runs during burn-in; give burn_in >= 1 or adapt = false");
        return new HmcRunParameters(chains, trajectories, burnIn, thin, integrator, adapt, target, floor, perPart, jitter) { Threads = threads };
    }
}
