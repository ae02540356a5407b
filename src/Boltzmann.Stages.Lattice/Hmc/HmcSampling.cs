using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Boltzmann.Data.Lattice;
using Boltzmann.IO;
using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Physics.Actions;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Lattice.Hmc;

/// <summary>Fills the scalar columns of one stored configuration (schema order).</summary>
public delegate void ConfigurationScalars<TAction>(HmcPoint point, HmcChain<TAction> chain, HmcTrajectory trajectory, Span<double> scalars)
    where TAction : IContinuousAction;

/// <summary>
/// The sampling loop of the lattice HMC stages, mirroring the SK parallel-tempering stage: for every point, an
/// ensemble of independent chains (streams from (seed, stage/point, chain)) is burnt in and then advanced part by
/// part; each part's stored configurations stream through a bounded Dataflow block into a Parquet part file while
/// the next part is sampled, and after each written part the state of every chain (configuration, RNG, step size,
/// adaptation) is checkpointed, so a killed stage resumes bit for bit.
/// </summary>
public static class HmcSampling
{
    private const string CheckpointFile = "hmc-checkpoint.json";

    /// <summary>
    /// Runs the given points (all of a stage's, or the consecutive points of one unit of a sharded stage: part numbers
    /// and streams follow each point's <see cref="HmcPoint.Index"/> and label, so a unit writes exactly the parts a
    /// whole-stage run writes for its points); returns the measured throughput and the written parts.
    /// </summary>
    public static async Task<HmcSamplingSummary> RunAsync<TAction>(
        StageContext ctx, HmcRunParameters p, LatticeDatasetWriter writer, IReadOnlyList<HmcPoint> points,
        Func<HmcPoint, long, TAction> actionFor, Func<HmcPoint, long, double[]> initial, ConfigurationScalars<TAction> scalars)
        where TAction : IContinuousAction
    {
        int perPoint = p.PartsPerPoint;
        int first = points.Count == 0 ? 0 : points[0].Index;
        for (int i = 0; i < points.Count; i++)
            if (points[i].Index != first + i)
                throw new ArgumentException($"{ctx.Name}: HMC points must be consecutive; {points[i].Label} has index {points[i].Index}, expected {first + i}", nameof(points));
        int firstOfRun = first * perPoint;
        var checkpoint = ctx.Resuming ? LoadCheckpoint(ctx) : null;
        int nextPart = checkpoint?.NextPart ?? firstOfRun;
        foreach (int part in LatticeDatasetWriter.CompletedParts(writer.DirectoryPath).Where(i => i >= nextPart))
            File.Delete(writer.PartPath(part));
        if (checkpoint is not null) ctx.Log.Info($"{ctx.Name}: resuming at part {nextPart - firstOfRun} of {points.Count * perPoint}");

        long perPointTrajectories = (long)p.Chains * (p.BurnIn + p.Trajectories);
        using var progress = ctx.Progress.Start($"{ctx.Name}: HMC ({points.Count} points x {p.Chains} chains)", points.Count * perPointTrajectories, "trajectories");
        int doneParts = nextPart - firstOfRun;
        progress.SetValue(doneParts / perPoint * perPointTrajectories
            + (doneParts % perPoint == 0 ? 0 : (long)p.Chains * (p.BurnIn + (long)(doneParts % perPoint) * p.TrajectoriesPerPart)));
        int nScalars = writer.Schema.Scalars.Count, fieldLength = writer.Schema.FieldLength;
        var clock = Stopwatch.StartNew();
        long siteSteps = 0, forceEvaluations = 0, writtenValues = 0;
        var writeClock = new Stopwatch();

        await BoundedStream.RunAsync<HmcPart>(
            produce: async (target, token) =>
            {
                for (int pi = nextPart / perPoint - first; pi < points.Count; pi++)
                {
                    var point = points[pi];
                    string stream = $"{ctx.Name}/{point.Label}";
                    HmcEnsemble<TAction> ensemble;
                    int firstPart = point.Index * perPoint;
                    if (checkpoint is not null && nextPart > firstPart)
                    {
                        var states = checkpoint.ChainStates!.Select(s => HmcChainState.FromBytes(Convert.FromBase64String(s))).ToArray();
                        ensemble = new HmcEnsemble<TAction>(states.Select(s => new HmcChain<TAction>(actionFor(point, s.Chain), point.Options, s)), p.Threads);
                    }
                    else
                    {
                        ensemble = HmcEnsemble<TAction>.Create(c => actionFor(point, c), point.Options, ctx.Seed, stream, p.Chains, c => initial(point, c), p.Threads);
                        for (int done = 0; done < p.BurnIn; done += 50)
                        {
                            int k = Math.Min(50, p.BurnIn - done);
                            Run(ensemble, k, null, point, token);
                            progress.Increment((long)k * p.Chains);
                        }
                    }
                    for (int part = nextPart - firstPart; part < perPoint; part++)
                    {
                        int count = Math.Min(p.TrajectoriesPerPart, p.Trajectories - part * p.TrajectoriesPerPart);
                        int stored = count / p.Thin;
                        var rows = new double[p.Chains][];
                        var fields = new double[p.Chains][];
                        var filled = new int[p.Chains];
                        var accepted = new int[p.Chains];
                        for (int c = 0; c < p.Chains; c++) { rows[c] = new double[stored * (nScalars + 1)]; fields[c] = new double[stored * fieldLength]; }
                        Run(ensemble, count, (c, chain, t) =>
                        {
                            if (t.Accepted) accepted[c]++;
                            if ((t.Index - p.BurnIn + 1) % p.Thin != 0) return;
                            int r = filled[c]++;
                            rows[c][r * (nScalars + 1)] = t.Index;
                            scalars(point, chain, t, rows[c].AsSpan(r * (nScalars + 1) + 1, nScalars));
                            chain.Positions.CopyTo(fields[c].AsSpan(r * fieldLength, fieldLength));
                        }, point, token);
                        progress.Increment((long)count * p.Chains);
                        Interlocked.Add(ref siteSteps, (long)count * p.Chains * point.Options.Steps * fieldLength);
                        Interlocked.Add(ref forceEvaluations, (long)count * p.Chains * point.Options.Steps * (point.Options.Integrator == HmcIntegrator.Omelyan ? 2 : 1));
                        for (int c = 0; c < p.Chains; c++)
                        {
                            double rate = accepted[c] / (double)count;
                            if (rate < p.AcceptanceFloor)
                                throw new ChainAcceptanceException(point.Label, c, ensemble.Chains[c].Trajectories - 1, rate, p.AcceptanceFloor);
                        }
                        var batch = new LatticeBatch(writer.Schema, p.Chains * stored);
                        for (int c = 0; c < p.Chains; c++)
                            for (int r = 0; r < stored; r++)
                                batch.Add(c, (long)rows[c][r * (nScalars + 1)], rows[c].AsSpan(r * (nScalars + 1) + 1, nScalars), fields[c].AsSpan(r * fieldLength, fieldLength));
                        bool lastOfPoint = part == perPoint - 1;
                        var states = lastOfPoint ? null : ensemble.SaveStates().Select(s => Convert.ToBase64String(s.ToBytes())).ToArray();
                        var msg = new HmcPart(firstPart + part, batch, states, lastOfPoint
                            ? new HmcPointSummary(point.Label, ensemble.Chains.Select(ch => ch.StepSize).ToArray(),
                                ensemble.Chains.Select(ch => ch.Accepted / (double)ch.Trajectories).ToArray())
                            : null);
                        if (!await BoundedStream.SendOrStopAsync(target, msg, token)) return;
                    }
                    nextPart = (point.Index + 1) * perPoint;
                }
            },
            consume: async (msg, token) =>
            {
                writeClock.Start();
                await writer.WritePartAsync(msg.Part, msg.Batch, token);
                writeClock.Stop();
                writtenValues += (long)msg.Batch.Count * fieldLength;
                if (msg.Summary is not null) ctx.WriteJson($"summary/{msg.Summary.Label}.json", msg.Summary);
                SaveCheckpoint(ctx, new HmcCheckpoint(msg.Part + 1, msg.ChainStates));
            },
            capacity: 2,
            ctx.Cancellation);

        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        var parts = LatticeDatasetWriter.CompletedParts(writer.DirectoryPath);
        if (parts.Count != points.Count * perPoint)
            throw new InvalidOperationException($"{ctx.Name}: expected {points.Count * perPoint} parts, found {parts.Count}");
        ctx.Extra["hmc_site_leapfrog_updates_per_second"] = (siteSteps / seconds).ToString("G4", CultureInfo.InvariantCulture);
        ctx.Extra["hmc_force_evaluations_per_second"] = (forceEvaluations / seconds).ToString("G4", CultureInfo.InvariantCulture);
        if (writtenValues > 0)
            ctx.Extra["dataset_write_float32_per_second"] = (writtenValues / Math.Max(writeClock.Elapsed.TotalSeconds, 1e-9)).ToString("G4", CultureInfo.InvariantCulture);
        return new HmcSamplingSummary(siteSteps / seconds, parts);
    }

    private static void Run<TAction>(HmcEnsemble<TAction> ensemble, int trajectories, Action<int, HmcChain<TAction>, HmcTrajectory>? observe,
        HmcPoint point, CancellationToken token) where TAction : IContinuousAction
    {
        try { ensemble.Run(trajectories, observe, token); }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            var first = ex.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? ex.InnerExceptions[0];
            if (first is HmcDivergenceException d)
                throw new InvalidOperationException($"HMC at {point.Label}: {d.Message}", d);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        catch (HmcDivergenceException d)
        {
            throw new InvalidOperationException($"HMC at {point.Label}: {d.Message}", d);
        }
    }

    private static HmcCheckpoint? LoadCheckpoint(StageContext ctx)
    {
        var path = Path.Combine(ctx.ScratchDirectory, CheckpointFile);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<HmcCheckpoint>(File.ReadAllText(path), JsonDefaults.Indented); }
        catch (JsonException ex)
        {
            ctx.Log.Warn($"{ctx.Name}: unreadable checkpoint ({ex.Message}); starting over");
            return null;
        }
    }

    private static void SaveCheckpoint(StageContext ctx, HmcCheckpoint cp) =>
        AtomicFile.WriteAllText(Path.Combine(ctx.ScratchDirectory, CheckpointFile), JsonSerializer.Serialize(cp, JsonDefaults.Indented));

    /// <summary>Next part to write, and every chain's state after the last written part (null at a point boundary).</summary>
    private sealed record HmcCheckpoint(int NextPart, string[]? ChainStates);

    private sealed record HmcPart(int Part, LatticeBatch Batch, string[]? ChainStates, HmcPointSummary? Summary);
}

/// <summary>Sampler diagnostics of one point: the frozen step size and the overall acceptance of every chain.</summary>
public sealed record HmcPointSummary(string Label, double[] StepSizes, double[] Acceptance);

/// <summary>Throughput (site-leapfrog updates per second of wall time) and the written parts.</summary>
public sealed record HmcSamplingSummary(double SiteUpdatesPerSecond, IReadOnlyList<int> Parts);
