namespace Boltzmann.Cli.Slurm;

/// <summary>How <c>boltz run --executor slurm</c> submits: scheduler options and what every job runs with.</summary>
/// <param name="TimeLimit">Overrides every job's time limit (--time-limit); null keeps the per-stage values.</param>
/// <param name="Launcher">The command that starts boltz inside a job, e.g. [dotnet, /repo/.../boltz.dll].</param>
public sealed record SlurmSettings(
    string Profile,
    string Device,
    IReadOnlyList<string> Launcher,
    string? Partition = null,
    string? Account = null,
    string? TimeLimit = null,
    bool Force = false)
{
    /// <summary>How this process was started: <c>dotnet boltz.dll</c> (the build's output) or an apphost.</summary>
    public static IReadOnlyList<string> CurrentLauncher()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(SlurmSettings).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, dll] : [process];
    }
}
