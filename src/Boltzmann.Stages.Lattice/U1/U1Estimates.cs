using Boltzmann.Data.Lattice;
using Boltzmann.Physics.Exact;
using Boltzmann.Data.Tables;
using Boltzmann.Statistics;

namespace Boltzmann.Stages.Lattice.U1;

/// <summary>
/// Observables of a U(1) dataset per (beta, N_LF, eps), with errors over independent chains: &lt;cos x_P&gt; and
/// &lt;Q_Z^2&gt; (chi_top = &lt;Q_Z^2&gt;/V) against the exact finite-volume values (U1Exact) in standard errors;
/// tau_int of Q_Z and Q_R by the Gamma method (Sokal convention, in stored configurations) with errors;
/// N_LF x tau_int(Q_R) x thin, the cost in leapfrog steps per independent charge (Foreman et al. Fig. 3);
/// the tunnelling rate &lt;|Q_Z(i+1) - Q_Z(i)|&gt; between consecutive stored configurations; acceptance.
/// Also the Q_Z history of chain 0 at every point.
/// </summary>
public static class U1Estimates
{
    public const string ObservablesTable = "observables/u1";
    public const string HistoryTable = "observables/charge-history";

    public sealed record Result(TableBuilder Observables, TableBuilder History, long Rows);

    public static async Task<Result> ComputeAsync(string directory, U1HmcParameters p, IReadOnlyList<int> pointBeta, IReadOnlyList<int> pointPair, CancellationToken ct)
    {
        int np = pointBeta.Count, chains = p.Hmc.Chains;
        var cos = ChainEstimates.Series(np, chains); var qz = ChainEstimates.Series(np, chains); var qr = ChainEstimates.Series(np, chains); var acc = ChainEstimates.Series(np, chains); var eps = ChainEstimates.Series(np, chains);
        var traj = ChainEstimates.Series(np, chains);
        long rows = 0;
        await foreach (var g in LatticeDatasetReader.ReadAsync(directory, includeField: false, ct))
        {
            var beta = g.Column(U1Dataset.Beta); var nlf = g.Column(U1Dataset.NLf); var e = g.Column(U1Dataset.Eps);
            var plaq = g.Column(U1Dataset.Plaquette); var z = g.Column(U1Dataset.QZ); var r = g.Column(U1Dataset.QR); var a = g.Column(U1Dataset.Acceptance);
            int pi = g.Part / p.Hmc.PartsPerPoint;
            for (int k = 0; k < g.Count; k++)
            {
                int c = g.Chain[k];
                if (beta[k] != p.Betas[pointBeta[pi]] || (int)nlf[k] != p.NLf[pointPair[pi]])
                    throw new InvalidDataException($"part {g.Part} row {k}: beta {beta[k]}, n_lf {nlf[k]} do not belong to point {pi}");
                cos[pi][c].Add(plaq[k]); qz[pi][c].Add(z[k]); qr[pi][c].Add(r[k]); acc[pi][c].Add(a[k]); eps[pi][c].Add(e[k]);
                traj[pi][c].Add(g.Trajectory[k]);
            }
            rows += g.Count;
        }

        var obs = new TableBuilder();
        var hist = new TableBuilder();
        double v = (double)p.L * p.L;
        for (int pi = 0; pi < np; pi++)
        {
            double beta = p.Betas[pointBeta[pi]];
            int nlf = p.NLf[pointPair[pi]];
            var plaquette = ChainEstimates.Mean(ChainEstimates.Arrays(cos[pi]));
            var q2 = ChainEstimates.Mean(qz[pi].Select(c => c.Select(q => q * q).ToArray()).ToArray());
            var tauZ = ChainEstimates.Mean(ChainEstimates.Arrays(qz[pi]));
            var tauR = ChainEstimates.Mean(ChainEstimates.Arrays(qr[pi]));
            var tunnel = ChainEstimates.Mean(qz[pi].Select(c => c.Zip(c.Skip(1), (a, b) => Math.Abs(b - a)).ToArray()).ToArray());
            var a = ChainEstimates.Mean(ChainEstimates.Arrays(acc[pi]));
            double plaqExact = U1Exact.AveragePlaquette(p.L, p.L, beta), q2Exact = U1Exact.MeanChargeSquared(p.L, p.L, beta);
            obs.Set("beta", beta).Set("l", p.L).Set("n_lf", nlf).Set("eps", eps[pi].SelectMany(c => c).DefaultIfEmpty(double.NaN).Average())
               .Set("configurations", plaquette.Count)
               .Set("plaquette", plaquette.Mean).Set("plaquette_err", plaquette.StdError).Set("plaquette_exact", plaqExact)
               .Set("z_plaquette", Z(plaquette, plaqExact))
               .Set("q2", q2.Mean).Set("q2_err", q2.StdError).Set("q2_exact", q2Exact).Set("z_q2", Z(q2, q2Exact))
               .Set("chi_top", q2.Mean / v).Set("chi_top_err", q2.StdError / v).Set("chi_top_exact", q2Exact / v)
               .Set("tau_qz", tauZ.TauInt).Set("tau_qz_err", tauZ.TauIntError)
               .Set("tau_qr", tauR.TauInt).Set("tau_qr_err", tauR.TauIntError)
               .Set("nlf_tau_qr", nlf * p.Hmc.Thin * tauR.TauInt).Set("nlf_tau_qr_err", nlf * p.Hmc.Thin * tauR.TauIntError)
               .Set("tunnelling", tunnel.Mean).Set("tunnelling_err", tunnel.StdError)
               .Set("acceptance", a.Mean).Set("acceptance_err", a.StdError)
               .EndRow();
            for (int k = 0; k < qz[pi][0].Count; k++)
                hist.Set("beta", beta).Set("n_lf", nlf).Set("trajectory", (long)traj[pi][0][k]).Set("q_z", qz[pi][0][k]).Set("q_r", qr[pi][0][k]).EndRow();
        }
        return new Result(obs, hist, rows);
    }

    private static double Z(Estimate e, double exact) => e.StdError > 0 ? (e.Mean - exact) / e.StdError : double.NaN;
}
