using Boltzmann.Cli.Slurm;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;
using Snapshooter;
using Snapshooter.Xunit;

namespace Boltzmann.Cli.Tests;

/// <summary>
/// The slurm executor against a fake scheduler: which stages become jobs, their dependencies, resources, job names and
/// logs, the dry-run text (snapshot of a paper profile), the job record, and failure handling under --wait.
/// </summary>
public class SlurmExecutorTests
{
    private const string RunFolder = "/cluster/data/runs/sk-flow/20260101T000000.000Z";
    private static readonly string[] Launcher = ["dotnet", "/repo/src/Boltzmann.Cli/bin/Release/net10.0/boltz.dll"];

    private static ResolvedPipeline Load(string name, string profile) =>
        new PipelineLoader(StageCatalog.CreateRegistry()).LoadFile(RepoPipelines.File(name), profile);

    private static SlurmPlan PlanWithCached(ResolvedPipeline p, string device, params string[] cachedStages)
    {
        var keys = PipelinePlan.Keys(p);
        var cached = cachedStages.Select(s => keys[s]).ToHashSet();
        return SlurmPlan.Build(p, p.Stages, keys, cached.Contains, SlurmExecutor.ShardUnits(p), RunFolder, new SlurmSettings(p.Profile, device, Launcher));
    }

    [Fact]
    public void DryRunOfTheSkFlowPaperProfileIsAReadableJobGraph()
    {
        // A fake cache state: the small system's instances, exact enumeration and PT data are already cached.
        var p = Load("sk-flow", Profiles.Paper);
        var plan = PlanWithCached(p, "cuda", "small-instances", "small-exact", "small-pt");
        var text = plan.Describe().Replace(Path.GetDirectoryName(p.File)!, "/repo/pipelines", StringComparison.Ordinal);
        Snapshot.Match(text.Split('\n'));
    }

    [Fact]
    public void MissingStagesBecomeJobsAfterTheirSubmittedUpstreamOnly()
    {
        var p = Load("sk-pt", Profiles.Smoke);
        var keys = PipelinePlan.Keys(p);
        var plan = PlanWithCached(p, "cpu", "small-instances");
        // Every stage but the cached one is a job; the two sharded PT stages are an array and a gather each.
        Assert.Equal(p.Stages.Count - 1 + 2, plan.Jobs.Count);
        var exact = plan.Jobs.Single(j => j.Stage.Name == "small-exact");
        Assert.Empty(exact.After); // its only upstream is cached
        var ptShards = plan.Jobs.Single(j => j.Stage.Name == "small-pt" && j.Role == JobRole.Shards);
        Assert.Empty(ptShards.After);
        var ptGather = plan.Jobs.Single(j => j.Stage.Name == "small-pt" && j.Role == JobRole.Gather);
        Assert.Equal([ptShards.Index], ptGather.After);
        var observables = plan.Jobs.Single(j => j.Stage.Name == "small-observables");
        Assert.Equal([exact.Index, ptGather.Index], observables.After); // on the gather, not on the array
        Assert.Equal($"sk-pt.small-exact.{keys["small-exact"].Short[..8]}", exact.JobName);
        Assert.Equal(Path.Combine(RunFolder, "small-exact.log"), exact.LogPath);
        Assert.Equal([.. Launcher, "run", p.File, "--stage", "small-exact", "--profile", "smoke", "--device", "cpu"], exact.Command);
        // A fully cached pipeline submits nothing.
        Assert.Empty(PlanWithCached(p, "cpu", [.. p.Stages.Select(s => s.Name)]).Jobs);
    }

    [Fact]
    public void ResourcesComeFromThePipelineFileOverTheKindDefaultsAndGpusOnlyForTensorStagesOnCuda()
    {
        var p = Load("sk-flow", Profiles.Smoke);
        var train = p.Stage("small-forward");
        var pt = p.Stage("small-pt");
        var cuda = new SlurmSettings("smoke", "cuda", Launcher);
        Assert.Equal(1, StageResourceDefaults.Resolve(train, cuda).Gpus);
        Assert.Equal(0, StageResourceDefaults.Resolve(pt, cuda).Gpus);
        Assert.Equal(0, StageResourceDefaults.Resolve(train, cuda with { Device = "cpu" }).Gpus);
        Assert.Equal(0, StageResourceDefaults.Resolve(p.Stage("small-figures"), cuda).Gpus);
        var overridden = train with { Resources = new StageResources(Cpus: 8, Time: "3-00:00:00") };
        var r = StageResourceDefaults.Resolve(overridden, cuda);
        Assert.Equal((8, "3-00:00:00", 1), (r.Cpus, r.Time, r.Gpus));
        Assert.Equal(StageResourceDefaults.For(train.Kind, "cuda").Memory, r.Memory);
        Assert.Equal("00:30:00", StageResourceDefaults.Resolve(overridden, cuda with { TimeLimit = "00:30:00" }).Time);

        var plan = SlurmPlan.Build(p, [train], new Dictionary<string, CacheKey> { [train.Name] = PipelinePlan.Keys(p)[train.Name] }, _ => false, _ => null,
            RunFolder, cuda with { Partition = "gpu", Account = "lattice" });
        var args = plan.SbatchArguments(plan.Jobs[0], []);
        Assert.Contains("--gres=gpu:1", args);
        Assert.Contains("--partition=gpu", args);
        Assert.Contains("--account=lattice", args);
        Assert.Equal(plan.Jobs[0].ScriptPath, args[^1]);
    }

    [Fact]
    public void ShardedStagesWithMissingUnitsBecomeAJobArrayThenAGather()
    {
        var p = Load("sk-pt", Profiles.Smoke);
        var keys = PipelinePlan.Keys(p);
        var pt = p.Stage("small-pt");
        var units = Enumerable.Range(0, 4).Select(i => new ShardPlanUnit(i, $"u{i}", CacheKey.Compute("unit", 1, new System.Text.Json.Nodes.JsonObject { ["i"] = i }, 1, new Dictionary<string, string>()))).ToList();
        var cachedUnits = new HashSet<CacheKey> { units[1].Key, keys["small-instances"] };
        var plan = SlurmPlan.Build(p, p.Closure(["small-pt"]), keys, cachedUnits.Contains, s => s.Name == pt.Name ? units : null, RunFolder,
            new SlurmSettings("smoke", "cpu", Launcher));
        Assert.Equal(2, plan.Jobs.Count);
        var (array, gather) = (plan.Jobs[0], plan.Jobs[1]);
        Assert.Equal(JobRole.Shards, array.Role);
        Assert.Equal([0, 2, 3], array.ArrayIndices);
        Assert.Equal(["--shard", "$SLURM_ARRAY_TASK_ID"], array.Command.TakeLast(2));
        Assert.Contains("--array=0,2,3", plan.SbatchArguments(array, []));
        Assert.EndsWith("small-pt.%A_%a.log", array.LogPath);
        Assert.Equal(JobRole.Gather, gather.Role);
        Assert.Equal([array.Index], gather.After);
        Assert.DoesNotContain("--shard", gather.Command);
        Assert.Contains("--dependency=afterok:17", plan.SbatchArguments(gather, ["17"]));
        // Every unit cached: only the gather is left.
        var allCached = SlurmPlan.Build(p, p.Closure(["small-pt"]), keys, k => k != keys["small-pt"], s => s.Name == pt.Name ? units : null, RunFolder,
            new SlurmSettings("smoke", "cpu", Launcher));
        Assert.Equal(JobRole.Gather, Assert.Single(allCached.Jobs).Role);
    }

    [Fact]
    public void SubmissionPassesUpstreamJobIdsAndRecordsEveryJob()
    {
        using var dir = new TempDirectory();
        var layout = new RepoLayout(dir.Path, dir.Combine("pipelines"), dir.Combine("data"), dir.Combine("artifacts"));
        var p = Load("sk-pt", Profiles.Smoke);
        var runFolder = SubmissionRecord.NewRunFolder(layout.Cache, p.Name, DateTimeOffset.UnixEpoch);
        var plan = SlurmPlan.Build(p, p.Stages, PipelinePlan.Keys(p), _ => false, _ => null, runFolder, new SlurmSettings("smoke", "cpu", Launcher));
        var slurm = new FakeSlurm();
        var record = SlurmSubmitter.Submit(plan, slurm, layout, TextWriter.Null);

        Assert.Equal(plan.Jobs.Count, slurm.Submitted.Count);
        var idOf = plan.Jobs.ToDictionary(j => j.Stage.Name, j => record.Jobs[j.Index].JobId);
        int observables = plan.Jobs.Single(j => j.Stage.Name == "small-observables").Index;
        Assert.Equal($"afterok:{idOf["small-exact"]}:{idOf["small-pt"]}", slurm.Option(observables, "--dependency"));
        Assert.Null(slurm.Option(plan.Jobs.Single(j => j.Stage.Name == "small-instances").Index, "--dependency"));

        var loaded = SubmissionRecord.Load(Path.Combine(runFolder, SubmissionRecord.FileName));
        Assert.Equal(record.Jobs, loaded.Jobs);
        Assert.Equal(record, Assert.Single(SubmissionRecord.All(layout.Cache, p.Name)) with { Jobs = record.Jobs });
        var script = File.ReadAllText(plan.Jobs[0].ScriptPath);
        Assert.Contains($"export BOLTZMANN_ROOT={layout.Root} BOLTZMANN_CACHE={layout.Cache}", script);
        Assert.Contains("--stage small-instances --profile smoke --device cpu", script);
    }

    [Fact]
    public void AFailedSbatchCancelsWhatWasAlreadySubmitted()
    {
        using var dir = new TempDirectory();
        var layout = new RepoLayout(dir.Path, dir.Combine("pipelines"), dir.Combine("data"), dir.Combine("artifacts"));
        var p = Load("sk-pt", Profiles.Smoke);
        var plan = SlurmPlan.Build(p, p.Stages, PipelinePlan.Keys(p), _ => false, _ => null, dir.Combine("run"), new SlurmSettings("smoke", "cpu", Launcher));
        var slurm = new RefusingSlurm(after: 2);
        var e = Assert.Throws<SlurmException>(() => SlurmSubmitter.Submit(plan, slurm, layout, TextWriter.Null));
        Assert.Contains("cancelled the 2 job(s) already submitted", e.Message);
        Assert.Equal(["101", "102"], slurm.Cancelled);
    }

    private sealed class RefusingSlurm(int after) : ISlurmClient
    {
        private readonly FakeSlurm _inner = new();
        public List<string> Cancelled => _inner.Cancelled;
        public string Submit(IReadOnlyList<string> a) =>
            _inner.Submitted.Count < after ? _inner.Submit(a) : throw new SlurmException("sbatch: error: Batch job submission failed: Invalid partition name specified");
        public IReadOnlyList<SlurmTaskState> Query(IReadOnlyCollection<string> jobIds) => _inner.Query(jobIds);
        public void Cancel(IReadOnlyCollection<string> jobIds) => _inner.Cancel(jobIds);
    }

    [Fact]
    public async Task WaitReportsTheFailedJobWithItsLogAndCancelsDependantsThatCanNeverRun()
    {
        var jobs = new[]
        {
            new SubmittedJob("small-instances", "a", "stage", "1", "/run/small-instances.log"),
            new SubmittedJob("small-pt", "b", "stage", "2", "/run/small-pt.log"),
            new SubmittedJob("small-observables", "c", "stage", "3", "/run/small-observables.log"),
            new SubmittedJob("large-train", "d", "shards", "4", "/run/large-train.%A_%a.log", "0,1"),
        };
        var record = new SubmissionRecord("sk-pt", "smoke", DateTimeOffset.UnixEpoch, "/run", jobs);
        var slurm = new ScriptedSlurm();
        var output = new StringWriter();
        var outcomes = await SlurmWait.UntilDoneAsync(slurm, record, TimeSpan.Zero, output, CancellationToken.None);

        var failed = outcomes.Where(o => !o.UpstreamFailed).OrderBy(o => o.Job.JobId).ToList();
        Assert.Equal(["2", "4"], failed.Select(f => f.Job.JobId));
        Assert.Equal("/run/small-pt.log", failed[0].Log);
        Assert.Equal("/run/large-train.4_1.log", failed[1].Log); // the failed array task's own log
        Assert.Equal("3", Assert.Single(outcomes, o => o.UpstreamFailed).Job.JobId);
        Assert.Equal(["3"], slurm.Cancelled);
        Assert.Contains("job 2 (small-pt, key b) FAILED: FAILED (exit 1:0); log: /run/small-pt.log", output.ToString());
        Assert.Contains("job 3 (small-observables) can never start", output.ToString());
    }

    /// <summary>Instances complete, PT fails, observables is left pending for ever, one array task of four times out.</summary>
    private sealed class ScriptedSlurm : ISlurmClient
    {
        private int _queries;
        public List<string> Cancelled { get; } = [];
        public string Submit(IReadOnlyList<string> a) => throw new NotSupportedException();
        public void Cancel(IReadOnlyCollection<string> jobIds) => Cancelled.AddRange(jobIds);

        public IReadOnlyList<SlurmTaskState> Query(IReadOnlyCollection<string> jobIds)
        {
            _queries++;
            var observables = Cancelled.Contains("3") ? new SlurmTaskState("3", null, SlurmJobState.Cancelled, "DependencyNeverSatisfied")
                : _queries == 1 ? new SlurmTaskState("3", null, SlurmJobState.Pending, "Dependency")
                : new SlurmTaskState("3", null, SlurmJobState.Pending, "DependencyNeverSatisfied");
            return
            [
                new("1", null, SlurmJobState.Completed, ""),
                _queries == 1 ? new("2", null, SlurmJobState.Running, "") : new("2", null, "FAILED", "NonZeroExitCode", "1:0"),
                observables,
                new("4", "0", SlurmJobState.Completed, ""),
                new("4", "1", "TIMEOUT", ""),
            ];
        }
    }

    [Fact]
    public void StatusSaysWhenSlurmNoLongerKnowsAJob()
    {
        Assert.Contains("sacct needs slurmdbd", SlurmStatus.Summary([new SlurmTaskState("9", null, SlurmJobState.Unknown, "")]));
        Assert.Equal("PENDING (Dependency)", SlurmStatus.Summary([new SlurmTaskState("9", null, SlurmJobState.Pending, "Dependency")]));
        Assert.Equal("2 COMPLETED, 1 RUNNING", SlurmStatus.Summary([
            new SlurmTaskState("9", "0", SlurmJobState.Completed, ""), new SlurmTaskState("9", "1", SlurmJobState.Running, ""),
            new SlurmTaskState("9", "2", SlurmJobState.Completed, "")]));
    }

    [Fact]
    public void ClusterOptionsWithoutTheSlurmExecutorAreUsageErrors()
    {
        using var boltz = new Boltz();
        boltz.CopyRepoPipeline("sk-pt");
        var run = boltz.Run("run", "sk-pt", "--profile", "smoke", "--partition", "gpu");
        Assert.Equal(2, run.Code);
        Assert.Contains("--partition needs --executor slurm", run.Err);
        var bad = boltz.Run("run", "sk-pt", "--profile", "smoke", "--executor", "slurm", "--dry-run", "--time-limit", "2h");
        Assert.Equal(2, bad.Code);
        Assert.Contains("--time-limit \"2h\" is not a SLURM time limit", bad.Err);
        Assert.False(Directory.Exists(boltz.Cache));
    }

    [Fact]
    public void ADryRunSubmitsNothingAndWritesNothing()
    {
        using var boltz = new Boltz();
        boltz.CopyRepoPipeline("sk-pt");
        var run = boltz.Run("run", "sk-pt", "--profile", "paper", "--executor", "slurm", "--dry-run");
        Assert.True(run.Code == 0, run.Err);
        // 10 instances per PT stage in the paper profile: each is an array of 10 units and a gather.
        Assert.Contains("9 to run as 11 SLURM job(s) (20 array task(s))", run.Out);
        Assert.Contains("job_small_observables=$(sbatch --parsable", run.Out);
        Assert.Contains("--array=0,1,2,3,4,5,6,7,8,9", run.Out);
        Assert.Contains("--dependency=afterok:$job_small_exact:$job_small_pt_gather", run.Out);
        Assert.Contains("dry run: nothing was submitted", run.Out);
        Assert.False(Directory.Exists(boltz.Cache));
    }
}
