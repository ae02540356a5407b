using System.Diagnostics;
using Boltzmann.Data.Cache;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Runs a resolved pipeline stage by stage in dependency order, through the content-addressed cache:
/// a verified cached output is reused; a missing or corrupt one is (re)computed under an inter-process
/// lock into a work directory that is renamed into place on success. Stages that publish (a
/// <c>publish/</c> folder in their output) are mirrored into <c>artifacts/&lt;pipeline&gt;/</c>.
/// </summary>
public sealed class PipelineRunner(ArtifactCache cache, IProgressSink progress, IRunLog log, string artifactsRoot)
{
    public const string PublishFolder = "publish";

    /// <summary>How long a lock may stay held with no live holder on record before a run gives up on it.</summary>
    public static readonly TimeSpan OrphanLockTimeout = TimeSpan.FromMinutes(30);

    public async Task<RunReport> RunAsync(ResolvedPipeline pipeline, RunOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
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

        string? published = Publish(pipeline, selected, done);
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
        var status = StageStatus.Computed;
        if (!force)
        {
            var lookup = cache.Lookup(key);
            if (lookup.Status == CacheLookupStatus.Hit)
            {
                done[stage.Name] = new UpstreamArtifact(stage, lookup.Artifact!.Directory, lookup.Artifact.Manifest);
                log.Info($"{stage.Name}: cached ({key.Short})");
                return new StageOutcome(stage.Name, stage.Kind.Kind, key.Short, StageStatus.Cached, clock.Elapsed, lookup.Artifact.Directory);
            }
            if (lookup.Status == CacheLookupStatus.Corrupt)
            {
                log.Warn($"{stage.Name}: cached output {key.Short} failed verification ({lookup.Reason}); recomputing");
                status = StageStatus.Recomputed;
            }
        }
        else status = StageStatus.Forced;

        // Without an explicit timeout a run waits for another run's lock as long as that run is alive (a stage can
        // take hours), saying who it is; the wait takes the token so Ctrl+C ends it at once.
        var wait = options.LockTimeout is { } fixedTimeout
            ? LockWait.Fixed(fixedTimeout) with { OnWaiting = m => log.Warn($"{stage.Name}: {m}") }
            : LockWait.WhileHolderAlive(OrphanLockTimeout, m => log.Warn($"{stage.Name}: {m}"));
        using var begin = await cache.BeginWriteAsync(key, wait, force, ct);
        if (begin.AlreadyCommitted)
        {
            // Another process finished this stage while we waited for the lock (or a killed run had
            // fully prepared its commit, which the cache completed).
            var existing = begin.Existing!;
            done[stage.Name] = new UpstreamArtifact(stage, existing.Directory, existing.Manifest);
            log.Info($"{stage.Name}: cached ({key.Short}, completed by another run)");
            return new StageOutcome(stage.Name, stage.Kind.Kind, key.Short, StageStatus.Cached, clock.Elapsed, existing.Directory);
        }
        var session = begin.Session!;
        log.Info($"{stage.Name}: {(session.Resumed ? "resuming" : "running")} {stage.Kind.Kind} ({key.Short})");

        var context = new StageContext
        {
            Pipeline = pipeline.Name,
            Profile = pipeline.Profile,
            Stage = stage,
            WorkDirectory = session.WorkDirectory,
            Resuming = session.Resumed,
            Upstream = stage.Upstream.ToDictionary(kv => kv.Key, kv => done[kv.Value], StringComparer.Ordinal),
            Progress = progress,
            Log = log,
            Device = options.Device,
            Cancellation = ct,
        };
        await stage.Kind.RunAsync(context, stage.Parameters);
        ct.ThrowIfCancellationRequested();

        foreach (var (file, rows) in context.OutputRows) session.RecordRows(file, rows);
        var manifest = ArtifactManifest.ForKey(key, stage.Name) with
        {
            Pipeline = pipeline.Name,
            Profile = pipeline.Profile,
            WallTimeSeconds = clock.Elapsed.TotalSeconds,
            GitCommit = GitCommitReader.TryRead(pipeline.File is { } f ? Path.GetDirectoryName(Path.GetFullPath(f))! : Directory.GetCurrentDirectory()),
            ToolVersion = typeof(PipelineRunner).Assembly.GetName().Version?.ToString(),
            PackageVersions = PackageVersions.FromLoadedAssemblies(PackageVersions.DefaultAssemblyNames),
            Extra = new Dictionary<string, string>(context.Extra, StringComparer.Ordinal),
        };
        var artifact = session.Commit(manifest);
        done[stage.Name] = new UpstreamArtifact(stage, artifact.Directory, artifact.Manifest);
        log.Info($"{stage.Name}: done in {ProgressText.FormatDuration(clock.Elapsed)} ({key.Short})");
        return new StageOutcome(stage.Name, stage.Kind.Kind, key.Short, status, clock.Elapsed, artifact.Directory);
    }

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
