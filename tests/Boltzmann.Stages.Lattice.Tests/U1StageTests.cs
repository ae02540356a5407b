using Boltzmann.Data.Tables;
using Boltzmann.Stages.Lattice.U1;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Lattice.Tests;

public class U1StageTests
{
    [Fact]
    public async Task PlaquetteAndChargeMatchExactOn4x4()
    {
        using var ws = new LatticeWorkspace();
        var r = await ws.RunAsync(ws.Load("""
        {
          "name": "u1-test", "seed": 5,
          "stages": [
            { "name": "hmc", "kind": "u1-hmc",
              "params": { "l": 4, "betas": [1.0, 3.0], "n_lf": [5, 10], "eps": [0.2, 0.1], "adapt": false,
                          "chains": 4, "burn_in": 100, "trajectories": 2000, "trajectories_per_part": 1000 } },
            { "name": "figures", "kind": "u1-figures", "upstream": { "samples": "hmc" }, "params": { "exact_points": 11 } }
          ]
        }
        """));
        var t = TableFile.Read(Path.Combine(LatticeWorkspace.StageDirectory(r, "hmc"), U1Estimates.ObservablesTable + ".parquet"));
        Assert.Equal(4, t.Rows.Count);
        for (long i = 0; i < t.Rows.Count; i++)
        {
            Console.WriteLine($"U(1) 4x4 beta={D(t, "beta", i)} N_LF={D(t, "n_lf", i)}: <cos> {D(t, "plaquette", i):F5} +- {D(t, "plaquette_err", i):G2} exact {D(t, "plaquette_exact", i):F5} ({D(t, "z_plaquette", i):F2} sigma); " +
                $"<Q^2> {D(t, "q2", i):F4} +- {D(t, "q2_err", i):G2} exact {D(t, "q2_exact", i):F4} ({D(t, "z_q2", i):F2} sigma); tau(Q_R) {D(t, "tau_qr", i):F2} +- {D(t, "tau_qr_err", i):F2}; tunnelling {D(t, "tunnelling", i):F3}");
            Assert.True(Math.Abs(D(t, "z_plaquette", i)) <= 4);
            Assert.True(Math.Abs(D(t, "z_q2", i)) <= 4);
            Assert.InRange(D(t, "acceptance", i), 0.5, 1.0);
        }
        foreach (var fig in new[] { "figures-observables", "figures-charge-history", "figures-cost" })
            Assert.True(File.Exists(Path.Combine(ws.Root, "artifacts", "u1-test", "figures", fig + ".png")), fig);
    }

    private static double D(DataFrame df, string col, long row) => Convert.ToDouble(df[col][row], System.Globalization.CultureInfo.InvariantCulture);
}
