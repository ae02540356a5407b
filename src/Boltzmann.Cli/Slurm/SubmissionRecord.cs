using System.Globalization;
using System.Text.Json;
using Boltzmann.IO;

namespace Boltzmann.Cli.Slurm;

/// <summary>One submitted job: which stage (and key) it computes, its SLURM id and its log file (%A_%a for arrays).</summary>
public sealed record SubmittedJob(string Stage, string Key, string Role, string JobId, string Log, string? Array = null)
{
    /// <summary>The log of one array task, or the job's log.</summary>
    public string LogOf(string? taskId) =>
        Log.Replace("%A", JobId, StringComparison.Ordinal).Replace("%a", taskId ?? "", StringComparison.Ordinal);
}

/// <summary>
/// The jobs of one submission, kept as <c>jobs.json</c> in the submission's run folder under the cache
/// (<c>&lt;cache&gt;/runs/&lt;pipeline&gt;/&lt;UTC time&gt;/</c>), so <c>boltz status</c> and <c>boltz cancel</c> find them.
/// Rewritten (atomically) after every sbatch, so a submission that fails half-way still lists what it submitted.
/// </summary>
public sealed record SubmissionRecord(string Pipeline, string Profile, DateTimeOffset Submitted, string RunFolder, IReadOnlyList<SubmittedJob> Jobs)
{
    public const string FileName = "jobs.json";
    public const string RunsFolder = "runs";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A new run folder for a submission of <paramref name="pipeline"/> at <paramref name="now"/>.</summary>
    public static string NewRunFolder(string cacheRoot, string pipeline, DateTimeOffset now) =>
        Path.Combine(cacheRoot, RunsFolder, pipeline, now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture));

    public void Save() => AtomicFile.WriteAllText(Path.Combine(RunFolder, FileName), JsonSerializer.Serialize(this, Options));

    public static SubmissionRecord Load(string path) =>
        JsonSerializer.Deserialize<SubmissionRecord>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"'{path}' holds no job record");

    /// <summary>Every recorded submission of a pipeline, newest first (unreadable records are skipped).</summary>
    public static IReadOnlyList<SubmissionRecord> All(string cacheRoot, string pipeline)
    {
        var dir = Path.Combine(cacheRoot, RunsFolder, pipeline);
        if (!Directory.Exists(dir)) return [];
        var records = new List<SubmissionRecord>();
        foreach (var run in Directory.GetDirectories(dir).Order(StringComparer.Ordinal).Reverse())
        {
            var file = Path.Combine(run, FileName);
            if (!File.Exists(file)) continue;
            try { records.Add(Load(file)); }
            catch (Exception e) when (e is JsonException or IOException or InvalidDataException) { }
        }
        return records;
    }
}
