using Boltzmann.Data.Lattice;
using Boltzmann.Physics.Exact;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;

namespace Boltzmann.Stages.Lattice.Phi4;

/// <summary>
/// Free energy F(kappa) = -ln Z(kappa) (T = 1) of lattice phi^4 along the upstream kappa grid, which must start at
/// kappa = 0 where F_0 = -V ln z0(lambda) is exact (Nicoli et al., "HMC estimate of free energies"). Two independent
/// estimates from the same configurations:
/// (1) chain of ratios Z_{i+1}/Z_i = E_{p_i}[exp(-(S_{i+1} - S_i))] = E_{p_i}[exp(2 (kappa_{i+1} - kappa_i) H)], with
///     H = sum_x sum_mu phi(x) phi(x+mu), evaluated by log-sum-exp; error of each ln ratio by the delta method,
///     sigma(ln r) = sigma(w-bar)/w-bar with the Gamma-method error of w-bar (tau_int included); the delta-method bias
///     Var(w)/(2 n_eff w-bar^2) is reported per step;
/// (2) thermodynamic integration of d ln Z/d kappa = &lt;2 H&gt; by the trapezoid (or Simpson) rule, errors of the
///     independent points propagated with the quadrature weights.
/// At lambda = 0 both are compared with the exact Gaussian determinant (FreeScalarField.LnZ).
/// </summary>
public sealed class Phi4FreeEnergyStage : StageKind<Phi4FreeEnergyParameters>
{
    public const string KindName = "phi4-free-energy";
    public const string Table = "free-energy/phi4";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Evaluate;
    public override string Description => "phi^4 F(kappa)/V from kappa = 0 by partition-function ratios and by thermodynamic integration; exact at lambda = 0";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("samples", [Phi4HmcStage.KindName])];

    protected override Phi4FreeEnergyParameters Parse(ParameterReader r) => new(r.String("integration", "trapezoid", ["trapezoid", "simpson"]));

    protected override void Validate(Phi4FreeEnergyParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var up = UpstreamParameters<Phi4HmcParameters>(upstream["samples"]);
        if (up.Kappas.Length == 0 || up.Kappas[0] != 0)
            r.Error("samples", $"the kappa grid of upstream \"{upstream["samples"].Name}\" starts at {(up.Kappas.Length == 0 ? double.NaN : up.Kappas[0])}; " +
                               "the free energy is anchored at the exact kappa = 0 value, so the grid must start at 0");
        if (up.Kappas.Length < 2) r.Error("samples", $"upstream \"{upstream["samples"].Name}\" has {up.Kappas.Length} kappa value(s); need at least 2");
    }

    protected override async Task RunAsync(StageContext ctx, Phi4FreeEnergyParameters p)
    {
        var samples = ctx.Input("samples");
        var up = samples.Parameters<Phi4HmcParameters>();
        int nk = up.Kappas.Length, chains = up.Hmc.Chains;
        double v = (double)up.L * up.T;
        var hopping = Enumerable.Range(0, nk).Select(_ => Enumerable.Range(0, chains).Select(_ => new List<double>()).ToArray()).ToArray();
        await foreach (var g in LatticeDatasetReader.ReadAsync(samples.PathOf(Phi4Dataset.Directory), includeField: false, ctx.Cancellation))
        {
            var kappa = g.Column(Phi4Dataset.Kappa);
            var h = g.Column(Phi4Dataset.Hopping);
            for (int r = 0; r < g.Count; r++) hopping[Array.IndexOf(up.Kappas, kappa[r])][g.Chain[r]].Add(h[r]);
        }
        var series = hopping.Select(k => k.Select(c => c.ToArray()).ToArray()).ToArray();
        var result = Phi4FreeEnergy.Compute(up.Kappas, series, up.Lambda, v, p.Integration == "simpson");

        bool exact = up.Lambda == 0;
        var table = new TableBuilder();
        for (int i = 0; i < nk; i++)
        {
            double fExact = exact ? -FreeScalarField.LnZ(up.L, up.T, up.Kappas[i]) / v : double.NaN;
            var ratio = result.Ratio[i];
            var ti = result.Integration[i];
            table.Set("kappa", up.Kappas[i]).Set("lambda", up.Lambda)
                 .Set("f_ratio", ratio.Mean).Set("f_ratio_err", ratio.StdError).Set("ratio_bias", result.RatioBias[i])
                 .Set("f_ti", ti.Mean).Set("f_ti_err", ti.StdError)
                 .Set("dlnz_dkappa", result.Derivative[i].Mean).Set("dlnz_dkappa_err", result.Derivative[i].StdError)
                 .Set("dlnz_dkappa_exact", exact ? FreeScalarField.DLnZDKappa(up.L, up.T, up.Kappas[i]) : double.NaN)
                 .Set("f_exact", fExact)
                 .Set("z_ratio_exact", exact && ratio.StdError > 0 ? (ratio.Mean - fExact) / ratio.StdError : double.NaN)
                 .Set("z_ti_exact", exact && ti.StdError > 0 ? (ti.Mean - fExact) / ti.StdError : double.NaN)
                 .Set("z_ratio_ti", Math.Sqrt(ratio.StdError * ratio.StdError + ti.StdError * ti.StdError) is var e && e > 0 ? (ratio.Mean - ti.Mean) / e : double.NaN)
                 .EndRow();
        }
        ctx.WriteTable(Table, table);
    }
}
