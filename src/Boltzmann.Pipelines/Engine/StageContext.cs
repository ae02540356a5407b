using Boltzmann.IO;
using System.Text.Json;
using Boltzmann.Data.Cache;
using Boltzmann.Data.Tables;
using Boltzmann.Random;

namespace Boltzmann.Pipelines.Engine;

/// <summary>An upstream stage's committed output, as a downstream stage sees it.</summary>
public sealed record UpstreamArtifact(ResolvedStage Stage, string Directory, ArtifactManifest Manifest)
{
    public T Parameters<T>() where T : class => (T)Stage.Parameters;

    public string PathOf(string relative) => Path.Combine(Directory, relative);
}

/// <summary>
/// Everything a running stage may touch. Outputs go to <see cref="WorkDirectory"/> (renamed atomically
/// into the cache on success); checkpoints go to <see cref="ScratchDirectory"/>, which survives a killed
/// run (so the stage can resume) and is deleted on commit.
/// </summary>
public sealed class StageContext
{
    public required string Pipeline { get; init; }
    public required string Profile { get; init; }
    public required ResolvedStage Stage { get; init; }
    public required string WorkDirectory { get; init; }
    public required bool Resuming { get; init; }
    public required IReadOnlyDictionary<string, UpstreamArtifact> Upstream { get; init; }
    public required IProgressSink Progress { get; init; }
    public required IRunLog Log { get; init; }
    public required string Device { get; init; }
    public required CancellationToken Cancellation { get; init; }

    public string Name => Stage.Name;
    public ulong Seed => Stage.Seed;

    public string ScratchDirectory
    {
        get
        {
            var dir = Path.Combine(WorkDirectory, ArtifactCache.ScratchDirectoryName);
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>Row counts per output file (relative path), recorded in the manifest.</summary>
    public Dictionary<string, long> OutputRows { get; } = new(StringComparer.Ordinal);

    /// <summary>Free-form facts recorded in the manifest (e.g. measured throughput).</summary>
    public Dictionary<string, string> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>A random stream derived from (stage seed, stage name, purpose, replica, chain).</summary>
    public RandomStream Stream(string purpose, long replica = 0, long chain = 0) =>
        RandomStreams.For(Seed, $"{Name}/{purpose}", replica, chain);

    public UpstreamArtifact Input(string role) =>
        Upstream.TryGetValue(role, out var a) ? a : throw new InvalidOperationException($"Stage \"{Name}\" has no input \"{role}\".");

    public string OutputPath(string relative)
    {
        var path = Path.Combine(WorkDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>
    /// Writes a result table as <paramref name="name"/>.parquet plus its CSV twin (<see cref="TableFile"/>) and
    /// records both row counts in the manifest. This is the one way a stage writes a table, so every table's
    /// files and counts follow the same convention and none goes unrecorded.
    /// </summary>
    /// <param name="name">Path relative to the work directory, without extension (e.g. "exact/thermo").</param>
    /// <returns>The number of rows written.</returns>
    public long WriteTable(string name, TableBuilder table, IReadOnlyDictionary<string, string>? metadata = null)
    {
        TableFile.Write(table.Build(), OutputPath(name), metadata);
        RecordTableRows(name, table.Rows);
        return table.Rows;
    }

    /// <summary>
    /// <see cref="WriteTable"/> for tables that may legitimately be empty (no loss logs, no temperature in range):
    /// a table without rows has no columns, so it is not written and readers treat a missing table as empty.
    /// </summary>
    /// <returns>True when the table had rows and was written.</returns>
    public bool WriteTableIfAny(string name, TableBuilder table, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (table.Rows == 0) return false;
        WriteTable(name, table, metadata);
        return true;
    }

    /// <summary>
    /// Records the row counts of a table written by <see cref="WriteTable"/>, e.g. one kept from an interrupted
    /// run that a resumed stage does not write again.
    /// </summary>
    public void RecordTableRows(string name, long rows)
    {
        OutputRows[name + TableFile.ParquetExtension] = rows;
        OutputRows[name + TableFile.CsvExtension] = rows;
    }

    /// <summary>Writes a JSON document atomically (temp file, then rename) into the work directory.</summary>
    public void WriteJson<T>(string relative, T value)
    {
        var path = OutputPath(relative);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, JsonDefaults.Indented));
    }
}
