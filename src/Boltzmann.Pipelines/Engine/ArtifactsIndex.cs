using Boltzmann.Data.Figures;
using Boltzmann.Figures;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Rebuilds artifacts/index.md and artifacts/index.html from every published figure
/// (artifacts/&lt;pipeline&gt;/&lt;stage&gt;/&lt;figure&gt;.parquet with its .png beside it), so one page lists
/// every figure of every pipeline that has been run, with links to its data files.
/// </summary>
public static class ArtifactsIndex
{
    /// <returns>The path of index.html, or null when nothing has been published.</returns>
    public static string? Update(string artifactsRoot)
    {
        if (!Directory.Exists(artifactsRoot)) return null;
        var entries = new List<FigureIndexEntry>();
        foreach (var parquet in Directory.EnumerateFiles(artifactsRoot, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(artifactsRoot, parquet);
            var parts = rel.Split(Path.DirectorySeparatorChar);
            if (parts.Length != 3 || parts.Any(p => p.Contains(".tmp-") || p.Contains(".old-"))) continue;
            var png = Path.ChangeExtension(parquet, ".png");
            if (!File.Exists(png)) continue;
            var table = FigureDataReader.Read(parquet);
            var data = new[] { ".parquet", ".csv", ".json" }
                .Select(ext => Path.ChangeExtension(rel, ext))
                .Where(f => File.Exists(Path.Combine(artifactsRoot, f)))
                .Select(f => f.Replace(Path.DirectorySeparatorChar, '/')).ToList();
            var entry = FigureIndexEntry.FromTable(table, Path.ChangeExtension(rel, ".png").Replace(Path.DirectorySeparatorChar, '/'), data);
            entries.Add(entry with { Figure = $"{parts[0]}/{parts[1]}/{table.Figure}", Pipeline = parts[0] });
        }
        if (entries.Count == 0) return null;
        return FigureIndex.Write(artifactsRoot, entries).HtmlPath;
    }
}
