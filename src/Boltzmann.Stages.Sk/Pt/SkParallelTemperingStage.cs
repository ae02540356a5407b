using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text;
using Boltzmann.Data.Cache;
using Boltzmann.Data.Parquet;
using Boltzmann.IO;
using Boltzmann.MonteCarlo;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Instances;

namespace Boltzmann.Stages.Sk.Pt;

/// <summary>
/// Parallel tempering of every SK instance (Hukushima &amp; Nemoto 1996): R temperatures x C independent
/// chains (C = 2 by default, so overlaps between independent replicas can be measured). Samples stream
/// through a bounded Dataflow block into Parquet part files; after each part the full sampler state
/// (every RNG) is checkpointed, so a killed run resumes bit for bit. Rows: one per (sample, chain, slot),
/// energy = H(s) total, magnetization = sum(s)/N, spins packed 1 bit each.
/// Sharded: one unit per disorder instance (its own streams, parts and summary); the gather copies them in instance
/// order, so the stage's files are those of a whole-stage run.
/// </summary>
public sealed class SkParallelTemperingStage : ShardedStageKind<SkPtParameters>
{
    public const string KindName = "sk-pt";
    public const string SamplesDir = "samples";
    public const string SummaryDir = "summary";
    private const string CheckpointFile = "checkpoint.json";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Generate;
    public override string Description => "parallel tempering (Metropolis + replica exchange), samples to Parquet with checkpoints";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("instances", [SkInstancesStage.KindName])];

    protected override SkPtParameters Parse(ParameterReader r)
    {
        var ladder = r.OptionalObject("ladder", LadderParameters.Read);
        if (ladder is null && !r.Has("ladder")) r.Error("ladder", "required key is missing; give {\"tmin\", \"tmax\", \"count\"} or {\"temperatures\": [...]}");
        int chains = r.Int("chains", 2, min: 1, max: 64);
        int burnIn = r.Int("burn_in", min: 0);
        int samples = r.Int("samples", min: 1);
        int thin = r.Int("thin", 1, min: 1);
        int perPart = r.Int("samples_per_part", Math.Min(samples, 1000), min: 1);
        if (perPart > samples) r.Error("samples_per_part", $"value {perPart} is larger than the data: samples = {samples}; must be <= samples");
        int refresh = r.Int("local_field_refresh", 100, min: 1);
        int threads = r.Int("threads", -1, min: -1);
        if (threads == 0) r.Error("threads", "value 0 is not allowed; must be -1 (all cores) or >= 1");
        var p = new SkPtParameters(ladder ?? new LadderParameters(1, 2, 2, null), chains, burnIn, samples, thin, perPart, refresh) { Threads = threads };
        if (ladder is not null && r.Errors.Count == 0)
        {
            try { p.Ladder.ToLadder(); }
            catch (ArgumentException ex) { r.Error("ladder", ex.Message); }
        }
        return p;
    }

    /// <summary>Part buffers alive at once: the one being filled, one queued (capacity 2) and one being written.</summary>
    private const int PartsInFlight = 3;

    /// <summary>Upper bound on the bytes of one row's scalar columns (nine 8-byte values).</summary>
    private const int ScalarBytesPerRow = 72;

    /// <summary>
    /// Sizes against what the implementation can address and what the machine has: a part is one in-memory batch
    /// of samples_per_part x chains x R rows, int-indexed, and <see cref="PartsInFlight"/> of them are alive at once.
    /// Checked before anything runs, so a part too large fails validation (exit 2) instead of running out of
    /// memory after upstream stages were committed.
    /// </summary>
    protected override void Validate(SkPtParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader r)
    {
        int n = Math.Max(1, UpstreamParameters<SkInstancesParameters>(upstream["instances"]).N);
        long rows = (long)p.SamplesPerPart * p.Chains * p.Ladder.ToLadder().Count;
        long bytesPerRow = ScalarBytesPerRow + (n + 7) / 8;
        if (rows > Array.MaxLength || rows * ((n + 7) / 8) > Array.MaxLength)
        {
            r.Error("samples_per_part", $"value {p.SamplesPerPart} is not allowed: a part would hold {rows:N0} rows (samples_per_part x chains x temperatures), " +
                                        $"more than one in-memory batch can index ({Array.MaxLength:N0} rows or spin bytes); lower samples_per_part");
            return;
        }
        long needed = rows * bytesPerRow * PartsInFlight;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available / 2)
            r.Error("samples_per_part", $"value {p.SamplesPerPart} is not allowed: {PartsInFlight} parts of {rows:N0} rows (N = {n}) need about " +
                                        $"{needed / (1024.0 * 1024 * 1024):F1} GiB, more than half of the {available / (1024.0 * 1024 * 1024):F1} GiB this process may use; lower samples_per_part");
    }

    /// <summary>One unit per disorder instance, in instance order (the count is the upstream stage's parameter).</summary>
    protected override IReadOnlyList<ShardUnit> Units(SkPtParameters p, IReadOnlyDictionary<string, ResolvedStage> upstream) =>
        [.. Enumerable.Range(0, UpstreamParameters<SkInstancesParameters>(upstream["instances"]).Count)
            .Select(i => new ShardUnit(i, $"instance-{i:D3}", new JsonObject { ["index"] = i, ["instance"] = i }))];

    /// <summary>
    /// One instance: its chains from (seed, stage/instance-i), its parts under their global numbers
    /// (instance i holds parts i * parts-per-instance, ...) and its summary, exactly as a whole-stage run wrote them.
    /// The checkpoint (next part of this instance, sampler state, hashes of the parts written) is the unit's own.
    /// </summary>
    protected override async Task RunUnitAsync(StageContext ctx, SkPtParameters p, ShardUnit unit)
    {
        int inst = unit.Index;
        var inputs = ctx.Input("instances");
        var entries = SkInstanceStore.Entries(inputs);
        if (inst >= entries.Count)
            throw new StageInputException($"{inputs.PathOf(SkInstanceStore.IndexFile)} lists {entries.Count} instance(s); unit {unit.Label} needs instance {inst}");
        var ladder = p.Ladder.ToLadder();
        int n = entries[0].N;
        var schema = PtDatasetSchema.For(n);
        var samplesDir = Path.Combine(ctx.WorkDirectory, SamplesDir);
        Directory.CreateDirectory(samplesDir);
        var writer = new SpinDatasetWriter(samplesDir, schema, Metadata(ctx, p, entries, ladder, n));
        int firstPart = inst * p.PartsPerInstance;

        var checkpoint = ctx.Resuming ? LoadCheckpoint(ctx) : null;
        if (checkpoint is not null) checkpoint = VerifiedResumePoint(ctx, checkpoint, writer, p, inputs, entries[inst], inst, ladder);
        int nextPart = checkpoint?.NextPart ?? 0;
        var partHashes = new List<string>(checkpoint?.PartHashes?.Take(nextPart) ?? []);
        // Parts beyond the checkpoint were written after the last checkpoint: recompute them (identically).
        foreach (var part in SpinDatasetWriter.CompletedParts(writer.Directory).Where(i => i >= firstPart + nextPart))
            File.Delete(writer.PartPath(part));
        if (checkpoint is not null) ctx.Log.Info($"{ctx.Name}: resuming instance {inst} at part {firstPart + nextPart} ({nextPart} of its {p.PartsPerInstance} done)");

        long rowsPerSample = (long)p.Chains * ladder.Count;
        long sweeps = p.BurnIn + (long)p.Samples * p.Thin;
        using var progress = ctx.Progress.Start($"{ctx.Name}: PT sweeps (N={n}, R={ladder.Count}, C={p.Chains})", sweeps, "sweeps");
        progress.SetValue(nextPart == 0 ? 0 : Math.Min(sweeps, p.BurnIn + (long)nextPart * p.SamplesPerPart * p.Thin));
        var clock = Stopwatch.StartNew();
        long flips = 0;

        await BoundedStream.RunAsync<PtPart>(
            produce: async (target, token) =>
            {
                if (nextPart == p.PartsPerInstance) return; // every part and the summary were written before a kill
                var instance = SkInstanceStore.Load(inputs, entries[inst]);
                if (instance.N != n) throw new StageInputException($"instance {inst} has N = {instance.N}, instance 0 has {n}; one dataset holds one system size");
                var options = SamplerOptions(ctx, p, ladder, inst);
                ParallelTempering pt;
                if (nextPart > 0)
                {
                    pt = ParallelTempering.Restore(instance, options, Convert.FromBase64String(checkpoint!.SamplerState!));
                }
                else
                {
                    pt = new ParallelTempering(instance, options);
                    for (int done = 0; done < p.BurnIn; done += 100)
                    {
                        token.ThrowIfCancellationRequested();
                        int k = Math.Min(100, p.BurnIn - done);
                        pt.Sweep(k);
                        progress.Increment(k);
                    }
                }
                for (int part = nextPart; part < p.PartsPerInstance; part++)
                {
                    int first = part * p.SamplesPerPart;
                    int count = Math.Min(p.SamplesPerPart, p.Samples - first);
                    var batch = new SpinBatch(schema, checked((int)(count * rowsPerSample)));
                    for (int s = 0; s < count; s++)
                    {
                        token.ThrowIfCancellationRequested();
                        pt.Sweep(p.Thin);
                        progress.Increment(p.Thin);
                        AppendSample(batch, pt, inst);
                    }
                    bool last = part == p.PartsPerInstance - 1;
                    var msg = new PtPart(part, firstPart + part, batch, Convert.ToBase64String(pt.SaveState()), last ? PtInstanceSummary.Of(inst, pt) : null);
                    Interlocked.Add(ref flips, (long)count * p.Thin * pt.Slots * pt.Chains * n);
                    if (!await BoundedStream.SendOrStopAsync(target, msg, token)) { batch.Dispose(); return; }
                }
            },
            consume: async (msg, token) =>
            {
                await writer.WritePartAsync(msg.GlobalPart, msg.Batch, token);
                if (msg.Summary is not null) ctx.WriteJson(SummaryFile(inst), msg.Summary);
                partHashes.Add(FileHasher.Sha256Hex(writer.PartPath(msg.GlobalPart)));
                SaveCheckpoint(ctx, new PtCheckpoint(msg.LocalPart + 1, msg.Summary is null ? msg.SamplerState : null) { PartHashes = [.. partHashes] });
            },
            capacity: 2,
            ctx.Cancellation,
            discard: msg => msg.Batch.Dispose());

        double seconds = clock.Elapsed.TotalSeconds;
        ctx.Extra["flip_attempts_per_second"] = (flips / Math.Max(seconds, 1e-9)).ToString("G4", CultureInfo.InvariantCulture);
        var parts = SpinDatasetWriter.CompletedParts(writer.Directory);
        if (parts.Count != p.PartsPerInstance || parts[0] != firstPart || !File.Exists(ctx.OutputPath(SummaryFile(inst))))
            throw new InvalidOperationException($"{ctx.Name}: instance {inst}: expected parts {firstPart}..{firstPart + p.PartsPerInstance - 1} and {SummaryFile(inst)}, found {parts.Count} part(s)");
        foreach (var part in parts)
            ctx.OutputRows[$"{SamplesDir}/{SpinDatasetWriter.PartFileName(part)}"] = PartRows(part, p, rowsPerSample);
    }

    /// <summary>Every instance's parts and summary, in instance order: the files a whole-stage run wrote.</summary>
    protected override Task GatherAsync(StageContext ctx, SkPtParameters p, IReadOnlyList<ShardArtifact> units)
    {
        ShardOutputs.CopyAll(ctx, units);
        return Task.CompletedTask;
    }

    /// <summary>The key/value metadata of every part (the same in every unit: it names every instance's couplings).</summary>
    private static Dictionary<string, string> Metadata(StageContext ctx, SkPtParameters p, IReadOnlyList<SkInstanceEntry> entries, TemperatureLadder ladder, int n) => new()
    {
        ["model"] = "sk",
        ["hamiltonian"] = "H = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i; energy column = H(s), magnetization = sum(s)/N",
        ["n"] = n.ToString(CultureInfo.InvariantCulture),
        ["couplings_sha256"] = string.Join(",", entries.Select(e => e.Hash)),
        ["sampler"] = "parallel-tempering/metropolis",
        ["sampler_settings"] = JsonSerializer.Serialize(p, JsonDefaults.Indented),
        ["temperatures"] = string.Join(",", ladder.Temperatures.Select(t => t.ToString("R", CultureInfo.InvariantCulture))),
        ["seed"] = ctx.Seed.ToString(CultureInfo.InvariantCulture),
        ["stage"] = ctx.Name,
    };

    /// <summary>Instance <paramref name="inst"/>'s sampler: its streams derive from (seed, stage/instance-i), never from other instances.</summary>
    private static ParallelTemperingOptions SamplerOptions(StageContext ctx, SkPtParameters p, TemperatureLadder ladder, int inst) => new(ladder)
    {
        Chains = p.Chains,
        Seed = ctx.Seed,
        StageName = $"{ctx.Name}/instance-{inst}",
        LocalFieldRefreshInterval = p.LocalFieldRefresh,
        MaxDegreeOfParallelism = p.Threads,
    };

    private static long PartRows(int globalPart, SkPtParameters p, long rowsPerSample)
    {
        int local = globalPart % p.PartsPerInstance;
        return Math.Min(p.SamplesPerPart, p.Samples - local * p.SamplesPerPart) * rowsPerSample;
    }

    private static void AppendSample(SpinBatch batch, ParallelTempering pt, int instance)
    {
        for (int c = 0; c < pt.Chains; c++)
            for (int k = 0; k < pt.Slots; k++)
            {
                var spins = PtDatasetSchema.Append(batch, new PtSample(instance, c, k, pt.WalkerAt(c, k), pt.Beta(k), pt.Temperature(k),
                                                                       pt.SweepsDone, pt.Energy(c, k), pt.Magnetisation(c, k)));
                pt.CopyPackedConfiguration(c, k, spins);
            }
    }

    public static string SummaryFile(int instance) => $"{SummaryDir}/instance-{instance:D3}.json";

    private static PtCheckpoint? LoadCheckpoint(StageContext ctx)
    {
        var path = Path.Combine(ctx.ScratchDirectory, CheckpointFile);
        if (!File.Exists(path)) return null;
        try
        {
            var cp = JsonSerializer.Deserialize<PtCheckpoint>(File.ReadAllText(path), JsonDefaults.Indented);
            if (cp is null || cp.NextPart < 0) throw new JsonException("no checkpoint record");
            return cp;
        }
        catch (Exception ex) when (ex is JsonException or IOException or DecoderFallbackException)
        {
            ctx.Log.Warn($"{ctx.Name}: checkpoint {path} is damaged ({ex.Message}); treating it as missing and starting over");
            return null;
        }
    }

    /// <summary>
    /// Where a resumed unit may continue: every reused part must still hash to what the checkpoint recorded when it
    /// was written (a part damaged since, or one the checkpoint has no hash for, is not trusted), the saved sampler
    /// state must decode, and a checkpoint past the last part needs the instance's summary on disk. The first failure
    /// restarts the instance, whose chains restart from their seeds and reproduce the same parts; a warning names the file.
    /// </summary>
    private static PtCheckpoint? VerifiedResumePoint(StageContext ctx, PtCheckpoint cp, SpinDatasetWriter writer, SkPtParameters p,
        UpstreamArtifact inputs, SkInstanceEntry entry, int inst, TemperatureLadder ladder)
    {
        int firstPart = inst * p.PartsPerInstance;
        int next = Math.Min(cp.NextPart, p.PartsPerInstance);
        string restart = $"resuming from part {firstPart} (start of instance {inst})";
        for (int part = 0; part < next; part++)
        {
            var path = writer.PartPath(firstPart + part);
            string? problem = !File.Exists(path) ? "is missing"
                : cp.PartHashes is not { } hashes || part >= hashes.Length ? "has no recorded hash in the checkpoint"
                : FileHasher.Sha256Hex(path) != hashes[part] ? "does not match the SHA-256 recorded when it was written" : null;
            if (problem is null) continue;
            ctx.Log.Warn($"{ctx.Name}: reused part {path} {problem}; {restart}");
            return null;
        }
        if (next == p.PartsPerInstance && !File.Exists(ctx.OutputPath(SummaryFile(inst))))
        {
            ctx.Log.Warn($"{ctx.Name}: every part of instance {inst} is on disk but its summary {SummaryFile(inst)} is not; {restart}");
            return null;
        }
        if (next > 0 && next < p.PartsPerInstance)
        {
            // Mid-instance: the sampler state must restore, else the instance restarts from its seeds.
            try
            {
                ParallelTempering.Restore(SkInstanceStore.Load(inputs, entry), SamplerOptions(ctx, p, ladder, inst), Convert.FromBase64String(cp.SamplerState ?? ""));
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException or ArgumentException or EndOfStreamException)
            {
                ctx.Log.Warn($"{ctx.Name}: the sampler state in checkpoint {Path.Combine(ctx.ScratchDirectory, CheckpointFile)} is damaged ({ex.Message}); {restart}");
                return null;
            }
        }
        return cp with { NextPart = next };
    }

    private static void SaveCheckpoint(StageContext ctx, PtCheckpoint cp) =>
        AtomicFile.WriteAllText(Path.Combine(ctx.ScratchDirectory, CheckpointFile), JsonSerializer.Serialize(cp, JsonDefaults.Indented));

    /// <summary>The unit's next part (0-based within its instance), and the sampler state after the last written part (null after the last part).</summary>
    private sealed record PtCheckpoint(int NextPart, string? SamplerState)
    {
        /// <summary>SHA-256 of every part of the instance written so far, in order: a resumed run re-verifies the parts it reuses.</summary>
        public string[]? PartHashes { get; init; }
    }

    private sealed record PtPart(int LocalPart, int GlobalPart, SpinBatch Batch, string SamplerState, PtInstanceSummary? Summary);
}
