using Boltzmann.Data.Figures;

namespace Boltzmann.Figures;

/// <summary>
/// One figure as listed in the figure index: what it shows, which pipeline made it, where its
/// picture and the tidy data it was drawn from live, and the metadata of the run.
/// Paths may be relative to the index directory or absolute (they are made relative when written).
/// </summary>
/// <param name="Figure">Figure id (unique within the index).</param>
/// <param name="Title">Human-readable title.</param>
/// <param name="Pipeline">Pipeline name; entries are grouped by it (empty: "(no pipeline)").</param>
/// <param name="ImagePath">The PNG picture.</param>
/// <param name="DataFiles">Data the figure was drawn from (.parquet, .csv, .json, ...).</param>
/// <param name="Metadata">Run metadata shown as a table (pipeline, profile, key, parameters).</param>
/// <param name="VectorImagePath">Optional SVG version of the picture.</param>
public sealed record FigureIndexEntry(
    string Figure,
    string Title,
    string Pipeline,
    string ImagePath,
    IReadOnlyList<string> DataFiles,
    IReadOnlyDictionary<string, string> Metadata,
    string? VectorImagePath = null)
{
    /// <summary>Metadata key that names the pipeline of a <see cref="FigureTable"/>.</summary>
    public const string PipelineKey = "pipeline";

    /// <summary>The entry of a rendered <paramref name="table"/>: id, title, metadata and pipeline (metadata key "pipeline") taken from it.</summary>
    public static FigureIndexEntry FromTable(FigureTable table, string imagePath, IReadOnlyList<string> dataFiles, string? vectorImagePath = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var metadata = table.Metadata ?? new Dictionary<string, string>();
        var pipeline = metadata.TryGetValue(PipelineKey, out var p) ? p : string.Empty;
        return new FigureIndexEntry(table.Figure, table.Title, pipeline, imagePath, dataFiles, metadata, vectorImagePath);
    }
}
