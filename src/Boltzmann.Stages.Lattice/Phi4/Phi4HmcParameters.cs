using Boltzmann.Pipelines.Config;
using Boltzmann.Stages.Lattice.Hmc;

namespace Boltzmann.Stages.Lattice.Phi4;

/// <summary>
/// Parameters of <see cref="Phi4HmcStage"/>: an L x T lattice, the kappa grid, lambda, the HMC trajectory
/// (N_LF steps of size eps; eps is the starting value when adapted) and the shared sampling settings.
/// </summary>
public sealed record Phi4HmcParameters(int L, int T, double[] Kappas, double Lambda, int NLf, double Eps, HmcRunParameters Hmc)
{
    public static Phi4HmcParameters Read(ParameterReader r)
    {
        int l = r.Int("l", min: 2, max: 4096);
        int t = r.Int("t", min: 2, max: 4096);
        var kappas = r.OptionalDoubleList("kappas", min: 0);
        if (kappas is null && !r.Has("kappas")) r.Error("kappas", "required key is missing; give a list of hopping parameters >= 0");
        if (kappas is not null && kappas.Distinct().Count() != kappas.Length) r.Error("kappas", "the kappa grid contains duplicate values");
        if (kappas is not null && !kappas.SequenceEqual(kappas.Order())) r.Error("kappas", "the kappa grid must be in increasing order");
        double lambda = r.Double("lambda", min: 0);
        int nLf = r.Int("n_lf", 10, min: 1);
        double eps = r.Double("eps", 0.1, greaterThan: 0);
        var hmc = HmcRunParameters.Read(r);
        return new Phi4HmcParameters(l, t, kappas ?? [0], lambda, nLf, eps, hmc);
    }
}
