using System.Diagnostics;

namespace Boltzmann.Cli.Tests;

/// <summary>Runs the built boltz.dll in a throwaway repository layout and captures exit code and output.</summary>
public sealed class Boltz : IDisposable
{
    private readonly TempDirectory _directory = new("boltz-cli-");

    public Boltz()
    {
        File.WriteAllText(Path.Combine(Root, "Pipeline.sln"), "");
        Directory.CreateDirectory(Path.Combine(Root, "pipelines"));
    }

    public string Root => _directory.Path;
    public string Cache => Path.Combine(Root, "data");
    public string Artifacts => Path.Combine(Root, "artifacts");

    public void CopyRepoPipeline(string name) => File.Copy(RepoPipelines.File(name), Path.Combine(Root, "pipelines", name + ".json"));

    public void WritePipeline(string name, string json) => File.WriteAllText(Path.Combine(Root, "pipelines", name + ".json"), json);

    public (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "boltz.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["BOLTZMANN_ROOT"] = Root;
        psi.Environment["BOLTZMANN_CACHE"] = Cache;
        psi.Environment["BOLTZMANN_ARTIFACTS"] = Artifacts;
        psi.Environment["CI"] = "true";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException("boltz did not finish in 5 minutes"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose() => _directory.Dispose();
}
