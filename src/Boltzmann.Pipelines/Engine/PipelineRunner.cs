using System.Diagnostics;
using Boltzmann.Data.Cache;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Runs a resolved pipeline stage by stage in dependency order, through the content-addressed cache:
/// a verified cached output is reused; a missing or corrupt one is (re)computed under an inter-process
/// lock into a work directory that is renamed into place on success. Stages that publish (a
/// <c>publish/</c> folder in their output) are mirrored into <c>artifacts/&lt;pipeline&gt;/</c>. A sharded stage
/// (<see cref="IShardedStageKind"/>) caches each unit under its own key through the same protocol, then gathers.
/// <paramref name="jobs"/>, when given, is asked whether a lock holder on another node that recorded a batch job id is
/// still alive (the CLI passes SLURM's squeue), so a lock left held by a dead job fails clearly instead of being waited for.
/// </summary>
public sealed class PipelineRunner(ArtifactCache cache, IProgressSink progress, IRunLog log, string artifactsRoot, IJobLivenessProbe? jobs = null)
{
    public const string PublishFolder = "publish";

    /// <summary>How long a lock may stay held with no live holder on record before a run gives up on it.</summary>
    public static readonly TimeSpan OrphanLockTimeout = TimeSpan.FromMinutes(30);

    public async Task<RunReport> RunAsync(ResolvedPipeline pipeline, RunOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (options.Shard is { } shard && PipelinePlan.ShardProblem(pipeline, options.Stages, shard) is { } problem)
            throw new ArgumentException(problem, nameof(options));
        var keys = PipelinePlan.Keys(pipeline);
        var selected = SelectStages(pipeline, options);
        var forced = options.Force
            ? new HashSet<string>(options.Stages ?? selected.Where(s => options.UpTo is null || s.Kind.Phase <= options.UpTo).Select(s => s.Name), StringComparer.Ordinal)
            : [];
        var done = new Dictionary<string, UpstreamArtifact>(StringComparer.Ordinal);
        var outcomes = new List<StageOutcome>();
        log.Info($"pipeline {pipeline.Name} (profile {pipeline.Profile}): {selected.Count} stage(s): {string.Join(" -> ", selected.Select(s => s.Name))}");

        foreach (var stage in selected)
        {
            ct.ThrowIfCancellationRequested();
            var key = keys[stage.Name];
            var outcome = await RunStageAsync(pipeline, stage, key, forced.Contains(stage.Name), done, options, ct);
            outcomes.Add(outcome);
        }

        // A unit run gathers nothing, so it has nothing new to publish; and the tasks of one job array must not
        // swap the same artifacts folder at once (the publish gate only serialises runs within one process).
        string? published = options.Shard is null ? Publish(pipeline, selected, done) : null;
        return new RunReport(pipeline.Name, pipeline.Profile, outcomes, clock.Elapsed, published);
    }

    private static List<ResolvedStage> SelectStages(ResolvedPipeline pipeline, RunOptions options)
    {
        IEnumerable<string> targets = options.Stages is { Count: > 0 }
            ? options.Stages
            : pipeline.Stages.Where(s => options.UpTo is null || s.Kind.Phase <= options.UpTo).Select(s => s.Name);
        return pipeline.Closure(targets).ToList();
    }

    private async Task<StageOutcome> RunStageAsync(
        ResolvedPipeline pipeline, ResolvedStage stage, CacheKey key, bool force,
        Dictionary<string, UpstreamArtifact> done, RunOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var upstream = stage.Upstream.ToDictionary(kv => kv.Key, kv => done[kv.Value], StringComparer.Ordinal);
        if (stage.Kind is IShardedStageKind sharded)
        {
            if (options.Shard is { } shard && options.Stages is [var only] && only == stage.Name)
                return await RunOneUnitAsync(pipeline, stage, sharded, key, shard, force, upstream, options, clock, ct);
            return await RunShardedAsync(pipeline, stage, sharded, key, force, upstream, done, options, clock, ct);
        }
        var (artifact, status) = await EnsureAsync(new Target(pipeline, stage, key, stage.Name, null), force, upstream, options,
            prepare: null, run: context => stage.Kind.RunAsync(context, stage.Parameters), ct);
        done[stage.Name] = new UpstreamArtifact(stage, artifact.Directory, artifact.Manifest);
        return new StageOutcome(stage.Name, stage.Kind.Kind, key.Short, status, clock.Elapsed, artifact.Directory);
    }

    /// <summary>
    /// A sharded stage without <see cref="RunOptions.Shard"/>: cached as a whole, or every unit reused (when committed,
    /// e.g. by the tasks of a job array) or computed in unit order, then gathered and committed under the stage's key.
    /// </summary>
    private async Task<StageOutcome> RunShardedAsync(
        ResolvedPipeline pipeline, ResolvedStage stage, IShardedStageKind sharded, CacheKey key, bool force,
        IReadOnlyDictionary<string, UpstreamArtifact> upstream, Dictionary<string, UpstreamArtifact> done, RunOptions options,
        Stopwatch clock, CancellationToken ct)
    {
        var units = PipelinePlan.ShardKeys(pipeline, stage, key);
        var artifacts = new List<ShardArtifact>(units.Count);
        var unitOutcomes = new List<StageOutcome>(units.Count);

        async Task ComputeUnits(CancellationToken token)
        {
            foreach (var (unit, unitKey) in units)
            {
                token.ThrowIfCancellationRequested();
                var unitClock = Stopwatch.StartNew();
                var (a, st) = await EnsureUnitAsync(pipeline, stage, sharded, unit, unitKey, force, upstream, options, token);
                artifacts.Add(new ShardArtifact(unit, a.Directory, a.Manifest));
                unitOutcomes.Add(new StageOutcome(UnitName(stage, unit), unitKey.Kind, unitKey.Short, st, unitClock.Elapsed, a.Directory));
            }
            log.Info($"{stage.Name}: {units.Count} unit(s): {unitOutcomes.Count(u => u.Status == StageStatus.Cached)} cached, " +
                     $"{unitOutcomes.Count(u => u.Status != StageStatus.Cached)} computed; gathering");
        }

        var (artifact, status) = await EnsureAsync(new Target(pipeline, stage, key, stage.Name, null), force, upstream, options,
            prepare: ComputeUnits, run: context => sharded.GatherAsync(context, stage.Parameters, artifacts), ct);
        done[stage.Name] = new UpstreamArtifact(stage, artifact.Directory, artifact.Manifest);
        return new StageOutcome(stage.Name, stage.Kind.Kind, key.Short, status, clock.Elapsed, artifact.Directory,
            unitOutcomes.Count > 0 ? unitOutcomes : null);
    }

    /// <summary><see cref="RunOptions.Shard"/>: only unit <paramref name="shard"/> of the stage, committed under its key; no gather.</summary>
    private async Task<StageOutcome> RunOneUnitAsync(
        ResolvedPipeline pipeline, ResolvedStage stage, IShardedStageKind sharded, CacheKey key, int shard, bool force,
        IReadOnlyDictionary<string, UpstreamArtifact> upstream, RunOptions options, Stopwatch clock, CancellationToken ct)
    {
        var units = PipelinePlan.ShardKeys(pipeline, stage, key);
        if (shard < 0 || shard >= units.Count)
            throw new ArgumentOutOfRangeException(nameof(options), shard, PipelinePlan.ShardProblem(pipeline, options.Stages, shard));
        var (unit, unitKey) = units[shard];
        var (artifact, status) = await EnsureUnitAsync(pipeline, stage, sharded, unit, unitKey, force, upstream, options, ct);
        var outcome = new StageOutcome(UnitName(stage, unit), unitKey.Kind, unitKey.Short, status, clock.Elapsed, artifact.Directory);
        return outcome with { Units = [outcome] };
    }

    private Task<(Artifact Artifact, StageStatus Status)> EnsureUnitAsync(
        ResolvedPipeline pipeline, ResolvedStage stage, IShardedStageKind sharded, ShardUnit unit, CacheKey unitKey, bool force,
        IReadOnlyDictionary<string, UpstreamArtifact> upstream, RunOptions options, CancellationToken ct) =>
        EnsureAsync(new Target(pipeline, stage, unitKey, UnitName(stage, unit), unit), force, upstream, options,
            prepare: null, run: context => sharded.RunUnitAsync(context, stage.Parameters, unit), ct);

    private static string UnitName(ResolvedStage stage, ShardUnit unit) => $"{stage.Name}[{unit.Label}]";

    /// <summary>What <see cref="EnsureAsync"/> produces: a stage's output, or (with <paramref name="Unit"/>) one unit's.</summary>
    private sealed record Target(ResolvedPipeline Pipeline, ResolvedStage Stage, CacheKey Key, string Name, ShardUnit? Unit);

    /// <summary>
    /// The cache protocol every output goes through: a verified cached artifact is reused; otherwise
    /// <paramref name="prepare"/> runs (a sharded stage's units), the key's lock is taken, and <paramref name="run"/>
    /// writes into the key's work directory, which is committed (renamed into place) only when it finished.
    /// </summary>
    private async Task<(Artifact Artifact, StageStatus Status)> EnsureAsync(
        Target target, bool force, IReadOnlyDictionary<string, UpstreamArtifact> upstream, RunOptions options,
        Func<CancellationToken, Task>? prepare, Func<StageContext, Task> run, CancellationToken ct)
    {
        var (pipeline, stage, key, name, unit) = target;
        var clock = Stopwatch.StartNew();
        var status = StageStatus.Computed;
        if (!force)
        {
            var lookup = cache.Lookup(key);
            if (lookup.Status == CacheLookupStatus.Hit)
            {
                log.Info($"{name}: cached ({key.Short})");
                return (lookup.Artifact!, StageStatus.Cached);
            }
            if (lookup.Status == CacheLookupStatus.Corrupt)
            {
                log.Warn($"{name}: cached output {key.Short} failed verification ({lookup.Reason}); recomputing");
                status = StageStatus.Recomputed;
            }
        }
        else status = StageStatus.Forced;

        if (prepare is not null) await prepare(ct);

        // Without an explicit timeout a run waits for another run's lock as long as that run is alive (a stage can
        // take hours), saying who it is; the wait takes the token so Ctrl+C ends it at once.
        var wait = options.LockTimeout is { } fixedTimeout
            ? LockWait.Fixed(fixedTimeout) with { OnWaiting = m => log.Warn($"{name}: {m}") }
            : LockWait.WhileHolderAlive(OrphanLockTimeout, m => log.Warn($"{name}: {m}"), jobs);
        using var begin = await cache.BeginWriteAsync(key, wait, force, ct);
        if (begin.AlreadyCommitted)
        {
            // Another process finished this output while we waited for the lock (or a killed run had
            // fully prepared its commit, which the cache completed).
            log.Info($"{name}: cached ({key.Short}, completed by another run)");
            return (begin.Existing!, StageStatus.Cached);
        }
        var session = begin.Session!;
        log.Info($"{name}: {(session.Resumed ? "resuming" : "running")} {key.Kind} ({key.Short})");

        var context = new StageContext
        {
            Pipeline = pipeline.Name,
            Profile = pipeline.Profile,
            Stage = stage,
            WorkDirectory = session.WorkDirectory,
            Resuming = session.Resumed,
            Upstream = upstream,
            Progress = unit is null ? progress : new UnitProgress(progress, unit.Label),
            Log = log,
            Device = options.Device,
            Cancellation = ct,
        };
        await run(context);
        ct.ThrowIfCancellationRequested();

        foreach (var (file, rows) in context.OutputRows) session.RecordRows(file, rows);
        var extra = new Dictionary<string, string>(context.Extra, StringComparer.Ordinal);
        if (unit is not null) extra[UnitLabelExtra] = unit.Label;
        var manifest = ArtifactManifest.ForKey(key, stage.Name) with
        {
            Pipeline = pipeline.Name,
            Profile = pipeline.Profile,
            WallTimeSeconds = clock.Elapsed.TotalSeconds,
            GitCommit = GitCommitReader.TryRead(pipeline.File is { } f ? Path.GetDirectoryName(Path.GetFullPath(f))! : Directory.GetCurrentDirectory()),
            ToolVersion = typeof(PipelineRunner).Assembly.GetName().Version?.ToString(),
            PackageVersions = PackageVersions.FromLoadedAssemblies(PackageVersions.DefaultAssemblyNames),
            Extra = extra,
        };
        var artifact = session.Commit(manifest);
        log.Info($"{name}: done in {ProgressText.FormatDuration(clock.Elapsed)} ({key.Short})");
        return (artifact, status);
    }

    /// <summary>The manifest extra naming the unit a unit artifact holds (its <see cref="ShardUnit.Label"/>).</summary>
    public const string UnitLabelExtra = "unit";

    /// <summary>
    /// Serialises publishing within a process: two runs of one pipeline (sharing the cache, e.g. from two threads)
    /// would otherwise swap the same artifacts folder at the same time.
    /// </summary>
    private static readonly Lock PublishGate = new();

    /// <summary>Mirrors every selected stage's publish/ folder into artifacts/&lt;pipeline&gt;/&lt;stage&gt;/ (atomic swap).</summary>
    private string? Publish(ResolvedPipeline pipeline, IReadOnlyList<ResolvedStage> selected, Dictionary<string, UpstreamArtifact> done)
    {
        lock (PublishGate) return PublishLocked(pipeline, selected, done);
    }

    private string? PublishLocked(ResolvedPipeline pipeline, IReadOnlyList<ResolvedStage> selected, Dictionary<string, UpstreamArtifact> done)
    {
        string target = Path.Combine(artifactsRoot, pipeline.Name);
        bool any = false;
        foreach (var stage in selected)
        {
            var artifact = done[stage.Name].Directory;
            var source = Path.Combine(artifact, PublishFolder);
            // A stage that publishes nothing has an artifact without publish/. An artifact that is gone (a
            // concurrent `boltz clean`, a hand deletion) must fail the run: reporting success would leave the
            // figures of this stage unpublished without a word.
            if (!Directory.Exists(artifact))
                throw new PublishException(stage.Name, Path.Combine(target, stage.Name),
                    new DirectoryNotFoundException($"the cached output '{artifact}' of stage '{stage.Name}' vanished before it was published (removed by a concurrent clean?); rerun to recompute it"));
            if (!Directory.Exists(source)) continue;
            any = true;
            var dest = Path.Combine(target, stage.Name);
            var tmp = dest + $".tmp-{Environment.ProcessId}";
            var old = dest + $".old-{Environment.ProcessId}";
            var movedAside = false;
            try
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
                CopyDirectory(source, tmp);
                if (Directory.Exists(dest)) { Directory.Move(dest, old); movedAside = true; }
                Directory.Move(tmp, dest);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Leave artifacts/ as it was: drop the staging copy and put the previous publication back.
                TryDelete(tmp);
                if (movedAside && !Directory.Exists(dest))
                    try { Directory.Move(old, dest); } catch (Exception r) when (r is IOException or UnauthorizedAccessException) { }
                throw new PublishException(stage.Name, dest, e);
            }
            if (Directory.Exists(old)) Directory.Delete(old, true);
            log.Info($"{stage.Name}: published to {dest}");
        }
        return any ? target : null;
    }

    private void TryDelete(string directory)
    {
        try { if (Directory.Exists(directory)) Directory.Delete(directory, true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warn($"could not remove the partial publication '{directory}': {e.Message}");
        }
    }

    private static void CopyDirectory(string source, string dest)
    {
        Directory.CreateDirectory(dest);
        foreach (var f in Directory.GetFiles(source))
            if (!Boltzmann.IO.AtomicFile.IsTemporary(Path.GetFileName(f))) File.Copy(f, Path.Combine(dest, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(source)) CopyDirectory(d, Path.Combine(dest, Path.GetFileName(d)));
    }
}
