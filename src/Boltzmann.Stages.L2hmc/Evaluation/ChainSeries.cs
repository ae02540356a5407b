using Boltzmann.Physics.Exact;
using Boltzmann.Data.Tables;
using Boltzmann.Statistics;

namespace Boltzmann.Stages.L2hmc.Evaluation;

/// <summary>
/// Per-chain, per-trajectory measurements of one inference run: Q_Z (rounded to the nearest integer), Q_R, the average
/// plaquette and the acceptance probability, with the estimates of <see cref="L2hmcEvaluateStage"/>: the means with
/// errors (per-chain Gamma method, chains combined by <see cref="IndependentChains"/>), and τ_int of Q_Z and Q_R by the
/// replica Gamma method (<see cref="ReplicaAutocorrelation"/>: chains frozen in different sectors count as correlated).
/// </summary>
public sealed class ChainSeries(int chains, int trajectories)
{
    public double[][] QZ { get; } = Enumerable.Range(0, chains).Select(_ => new double[trajectories]).ToArray();
    public double[][] QR { get; } = Enumerable.Range(0, chains).Select(_ => new double[trajectories]).ToArray();
    public double[][] Plaquette { get; } = Enumerable.Range(0, chains).Select(_ => new double[trajectories]).ToArray();
    public double[][] Acceptance { get; } = Enumerable.Range(0, chains).Select(_ => new double[trajectories]).ToArray();
    public double Seconds { get; set; }

    public void Record(int t, double[] qz, double[] qr, double[] plaquette, double[] acceptance)
    {
        for (int c = 0; c < QZ.Length; c++)
        {
            QZ[c][t] = Math.Round(qz[c]); QR[c][t] = qr[c]; Plaquette[c][t] = plaquette[c]; Acceptance[c][t] = acceptance[c];
        }
    }

    /// <summary>One row of <c>observables/l2hmc</c>.</summary>
    public void AddRow(TableBuilder table, double beta, int l, SamplerKind kind, int nlf, double eps)
    {
        var plaquette = IndependentChains.Mean(Plaquette);
        var q2 = IndependentChains.Mean(QZ.Select(c => c.Select(q => q * q).ToArray()).ToArray());
        var tauZ = ReplicaAutocorrelation.Compute(QZ);
        var tauR = ReplicaAutocorrelation.Compute(QR);
        var tunnel = IndependentChains.Mean(QZ.Select(c => c.Zip(c.Skip(1), (a, b) => Math.Abs(b - a)).ToArray()).ToArray());
        var acc = IndependentChains.Mean(Acceptance);
        double plaqExact = U1Exact.AveragePlaquette(l, l, beta), q2Exact = U1Exact.MeanChargeSquared(l, l, beta);
        long n = (long)QZ.Length * QZ[0].Length;
        table.Set("beta", beta).Set("l", l).Set("sampler", (int)kind).Set("n_lf", nlf).Set("eps", eps).Set("configurations", n)
             .Set("plaquette", plaquette.Mean).Set("plaquette_err", plaquette.StdError).Set("plaquette_exact", plaqExact).Set("z_plaquette", Z(plaquette, plaqExact))
             .Set("q2", q2.Mean).Set("q2_err", q2.StdError).Set("q2_exact", q2Exact).Set("z_q2", Z(q2, q2Exact))
             .Set("tau_qz", tauZ.TauInt).Set("tau_qz_err", tauZ.TauIntError).Set("tau_qr", tauR.TauInt).Set("tau_qr_err", tauR.TauIntError)
             .Set("nlf_tau_qz", nlf * tauZ.TauInt).Set("nlf_tau_qz_err", nlf * tauZ.TauIntError)
             .Set("nlf_tau_qr", nlf * tauR.TauInt).Set("nlf_tau_qr_err", nlf * tauR.TauIntError)
             .Set("tunnelling", tunnel.Mean).Set("tunnelling_err", tunnel.StdError)
             .Set("acceptance", acc.Mean).Set("acceptance_err", acc.StdError)
             .Set("seconds", Seconds).Set("trajectories_per_second", QZ[0].Length / Math.Max(Seconds, 1e-9))
             .EndRow();
    }

    private static double Z(Estimate e, double exact) => e.StdError > 0 ? (e.Mean - exact) / e.StdError : double.NaN;
}
