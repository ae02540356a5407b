using Boltzmann.Pipelines.Config;
using Boltzmann.Stages.Lattice.Hmc;

namespace Boltzmann.Stages.Lattice.U1;

/// <summary>
/// Parameters of <see cref="U1HmcStage"/>: an L x L lattice, the beta list, and the HMC trajectories as pairs
/// (n_lf[j], eps[j]) (Foreman et al. 2021 compare several trajectory lengths); every beta is run with every pair.
/// </summary>
public sealed record U1HmcParameters(int L, double[] Betas, int[] NLf, double[] Eps, HmcRunParameters Hmc)
{
    public static U1HmcParameters Read(ParameterReader r)
    {
        int l = r.Int("l", min: 2, max: 4096);
        var betas = r.OptionalDoubleList("betas", greaterThan: 0);
        if (betas is null && !r.Has("betas")) r.Error("betas", "required key is missing; give a list of couplings beta > 0");
        if (betas is not null && betas.Distinct().Count() != betas.Length) r.Error("betas", "the beta list contains duplicate values");
        var nlf = r.OptionalDoubleList("n_lf", min: 1) ?? [10];
        var eps = r.OptionalDoubleList("eps", greaterThan: 0) ?? [0.1];
        for (int i = 0; i < nlf.Length; i++)
            if (nlf[i] != Math.Floor(nlf[i])) r.Error($"n_lf[{i}]", $"value {nlf[i]} is not an integer; must be an integer >= 1");
        if (nlf.Length != eps.Length) r.Error("eps", $"{eps.Length} step sizes for {nlf.Length} n_lf values; give one eps per n_lf (pairs)");
        var hmc = HmcRunParameters.Read(r);
        return new U1HmcParameters(l, betas ?? [1], nlf.Select(x => (int)Math.Max(1, x)).ToArray(), eps, hmc);
    }
}
