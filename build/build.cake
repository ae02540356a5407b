// The project's target graph. Each target is a few lines that call the CLI (boltz) or dotnet;
// the logic lives in tested C# under src/. Print the graph with: ./build.sh Targets
//
//   Restore -> Compile -> Test
//                      -> Generate | Train | Evaluate | Figures | Reproduce   (stage phases: each runs
//                         every stage up to its phase; upstream stages come from the cache)
//                      -> Regression (smoke profile end to end + slow statistical tests)
//                      -> Bench
//   Clean
var target = Argument("target", "Test");
var pipeline = Argument("pipeline", "all");
var profile = Argument("profile", "default");
var device = Argument("device", "auto");
var configuration = Argument("configuration", "Release");
var torchBackend = Argument("torch-backend", EnvironmentVariable("TORCH_BACKEND") ?? "cpu");
var force = HasArgument("force");
// --executor slurm submits the stages as SLURM jobs (boltz run --executor slurm); --partition/--account/--time-limit pass through.
var executor = Argument("executor", "local");
string ClusterArgs() => executor == "local" ? "" :
    $" --executor {executor} --wait" + string.Concat(new[] { "partition", "account", "time-limit" }.Where(HasArgument).Select(a => $" --{a} {Argument<string>(a)}"));
var ci = !string.IsNullOrEmpty(EnvironmentVariable("CI"));
var root = MakeAbsolute(Directory("..")).FullPath;
var solution = $"{root}/Pipeline.sln";
var cli = $"{root}/src/Boltzmann.Cli/bin/{configuration}/net10.0/boltz.dll";

void Boltz(string arguments)
{
    var code = StartProcess("dotnet", new ProcessSettings { Arguments = $"\"{cli}\" {arguments}", WorkingDirectory = root });
    if (code != 0) throw new Exception($"boltz {arguments} failed with exit code {code}");
}

string RunArgs(string phase) =>
    $"run {pipeline} --until {phase} --profile {profile} --device {device}" + (force ? " --force" : "") + ClusterArgs();

var msbuild = new DotNetMSBuildSettings().WithProperty("TorchBackend", torchBackend);

Task("Restore")
    .Description("Restores NuGet packages exactly as locked (locked mode on CI).")
    .Does(() => DotNetRestore(solution, new DotNetRestoreSettings { LockedMode = ci && torchBackend == "cpu", MSBuildSettings = msbuild }));

Task("Compile")
    .Description("Builds every project.")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true, MSBuildSettings = msbuild }));

Task("Test")
    .Description("Runs the default test suite (slow statistical tests excluded; see Regression).")
    .IsDependentOn("Compile")
    .Does(() => DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration, NoBuild = true, NoRestore = true, Filter = "Category!=Slow",
        Loggers = new[] { "console;verbosity=normal" },
    }));

// Each phase target is one boltz call: running "up to a phase" includes every earlier stage it needs
// (cached ones are reused), so the phases need not invoke each other.
Task("Generate").Description("Monte Carlo data stages.").IsDependentOn("Compile").Does(() => Boltz(RunArgs("generate")));
Task("Train").Description("Training stages (neural samplers) and the data they need.").IsDependentOn("Compile").Does(() => Boltz(RunArgs("train")));
Task("Evaluate").Description("Estimator stages and everything upstream.").IsDependentOn("Compile").Does(() => Boltz(RunArgs("evaluate")));
Task("Figures").Description("Figure data and pictures, published to artifacts/.").IsDependentOn("Compile").Does(() => Boltz(RunArgs("figures")));
Task("Reproduce").Description("Every stage of every pipeline (or --pipeline NAME).").IsDependentOn("Compile").Does(() => Boltz(RunArgs("figures")));

Task("Regression")
    .Description("Smoke profile end to end, then the slow statistical tests.")
    .IsDependentOn("Compile")
    .Does(() =>
    {
        Boltz($"run {pipeline} --profile smoke --device {device}" + (force ? " --force" : ""));
        DotNetTest(solution, new DotNetTestSettings { Configuration = configuration, NoBuild = true, NoRestore = true, Filter = "Category=Slow" });
    });

Task("Bench")
    .Description("Throughput figures (PT flips/s, Parquet, RealNVP, ARNN), then the end-to-end time of sk-flow (or --pipeline) from an empty cache.")
    .IsDependentOn("Compile")
    .Does(() =>
    {
        Boltz("bench");
        Boltz($"bench --pipeline {(pipeline == "all" ? "sk-flow" : pipeline)} --profile {profile}");
    });

Task("Clean")
    .Description("Removes build outputs, the cache (data/) and artifacts/.")
    .Does(() =>
    {
        if (FileExists(cli)) Boltz("clean --all");
        DotNetClean(solution, new DotNetCleanSettings { Configuration = configuration });
    });

Task("Targets")
    .Description("Prints the target graph.")
    .Does(() =>
    {
        foreach (var t in Tasks)
            Information($"{t.Name,-11} <- [{string.Join(", ", t.Dependencies.Select(d => d.Name))}]  {t.Description}");
    });

RunTarget(target);
