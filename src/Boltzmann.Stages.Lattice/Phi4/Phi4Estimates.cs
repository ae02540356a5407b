using Boltzmann.Data.Lattice;
using Boltzmann.Physics.Lattice;
using Boltzmann.Data.Tables;

namespace Boltzmann.Stages.Lattice.Phi4;

/// <summary>
/// Observables of a phi^4 configuration dataset per kappa, each with an error over independent chains:
/// m = M/V; &lt;|m|&gt; and &lt;S&gt;/V with Gamma-method errors and tau_int(|m|) (Sokal convention);
/// chi = V (&lt;m^2&gt; - &lt;|m|&gt;^2) and Binder U = 1 - &lt;m^4&gt; / (3 &lt;m^2&gt;^2) by the blocked jackknife;
/// the zero-momentum time-slice correlator C(tau) = (1/(L T)) sum_t &lt;S(t) S(t+tau)&gt; - L &lt;m&gt;^2 with
/// S(t) = sum_x phi(x, t), error from the spread of the chain means; the connected two-point function along the
/// axes (<see cref="Phi4TwoPoint"/>); acceptance and &lt;e^{-dH}&gt; (Creutz, = 1).
/// </summary>
public static class Phi4Estimates
{
    public const string ObservablesTable = "observables/phi4";
    public const string CorrelatorTable = "observables/correlator";

    public sealed record Result(TableBuilder Observables, TableBuilder Correlator, TableBuilder TwoPoint, long StoredValues);

    public static async Task<Result> ComputeAsync(string directory, Lattice2D lattice, Phi4HmcParameters p, CancellationToken ct)
    {
        int nk = p.Kappas.Length, chains = p.Hmc.Chains, v = lattice.Volume, t = lattice.T;
        var absM = ChainEstimates.Series(nk, chains); var m1 = ChainEstimates.Series(nk, chains); var m2 = ChainEstimates.Series(nk, chains); var m4 = ChainEstimates.Series(nk, chains);
        var sv = ChainEstimates.Series(nk, chains); var acc = ChainEstimates.Series(nk, chains); var creutz = ChainEstimates.Series(nk, chains);
        var corr = new double[nk, chains, t];
        var corrCount = new long[nk, chains];
        var slices = new double[t];
        var phi = new double[v];
        var twoPoint = new Phi4TwoPoint(lattice, nk, chains, (long)p.Hmc.Trajectories / p.Hmc.Thin);
        long values = 0;
        await foreach (var g in LatticeDatasetReader.ReadAsync(directory, includeField: true, ct))
        {
            var kappa = g.Column(Phi4Dataset.Kappa);
            var m = g.Column(Phi4Dataset.Magnetisation);
            var s = g.Column(Phi4Dataset.Action);
            var a = g.Column(Phi4Dataset.Acceptance);
            var dh = g.Column(Phi4Dataset.DeltaH);
            for (int r = 0; r < g.Count; r++)
            {
                int k = Array.IndexOf(p.Kappas, kappa[r]);
                int c = g.Chain[r];
                if (k < 0 || c < 0 || c >= chains) throw new InvalidDataException($"row with kappa {kappa[r]} chain {c} does not belong to this stage's grid");
                double mm = m[r] / v;
                absM[k][c].Add(Math.Abs(mm)); m1[k][c].Add(mm); m2[k][c].Add(mm * mm); m4[k][c].Add(mm * mm * mm * mm);
                sv[k][c].Add(s[r] / v); acc[k][c].Add(a[r]); creutz[k][c].Add(Math.Exp(-dh[r]));
                var f = g.Configuration(r);
                for (int i = 0; i < v; i++) phi[i] = f[i];
                twoPoint.Add(k, c, phi);
                Phi4Observables.TimeSliceSums(lattice, phi, slices);
                for (int tau = 0; tau < t; tau++)
                {
                    double sum = 0;
                    for (int tt = 0; tt < t; tt++) sum += slices[tt] * slices[(tt + tau) % t];
                    corr[k, c, tau] += sum / (lattice.L * t);
                }
                corrCount[k, c]++;
            }
            values += g.Field!.Length;
        }

        var obs = new TableBuilder();
        var cor = new TableBuilder();
        for (int k = 0; k < nk; k++)
        {
            var am = ChainEstimates.Mean(ChainEstimates.Arrays(absM[k]));
            var mean = ChainEstimates.Mean(ChainEstimates.Arrays(m1[k]));
            var s = ChainEstimates.Mean(ChainEstimates.Arrays(sv[k]));
            var byChain = Enumerable.Range(0, chains).Select(c => new[] { absM[k][c].ToArray(), m2[k][c].ToArray(), m4[k][c].ToArray() }).ToList();
            var chi = ChainEstimates.Function(byChain, x => v * (x[1] - x[0] * x[0]));
            var binder = ChainEstimates.Function(byChain, x => 1 - x[2] / (3 * x[1] * x[1]));
            var m2e = ChainEstimates.Mean(ChainEstimates.Arrays(m2[k]));
            var a = ChainEstimates.Mean(ChainEstimates.Arrays(acc[k]));
            var cr = ChainEstimates.Mean(ChainEstimates.Arrays(creutz[k]));
            obs.Set("kappa", p.Kappas[k]).Set("lambda", p.Lambda).Set("l", p.L).Set("t", p.T)
               .Set("configurations", am.Count)
               .Set("abs_m", am.Mean).Set("abs_m_err", am.StdError).Set("abs_m_tau", am.TauInt).Set("abs_m_tau_err", am.TauIntError)
               .Set("m", mean.Mean).Set("m_err", mean.StdError)
               .Set("m2", m2e.Mean).Set("m2_err", m2e.StdError)
               .Set("chi", chi.Mean).Set("chi_err", chi.StdError)
               .Set("binder", binder.Mean).Set("binder_err", binder.StdError)
               .Set("action_density", s.Mean).Set("action_density_err", s.StdError).Set("action_density_tau", s.TauInt)
               .Set("acceptance", a.Mean).Set("acceptance_err", a.StdError)
               .Set("exp_minus_dh", cr.Mean).Set("exp_minus_dh_err", cr.StdError)
               .EndRow();
            for (int tau = 0; tau < t; tau++)
            {
                var perChain = Enumerable.Range(0, chains).Select(c => corr[k, c, tau] / corrCount[k, c] - lattice.L * Math.Pow(m1[k][c].Average(), 2)).ToArray();
                double mu = perChain.Average();
                double err = chains > 1 ? Math.Sqrt(perChain.Sum(x => (x - mu) * (x - mu)) / (chains - 1) / chains) : double.NaN;
                cor.Set("kappa", p.Kappas[k]).Set("tau", tau).Set("c", mu).Set("c_err", err).EndRow();
            }
        }
        var tp = new TableBuilder();
        twoPoint.Write(tp, p.Kappas);
        return new Result(obs, cor, tp, values);
    }
}
