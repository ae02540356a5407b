using System.Text.RegularExpressions;
using Boltzmann.Pipelines.Config;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// What a stage asks a cluster scheduler for when it runs as a job: CPUs, memory, wall time, GPUs. Each value is
/// optional (null: the stage kind's default). Resources describe where a stage runs, never what it computes, so they
/// are not part of the cache key.
/// </summary>
/// <param name="Memory">A SLURM memory size: a whole number with an optional K, M, G or T suffix ("4G", "500M").</param>
/// <param name="Time">A SLURM time limit: "MM", "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM" or "D-HH:MM:SS".</param>
public sealed partial record StageResources(int? Cpus = null, string? Memory = null, string? Time = null, int? Gpus = null)
{
    /// <summary>The pipeline-file key of a stage's resource request.</summary>
    public const string Key = "resources";

    /// <summary>The values of this request, falling back to <paramref name="defaults"/> where it has none.</summary>
    public StageResources Over(StageResources defaults) =>
        new(Cpus ?? defaults.Cpus, Memory ?? defaults.Memory, Time ?? defaults.Time, Gpus ?? defaults.Gpus);

    /// <summary>Reads a stage's <c>resources</c> object, reporting unknown keys and bad values into the reader.</summary>
    public static StageResources Read(ParameterReader r)
    {
        int? cpus = r.Has("cpus") ? r.Int("cpus", min: 1, max: 4096) : Accepted(r, "cpus");
        int? gpus = r.Has("gpus") ? r.Int("gpus", min: 0, max: 64) : Accepted(r, "gpus");
        // A value that is not a string is already reported; only strings are checked for their format.
        int before = r.Errors.Count;
        string? memory = r.OptionalString("memory");
        if (memory is not null && r.Errors.Count == before && !MemoryPattern().IsMatch(memory))
            r.Error("memory", $"value \"{memory}\" is not allowed; must be a whole number of megabytes or one with a K, M, G or T suffix, e.g. \"4G\"");
        before = r.Errors.Count;
        string? time = r.OptionalString("time");
        if (time is not null && r.Errors.Count == before && !IsTime(time))
            r.Error("time", $"value \"{time}\" is not allowed; must be a SLURM time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, e.g. \"02:00:00\"");
        return new StageResources(cpus, memory, time, gpus);
    }

    /// <summary>Whether <paramref name="time"/> is a SLURM time limit of a positive length.</summary>
    public static bool IsTime(string time)
    {
        var m = TimePattern().Match(time);
        if (!m.Success) return false;
        // Minutes and seconds are below 60 and hours below 24 once a larger unit is given; the whole must not be zero.
        var parts = m.Groups.Cast<Group>().Skip(1).Select(g => g.Success ? long.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture) : 0).ToArray();
        return parts.Any(p => p > 0);
    }

    private static int? Accepted(ParameterReader r, string key)
    {
        r.Accept(key);
        return null;
    }

    [GeneratedRegex(@"^[1-9][0-9]{0,8}[KMGT]?$")]
    private static partial Regex MemoryPattern();

    // D-HH[:MM[:SS]] | HH:MM:SS | MM[:SS]
    [GeneratedRegex(@"^(?:([0-9]{1,4})-([01]?[0-9]|2[0-3])(?::([0-5]?[0-9]))?(?::([0-5]?[0-9]))?|([0-9]{1,5}):([0-5][0-9]):([0-5][0-9])|([0-9]{1,7})(?::([0-5][0-9]))?)$")]
    private static partial Regex TimePattern();
}
