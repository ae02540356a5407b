using System.Text.Json;
using Boltzmann.Data.Tables;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Spins;
using Boltzmann.Stages.Sk.Exact;
using Boltzmann.Stages.Sk.Pt;
using Boltzmann.Statistics;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Sk.Observables;

/// <summary>
/// Estimators on a PT dataset, per instance and temperature, each with an honest error: energy per spin
/// (tau_int by the Gamma method), specific heat (blocked jackknife), &lt;q^2&gt; and P(q) between the two
/// independent chains at the same sweep (never a configuration with itself), swap acceptance per pair,
/// round trips, flip acceptance. With an exact upstream, every estimate is compared with the exact value
/// in units of its standard error. Streams the dataset row group by row group; holds only scalar series.
/// </summary>
public sealed class SkPtObservablesStage : StageKind<SkPtObservablesParameters>
{
    public const string KindName = "sk-pt-observables";
    public const string Thermo = "observables/thermo";
    public const string Overlap = "observables/overlap";
    public const string Swaps = "observables/swaps";
    public const string RoundTrips = "observables/roundtrips";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Evaluate;
    public override string Description => "PT estimators with errors (E, C, <q^2>, P(q), tau_int, swaps), compared with exact when given";
    public override IReadOnlyList<UpstreamSlot> Upstream =>
    [
        new("samples", [SkParallelTemperingStage.KindName]),
        new("exact", [SkExactStage.KindName], Required: false),
    ];

    protected override SkPtObservablesParameters Parse(ParameterReader r) => new(r.Int("blocks", 32, min: 2, max: 10_000));

    protected override void Validate(SkPtObservablesParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        var pt = UpstreamParameters<SkPtParameters>(upstream["samples"]);
        if (p.Blocks > pt.Samples)
            r.Error("blocks", $"value {p.Blocks} is larger than the data: upstream \"{upstream["samples"].Name}\" has samples = {pt.Samples}; must be <= samples");
        if (upstream.TryGetValue("exact", out var ex) && upstream["samples"].Upstream["instances"] != ex.Upstream["instances"])
            r.Error("blocks", $"upstream \"{ex.Name}\" enumerates instances \"{ex.Upstream["instances"]}\" but the samples come from \"{upstream["samples"].Upstream["instances"]}\"");
    }

    protected override async Task RunAsync(StageContext ctx, SkPtObservablesParameters p)
    {
        var samples = ctx.Input("samples");
        var pt = samples.Parameters<SkPtParameters>();
        var reader = await PtDataset.OpenAsync(samples, ctx.Cancellation);
        int n = reader.SpinCount;
        ctx.Upstream.TryGetValue("exact", out var exactArtifact);
        var summaries = Directory.GetFiles(samples.PathOf(SkParallelTemperingStage.SummaryDir), "instance-*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<PtInstanceSummary>(File.ReadAllText(f), JsonDefaults.Indented)!).ToList();
        int instances = summaries.Count, slots = summaries[0].Temperatures.Length, chains = pt.Chains;

        // Scalar series per (instance, slot, chain) in sweep order, q per (instance, slot); P(q) counts per block.
        var energy = new List<double>[instances, slots, chains];
        var q2 = new List<double>[instances, slots];
        var overlapCounts = new long[instances, slots, p.Blocks, n + 1];
        for (int i = 0; i < instances; i++) for (int k = 0; k < slots; k++)
            {
                q2[i, k] = new List<double>(pt.Samples);
                for (int c = 0; c < chains; c++) energy[i, k, c] = new List<double>(pt.Samples);
            }
        var pending = new byte[slots, reader.BytesPerConfiguration];
        var pendingSweep = new long[slots];
        Array.Fill(pendingSweep, -1);
        int blockLength = pt.Samples / p.Blocks;

        using var progress = ctx.Progress.Start($"{ctx.Name}: read samples", reader.RowCount, "rows");
        await foreach (var batch in reader.ReadAsync(PtColumns.Instance | PtColumns.Chain | PtColumns.Slot | PtColumns.Sweep | PtColumns.Energy,
                                                     includeSpins: chains >= 2, ctx.Cancellation))
        {
            for (int r = 0; r < batch.Count; r++)
            {
                int i = batch.Instance[r], k = batch.Slot[r], c = batch.Chain[r];
                energy[i, k, c].Add(batch.Energy[r] / n);
                if (c == 0) { batch.PackedSpins(r).CopyTo(Row(pending, k)); pendingSweep[k] = batch.Sweep[r]; }
                else if (c == 1 && pendingSweep[k] == batch.Sweep[r])
                {
                    // q between the two independent chains at the same sweep, never a sample with itself (a self-overlap is 1 and biases P(q)).
                    int distance = SpinPacking.HammingDistance(Row(pending, k), batch.PackedSpins(r), n);
                    double q = 1.0 - 2.0 * distance / n;
                    int index = q2[i, k].Count;
                    q2[i, k].Add(q * q);
                    if (blockLength > 0 && index < blockLength * p.Blocks) overlapCounts[i, k, index / blockLength, distance]++;
                }
            }
            progress.Increment(batch.Count);
        }

        var exact = exactArtifact is null ? null : new ExactLookup(exactArtifact);
        var thermo = new TableBuilder();
        var overlap = new TableBuilder();
        for (int i = 0; i < instances; i++)
            for (int k = 0; k < slots; k++)
            {
                double t = summaries[i].Temperatures[k], beta = 1 / t;
                var eChains = Enumerable.Range(0, chains).Select(c => IntegratedAutocorrelation.Estimate(energy[i, k, c].ToArray())).ToList();
                var eMean = Combine(eChains);
                var all = Enumerable.Range(0, chains).SelectMany(c => energy[i, k, c]).ToArray();
                var sq = all.Select(x => x * x).ToArray();
                // c = beta^2 N (<e^2> - <e>^2) with e = E/N (per-spin energies), i.e. beta^2 Var(E)/N.
                var heat = Jackknife.Estimate([all, sq], m => beta * beta * n * (m[1] - m[0] * m[0]), p.Blocks);
                var q2e = chains >= 2 && q2[i, k].Count >= 2 ? IntegratedAutocorrelation.Estimate(q2[i, k].ToArray()) : new Estimate(double.NaN, double.NaN, double.NaN, double.NaN, 0);
                var ex = exact?.Thermo(i, t);
                thermo.Set("instance", i).Set("slot", k).Set("temperature", t).Set("beta", beta).Set("samples", (long)all.Length)
                      .Set("energy", eMean.Mean).Set("energy_err", eMean.StdError).Set("energy_tau", eMean.TauInt).Set("energy_tau_err", eMean.TauIntError)
                      .Set("specific_heat", heat.Mean).Set("specific_heat_err", heat.StdError)
                      .Set("q2", q2e.Mean).Set("q2_err", q2e.StdError).Set("q2_tau", q2e.TauInt)
                      .Set("exact_energy", ex?.Energy ?? double.NaN).Set("exact_specific_heat", ex?.SpecificHeat ?? double.NaN).Set("exact_q2", ex?.Q2 ?? double.NaN)
                      .Set("z_energy", ex is null ? double.NaN : (eMean.Mean - ex.Energy) / eMean.StdError)
                      .Set("z_specific_heat", ex is null ? double.NaN : (heat.Mean - ex.SpecificHeat) / heat.StdError)
                      .Set("z_q2", ex is null ? double.NaN : (q2e.Mean - ex.Q2) / q2e.StdError)
                      .EndRow();
                if (chains < 2) continue;
                var exactP = exact?.Overlap(i, t);
                for (int d = 0; d <= n; d++)
                {
                    var fractions = new double[p.Blocks];
                    for (int b = 0; b < p.Blocks; b++) fractions[b] = blockLength == 0 ? 0 : overlapCounts[i, k, b, d] / (double)blockLength;
                    double mean = fractions.Average();
                    double err = Math.Sqrt(fractions.Sum(f => (f - mean) * (f - mean)) / (p.Blocks * (p.Blocks - 1.0)));
                    overlap.Set("instance", i).Set("slot", k).Set("temperature", t).Set("k", d).Set("q", 1.0 - 2.0 * d / n)
                           .Set("p", mean).Set("p_err", err).Set("p_exact", exactP?[d] ?? double.NaN).EndRow();
                }
            }

        var swaps = new TableBuilder();
        var trips = new TableBuilder();
        foreach (var s in summaries)
            for (int c = 0; c < chains; c++)
            {
                for (int k = 0; k < slots - 1; k++)
                    swaps.Set("instance", s.Instance).Set("chain", c).Set("pair", k).Set("t_low", s.Temperatures[k]).Set("t_high", s.Temperatures[k + 1])
                         .Set("acceptance", s.SwapAcceptance[c][k]).Set("attempts", s.SwapAttempts[c][k]).EndRow();
                trips.Set("instance", s.Instance).Set("chain", c).Set("round_trips", s.RoundTrips[c]).Set("sweeps", s.Sweeps).EndRow();
            }
        ctx.WriteTable(Thermo, thermo);
        ctx.WriteTable(Overlap, overlap);
        ctx.WriteTable(Swaps, swaps);
        ctx.WriteTable(RoundTrips, trips);
    }

    private static Span<byte> Row(byte[,] a, int k) => System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref a[k, 0], a.GetLength(1));

    /// <summary>The mean of independent chains' estimates: errors add in quadrature.</summary>
    internal static Estimate Combine(IReadOnlyList<Estimate> parts)
    {
        int m = parts.Count;
        double mean = parts.Average(x => x.Mean);
        double err = Math.Sqrt(parts.Sum(x => x.StdError * x.StdError)) / m;
        double tau = parts.Average(x => x.TauInt);
        double tauErr = Math.Sqrt(parts.Sum(x => x.TauIntError * x.TauIntError)) / m;
        return new Estimate(mean, err, tau, tauErr, parts.Sum(x => x.Count));
    }
}
