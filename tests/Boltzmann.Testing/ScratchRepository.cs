using System.Diagnostics;

namespace Boltzmann.Testing;

/// <summary>
/// A throwaway repository layout (Pipeline.sln, pipelines/, data/, artifacts/) in which the built boltz.dll runs as a
/// child process: the CLI tests run it to completion, the fault tests kill, signal and inspect it.
/// </summary>
public class ScratchRepository : IDisposable
{
    private readonly TempDirectory _directory;

    public ScratchRepository(string prefix)
    {
        _directory = new TempDirectory(prefix);
        File.WriteAllText(Path.Combine(Root, "Pipeline.sln"), "");
        Directory.CreateDirectory(Path.Combine(Root, "pipelines"));
    }

    public string Root => _directory.Path;
    public string Cache => Path.Combine(Root, "data");
    public string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>Extra environment of every child process (e.g. a font override).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string PipelineFile(string name) => Path.Combine(Root, "pipelines", name + ".json");

    public void CopyRepoPipeline(string name) => File.Copy(RepoPipelines.File(name), PipelineFile(name));

    public void WritePipeline(string name, string json) => File.WriteAllText(PipelineFile(name), json);

    /// <summary>
    /// How to start <c>boltz args</c> here: <paramref name="launcher"/> (default <c>dotnet</c>) with
    /// <paramref name="launcherArguments"/> before the boltz.dll path, both streams redirected, the repository, cache and
    /// artifacts pointed at this folder, CI mode, and <see cref="Environment"/>.
    /// </summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> args, string launcher = "dotnet", IEnumerable<string>? launcherArguments = null)
    {
        var psi = new ProcessStartInfo(launcher) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (var a in launcherArguments ?? []) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "boltz.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["BOLTZMANN_ROOT"] = Root;
        psi.Environment["BOLTZMANN_CACHE"] = Cache;
        psi.Environment["BOLTZMANN_ARTIFACTS"] = Artifacts;
        psi.Environment["CI"] = "true";
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs a process to completion (5 minutes at most) and returns its exit code and both streams.</summary>
    public static (int Code, string Out, string Err) RunToEnd(ProcessStartInfo psi)
    {
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException("boltz did not finish in 5 minutes"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }
}
