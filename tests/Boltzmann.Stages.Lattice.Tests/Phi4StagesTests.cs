using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Boltzmann.Stages.Lattice.Phi4;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Lattice.Tests;

public class Phi4StagesTests
{
    private static string Pipeline(double lambda, string kappas, int trajectories = 1500, string integration = "trapezoid", int perPart = 500) => $$"""
    {
      "name": "phi4-test", "seed": 11,
      "stages": [
        { "name": "hmc", "kind": "phi4-hmc",
          "params": { "l": 8, "t": 4, "lambda": {{lambda.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "kappas": {{kappas}},
                      "n_lf": 5, "eps": 0.2, "adapt": false, "chains": 4, "burn_in": 100, "trajectories": {{trajectories}}, "trajectories_per_part": {{perPart}} } },
        { "name": "free-energy", "kind": "phi4-free-energy", "upstream": { "samples": "hmc" }, "params": { "integration": "{{integration}}" } },
        { "name": "figures", "kind": "phi4-figures", "upstream": { "samples": "hmc", "free_energy": "free-energy" }, "params": { "exact_points": 11 } }
      ]
    }
    """;

    [Fact]
    public async Task FreeFieldFreeEnergyMatchesGaussianDeterminant()
    {
        using var ws = new LatticeWorkspace();
        var r = await ws.RunAsync(ws.Load(Pipeline(0, "[0.0, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2]", integration: "simpson")));
        var f = TableFile.Read(Path.Combine(LatticeWorkspace.StageDirectory(r, "free-energy"), Phi4FreeEnergyStage.Table + ".parquet"));
        for (long i = 1; i < f.Rows.Count; i++)
        {
            double k = D(f, "kappa", i);
            Console.WriteLine($"lambda=0 kappa={k}: F/V ratios {D(f, "f_ratio", i):F6} +- {D(f, "f_ratio_err", i):G2} ({D(f, "z_ratio_exact", i):F2} sigma), " +
                              $"integration {D(f, "f_ti", i):F6} +- {D(f, "f_ti_err", i):G2} ({D(f, "z_ti_exact", i):F2} sigma), exact {D(f, "f_exact", i):F6}");
            Assert.True(Math.Abs(D(f, "z_ratio_exact", i)) <= 4, $"ratio method at kappa {k}: {D(f, "z_ratio_exact", i):F2} sigma");
            Assert.True(Math.Abs(D(f, "z_ti_exact", i)) <= 4, $"integration at kappa {k}: {D(f, "z_ti_exact", i):F2} sigma");
            double dz = (D(f, "dlnz_dkappa", i) - D(f, "dlnz_dkappa_exact", i)) / D(f, "dlnz_dkappa_err", i);
            Assert.True(Math.Abs(dz) <= 4, $"d ln Z / d kappa at kappa {k}: {dz:F2} sigma");
        }
        var obs = TableFile.Read(Path.Combine(LatticeWorkspace.StageDirectory(r, "hmc"), Phi4Estimates.ObservablesTable + ".parquet"));
        for (long i = 0; i < obs.Rows.Count; i++)
        {
            double k = D(obs, "kappa", i), m2 = Physics.Exact.FreeScalarField.MeanMagnetizationSquared(8, 4, k);
            double z = (D(obs, "m2", i) - m2) / D(obs, "m2_err", i), zs = (D(obs, "action_density", i) - 0.5) / D(obs, "action_density_err", i);
            Console.WriteLine($"lambda=0 kappa={k}: <m^2> {D(obs, "m2", i):G5} exact {m2:G5} ({z:F2} sigma); S/V ({zs:F2} sigma); <e^-dH> {D(obs, "exp_minus_dh", i):F4} +- {D(obs, "exp_minus_dh_err", i):G2}");
            Assert.True(Math.Abs(z) <= 4 && Math.Abs(zs) <= 4);
        }
        // Connected two-point function along both axes against the exact free propagator (1/2V) sum_p cos(p.r)/lambda_p.
        var g = TableFile.Read(Path.Combine(LatticeWorkspace.StageDirectory(r, "hmc"), Phi4TwoPoint.Table + ".parquet"));
        Assert.Equal(9 * (8 + 4), g.Rows.Count);
        double worst = 0;
        for (long i = 0; i < g.Rows.Count; i++)
        {
            double k = D(g, "kappa", i); int mu = (int)D(g, "mu", i), d = (int)D(g, "r", i);
            double exact = Physics.Exact.FreeScalarField.Propagator(8, 4, k, mu == 0 ? d : 0, mu == 1 ? d : 0);
            double z = (D(g, "g", i) - exact) / D(g, "g_err", i);
            worst = Math.Max(worst, Math.Abs(z));
            if (d <= 2 || Math.Abs(z) > 3) Console.WriteLine($"lambda=0 kappa={k} G(mu={mu}, r={d}) {D(g, "g", i):G5} +- {D(g, "g_err", i):G2} exact {exact:G5} ({z:F2} sigma)");
            Assert.True(Math.Abs(z) <= 4, $"G(mu={mu}, r={d}) at kappa {k}: {z:F2} sigma");
        }
        Console.WriteLine($"two-point function: worst of {g.Rows.Count} points {worst:F2} sigma");
        Assert.True(File.Exists(Path.Combine(ws.Root, "artifacts", "phi4-test", "figures", "figures-free-energy.png")));
    }

    [Fact]
    public async Task RatiosAndIntegrationAgreeAtLambda0022()
    {
        using var ws = new LatticeWorkspace();
        var r = await ws.RunAsync(ws.Load(Pipeline(0.022, "[0.0, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.225, 0.25]", integration: "simpson")));
        var f = TableFile.Read(Path.Combine(LatticeWorkspace.StageDirectory(r, "free-energy"), Phi4FreeEnergyStage.Table + ".parquet"));
        for (long i = 1; i < f.Rows.Count; i++)
        {
            Console.WriteLine($"lambda=0.022 kappa={D(f, "kappa", i)}: ratios {D(f, "f_ratio", i):F6} +- {D(f, "f_ratio_err", i):G2}, integration {D(f, "f_ti", i):F6} +- {D(f, "f_ti_err", i):G2}: {D(f, "z_ratio_ti", i):F2} sigma");
            Assert.True(Math.Abs(D(f, "z_ratio_ti", i)) <= 4, $"kappa {D(f, "kappa", i)}: {D(f, "z_ratio_ti", i):F2} sigma");
        }
    }

    [Fact]
    public async Task KilledStageResumesBitForBit()
    {
        using var ws = new LatticeWorkspace();
        var p = ws.Load(Pipeline(0.022, "[0.0, 0.2, 0.27]", trajectories: 2000, perPart: 250));
        var reference = await ws.RunAsync(p, new RunOptions(Stages: ["hmc"]), cacheRoot: Path.Combine(ws.Root, "reference"));
        var refDir = LatticeWorkspace.StageDirectory(reference, "hmc");

        // Killed in the second kappa (a unit of the sharded stage) once six of its eight parts are sampled (a unit's
        // parts are written while the next is sampled, so the first ones are on disk by then).
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ws.RunAsync(p, new RunOptions(Stages: ["hmc"]), cts.Token, CancelAfterProgress.OfDescription(cts, "[kappa-001]", 4 * (100 + 6 * 250))));
        var cache = new ArtifactCache(ws.Cache);
        var key = PipelinePlan.Keys(p)["hmc"];
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(key).Status);
        var units = PipelinePlan.ShardKeys(p, "hmc");
        Assert.Equal(CacheLookupStatus.Hit, cache.Lookup(units[0].Key).Status);
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(units[1].Key).Status);               // no half unit visible
        int partsBefore = Directory.GetFiles(Path.Combine(cache.WorkDirectory(units[1].Key), Phi4Dataset.Directory), "part-*.parquet").Length;
        Assert.InRange(partsBefore, 1, 6);

        var resumed = await ws.RunAsync(p, new RunOptions(Stages: ["hmc"]));
        Assert.Contains(ws.Log.Lines, l => l.Contains("hmc: resuming"));
        var dir = LatticeWorkspace.StageDirectory(resumed, "hmc");
        var files = Directory.GetFiles(Path.Combine(refDir, Phi4Dataset.Directory)).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(24, files.Count);
        Assert.Equal(files, Directory.GetFiles(Path.Combine(dir, Phi4Dataset.Directory)).Select(Path.GetFileName).Order().ToList());
        foreach (var f in files)
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(refDir, Phi4Dataset.Directory, f!)), await File.ReadAllBytesAsync(Path.Combine(dir, Phi4Dataset.Directory, f!)));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(refDir, Phi4Estimates.ObservablesTable + ".csv")),
                     await File.ReadAllTextAsync(Path.Combine(dir, Phi4Estimates.ObservablesTable + ".csv")));
    }

    private static double D(DataFrame df, string col, long row) => Convert.ToDouble(df[col][row], System.Globalization.CultureInfo.InvariantCulture);
}
