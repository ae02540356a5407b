using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.L2hmc.Evaluation;

/// <summary>
/// Parameters of <see cref="L2hmcEvaluateStage"/>: inference chains (burn-in, trajectories) for the trained sampler,
/// the transfer models and plain HMC over the (N_LF, eps) pairs of <see cref="HmcNLf"/>/<see cref="HmcEps"/>, and the
/// number of chains traced through the layers (Fig. 5).
/// </summary>
public sealed record L2hmcEvaluateParameters(int Chains, int BurnIn, int Trajectories, int[] HmcNLf, double[] HmcEps, int TraceChains)
{
    public static L2hmcEvaluateParameters Read(ParameterReader r)
    {
        int chains = r.Int("chains", 16, min: 1, max: 1 << 20);
        int burnIn = r.Int("burn_in", 100, min: 0);
        int trajectories = r.Int("trajectories", 1000, min: 4);
        var nlf = r.OptionalDoubleList("hmc_n_lf", min: 1) ?? [5, 10];
        var eps = r.OptionalDoubleList("hmc_eps", greaterThan: 0) ?? [0.2, 0.1];
        for (int i = 0; i < nlf.Length; i++)
            if (nlf[i] != Math.Floor(nlf[i])) r.Error($"hmc_n_lf[{i}]", $"value {nlf[i]} is not an integer; must be an integer >= 1");
        if (nlf.Length != eps.Length) r.Error("hmc_eps", $"{eps.Length} step sizes for {nlf.Length} hmc_n_lf values; give one eps per n_lf (pairs)");
        int trace = r.Int("trace_chains", 64, min: 1, max: 1 << 20);
        return new L2hmcEvaluateParameters(chains, burnIn, trajectories, nlf.Select(x => (int)Math.Max(1, x)).ToArray(), eps, trace);
    }
}
