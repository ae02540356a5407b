using System.Globalization;
using Boltzmann.Pipelines.Config;
using Boltzmann.Stages.Lattice.Phi4;

namespace Boltzmann.Stages.Nis.Training;

/// <summary>
/// Checks, at configuration time (exit 2, nothing run or written), that an upstream phi4-hmc dataset samples the
/// same target as the flows: same L x T, same lambda, and every flow kappa on the HMC kappa grid. Each error names
/// both values.
/// </summary>
public static class HmcCompatibility
{
    public static void Check(ParameterReader r, string slot, string upstreamName, Phi4HmcParameters hmc, int l, int t, double lambda, IEnumerable<double> kappas)
    {
        if (hmc.L != l || hmc.T != t)
            r.Error(slot, $"upstream \"{upstreamName}\" has lattice {hmc.L} x {hmc.T} but the flows' target is {l} x {t}");
        if (hmc.Lambda != lambda)
            r.Error(slot, $"upstream \"{upstreamName}\" has lambda = {F(hmc.Lambda)} but the flows' target has lambda = {F(lambda)}");
        foreach (double k in kappas)
            if (Array.IndexOf(hmc.Kappas, k) < 0)
                r.Error(slot, $"flow kappa = {F(k)} is not on the kappa grid of upstream \"{upstreamName}\" ({string.Join(", ", hmc.Kappas.Select(F))})");
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
