using System.ComponentModel;
using System.Diagnostics;

namespace Boltzmann.Cli.Slurm;

/// <summary>
/// <see cref="ISlurmClient"/> over the SLURM command-line tools on PATH (sbatch, squeue, scontrol, scancel; SLURM_CONF
/// and the rest of the environment pass through). Job states come from squeue, and for jobs squeue no longer lists from
/// <c>scontrol show job</c>; sacct is not used: it needs the accounting daemon (slurmdbd), which clusters may not run.
/// </summary>
public sealed class SlurmCommands : ISlurmClient
{
    /// <summary>Whether sbatch is on PATH (the executor and the cluster tests need it).</summary>
    public static bool Available() => FindOnPath("sbatch") is not null;

    public static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    public string Submit(IReadOnlyList<string> sbatchArguments)
    {
        var (code, stdout, stderr) = Run("sbatch", ["--parsable", .. sbatchArguments]);
        if (code != 0) throw new SlurmException($"sbatch failed (exit {code}): {stderr.Trim()}");
        // --parsable prints "jobid" or "jobid;cluster".
        var id = stdout.Trim().Split(';')[0];
        if (id.Length == 0 || !id.All(char.IsAsciiDigit)) throw new SlurmException($"sbatch printed no job id: \"{stdout.Trim()}\"");
        return id;
    }

    public IReadOnlyList<SlurmTaskState> Query(IReadOnlyCollection<string> jobIds)
    {
        var wanted = jobIds.ToHashSet(StringComparer.Ordinal);
        var result = new List<SlurmTaskState>();
        if (wanted.Count == 0) return result;
        // One squeue call for every job it still lists (finished ones too, until MinJobAge): %F array id (the job id
        // for plain jobs), %K task id (N/A for plain jobs), %T state, %r reason.
        var (code, stdout, stderr) = Run("squeue", ["--noheader", "--states=all", "--array", "--format=%F|%K|%T|%r"]);
        if (code != 0) throw new SlurmException($"squeue failed (exit {code}): {stderr.Trim()}");
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split('|');
            if (f.Length < 4 || !wanted.Contains(f[0])) continue;
            result.Add(new SlurmTaskState(f[0], f[1] is "N/A" or "" ? null : f[1], f[2], f[3] is "None" ? "" : f[3]));
        }
        foreach (var id in wanted.Where(id => result.All(r => r.JobId != id)))
            result.AddRange(Show(id));
        return result;
    }

    /// <summary><c>scontrol show job -o ID</c>: one line of Key=Value pairs per job or array task.</summary>
    private static IEnumerable<SlurmTaskState> Show(string id)
    {
        var (code, stdout, _) = Run("scontrol", ["show", "job", "-o", id]);
        if (code != 0 || stdout.Trim().Length == 0) return [new SlurmTaskState(id, null, SlurmJobState.Unknown, "")];
        var states = new List<SlurmTaskState>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
            string? task = fields.TryGetValue("ArrayTaskId", out var t) ? t : null;
            states.Add(new SlurmTaskState(id, task, fields.GetValueOrDefault("JobState", SlurmJobState.Unknown),
                fields.GetValueOrDefault("Reason", "None") is "None" ? "" : fields["Reason"], fields.GetValueOrDefault("ExitCode")));
        }
        return states;
    }

    public void Cancel(IReadOnlyCollection<string> jobIds)
    {
        if (jobIds.Count == 0) return;
        var (code, _, stderr) = Run("scancel", [.. jobIds]);
        if (code != 0) throw new SlurmException($"scancel failed (exit {code}): {stderr.Trim()}");
    }

    /// <summary>Runs a SLURM tool; a tool that cannot be started or does not answer within 2 minutes is a <see cref="SlurmException"/>.</summary>
    internal static (int Code, string Out, string Err) Run(string tool, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                p.Kill(true);
                throw new SlurmException($"{tool} did not answer within 2 minutes");
            }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
        catch (Win32Exception e)
        {
            throw new SlurmException($"cannot run {tool} ({e.Message}); is SLURM installed and on PATH?");
        }
    }
}
