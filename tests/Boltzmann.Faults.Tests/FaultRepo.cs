using System.Diagnostics;
using System.Security.Cryptography;
using Boltzmann.Cli;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Faults.Tests;

/// <summary>A scratch repository whose boltz child processes a test can kill, signal and inspect afterwards.</summary>
public sealed class FaultRepo() : ScratchRepository("boltz-faults-")
{
    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The cache keys of a pipeline's stages for a profile, computed exactly as boltz computes them.</summary>
    public IReadOnlyDictionary<string, CacheKey> Keys(string pipeline, string profile = Profiles.Smoke) =>
        PipelinePlan.Keys(Load(pipeline, profile));

    /// <summary>The unit keys of a sharded stage, in unit order (each unit computes in its own work directory).</summary>
    public IReadOnlyList<CacheKey> UnitKeys(string pipeline, string stage, string profile = Profiles.Smoke) =>
        [.. PipelinePlan.ShardKeys(Load(pipeline, profile), stage).Select(u => u.Key)];

    private ResolvedPipeline Load(string pipeline, string profile) =>
        new PipelineLoader(StageCatalog.CreateRegistry()).LoadFile(PipelineFile(pipeline), profile);

    public (int Code, string Out, string Err) Run(params string[] args)
    {
        using var p = Start(args);
        return p.WaitForExit(TimeSpan.FromMinutes(5));
    }

    public RunningBoltz Start(params string[] args) => new(Process.Start(StartInfo(args))!);

    /// <summary>
    /// Relative path -> SHA-256 of every file under <paramref name="directory"/>, leaving out what legitimately differs
    /// between two equal runs: manifests (times, wall clock), lock files and holder records, and trash.
    /// </summary>
    public static SortedDictionary<string, string> Outputs(string directory)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(directory)) return result;
        foreach (var f in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(directory, f).Replace('\\', '/');
            if (rel.Contains("/.locks/") || rel.Contains("/.trash/") || Path.GetFileName(f) == ArtifactCache.ManifestFileName) continue;
            result[rel] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)));
        }
        return result;
    }

    /// <summary>Every file and folder under a directory with its content hash (folders as "dir"), for "nothing changed" checks.</summary>
    public static SortedDictionary<string, string> Tree(string directory)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(directory)) return result;
        foreach (var e in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(directory, e).Replace('\\', '/');
            result[rel] = Directory.Exists(e) ? "dir" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(e)));
        }
        return result;
    }

}

/// <summary>A boltz child process whose output lines are collected as they arrive.</summary>
public sealed class RunningBoltz : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];

    internal RunningBoltz(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Out { get { lock (_out) return string.Join('\n', _out); } }
    public string Err { get { lock (_err) return string.Join('\n', _err); } }

    /// <summary>
    /// Polls <paramref name="condition"/> (every 5 ms, no fixed sleeps) until it holds; fails if the process exits first
    /// or <paramref name="timeout"/> passes (generous: the machine may be shared and slow).
    /// </summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited && !condition())
                throw new InvalidOperationException($"boltz exited (code {_process.ExitCode}) before {what}.\nstdout:\n{Out}\nstderr:\n{Err}");
            if (clock.Elapsed > (timeout ?? TimeSpan.FromMinutes(3)))
                throw new TimeoutException($"boltz did not reach '{what}' in {clock.Elapsed}.\nstdout:\n{Out}\nstderr:\n{Err}");
            Thread.Sleep(5);
        }
    }

    public void WaitForOutput(string text, TimeSpan? timeout = null) => WaitUntil(() => Out.Contains(text, StringComparison.Ordinal), $"stdout shows \"{text}\"", timeout);

    public void WaitForError(string text, TimeSpan? timeout = null) => WaitUntil(() => Err.Contains(text, StringComparison.Ordinal), $"stderr shows \"{text}\"", timeout);

    /// <summary>SIGKILL: no handler runs, nothing is flushed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Sends a POSIX signal (e.g. "INT" for Ctrl+C) to the process.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    public (int Code, string Out, string Err) WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(true);
            throw new TimeoutException($"boltz did not finish in {timeout}.\nstdout:\n{Out}\nstderr:\n{Err}");
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        return (_process.ExitCode, Out, Err);
    }

    public void Dispose()
    {
        if (!_process.HasExited) { try { _process.Kill(true); } catch (InvalidOperationException) { } }
        _process.Dispose();
    }
}
