using Boltzmann.IO;
using System.Text;

namespace Boltzmann.Figures;

/// <summary>
/// Writes <c>index.md</c> and <c>index.html</c> listing every figure of a run, grouped by pipeline:
/// title, the picture (a thumbnail linking to the full PNG), links to the data files it was drawn
/// from and to the SVG, and its metadata table. The Markdown reads well on a code-hosting site; the
/// HTML opens from the file system with no server or scripts. Both are deterministic (no
/// timestamps; pipelines in ordinal order, figures in the given order), so re-running an
/// unchanged pipeline leaves them byte-identical, and both are written atomically.
/// </summary>
public static class FigureIndex
{
    /// <summary>File name of the Markdown index.</summary>
    public const string MarkdownFileName = "index.md";

    /// <summary>File name of the HTML index.</summary>
    public const string HtmlFileName = "index.html";

    /// <summary>Group name for entries whose pipeline is empty.</summary>
    public const string NoPipeline = "(no pipeline)";

    /// <summary>Thumbnail width in the HTML page, in CSS pixels.</summary>
    public const int ThumbnailWidth = 480;

    /// <summary>Writes both index pages into <paramref name="directory"/> (created if missing).</summary>
    /// <exception cref="ArgumentException">An entry has an empty id or image path, null lists, or an id used twice.</exception>
    public static FigureIndexFiles Write(string directory, IReadOnlyList<FigureIndexEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(entries);
        var root = Path.GetFullPath(directory);
        var groups = Group(root, entries);
        var markdownPath = Path.Combine(root, MarkdownFileName);
        var htmlPath = Path.Combine(root, HtmlFileName);
        AtomicFile.WriteAllText(markdownPath, RenderMarkdown(groups, entries.Count));
        AtomicFile.WriteAllText(htmlPath, RenderHtml(groups, entries.Count));
        return new FigureIndexFiles(markdownPath, htmlPath);
    }

    /// <summary>An entry with its paths relative to the index directory and its metadata in display order.</summary>
    private sealed record Row(FigureIndexEntry Entry, string Image, string? Vector, IReadOnlyList<string> Data, IReadOnlyList<KeyValuePair<string, string>> Metadata);

    private static List<(string Pipeline, List<Row> Rows)> Group(string root, IReadOnlyList<FigureIndexEntry> entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var groups = new SortedDictionary<string, List<Row>>(StringComparer.Ordinal);
        var ungrouped = new List<Row>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i] ?? throw new ArgumentException($"Figure index entry {i} is null.", nameof(entries));
            if (string.IsNullOrWhiteSpace(e.Figure))
                throw new ArgumentException($"Figure index entry {i} ('{e.Title}') has an empty figure id.", nameof(entries));
            if (!seen.Add(e.Figure))
                throw new ArgumentException($"Figure id '{e.Figure}' appears twice in the figure index.", nameof(entries));
            if (string.IsNullOrWhiteSpace(e.ImagePath))
                throw new ArgumentException($"Figure '{e.Figure}' has an empty image path.", nameof(entries));
            if (e.DataFiles is null)
                throw new ArgumentException($"Figure '{e.Figure}' has a null DataFiles list (use an empty list).", nameof(entries));
            if (e.DataFiles.Any(string.IsNullOrWhiteSpace))
                throw new ArgumentException($"Figure '{e.Figure}' lists an empty data file path.", nameof(entries));
            var row = new Row(
                e,
                Relative(root, e.ImagePath),
                string.IsNullOrWhiteSpace(e.VectorImagePath) ? null : Relative(root, e.VectorImagePath),
                e.DataFiles.Select(f => Relative(root, f)).ToList(),
                FigureCaption.Ordered(e.Metadata));
            if (string.IsNullOrWhiteSpace(e.Pipeline))
            {
                ungrouped.Add(row);
                continue;
            }
            if (!groups.TryGetValue(e.Pipeline, out var list)) groups[e.Pipeline] = list = [];
            list.Add(row);
        }
        var result = groups.Select(kv => (kv.Key, kv.Value)).ToList();
        if (ungrouped.Count > 0) result.Add((NoPipeline, ungrouped));
        return result;
    }

    private static string Relative(string root, string path) =>
        (Path.IsPathRooted(path) ? Path.GetRelativePath(root, path) : path).Replace('\\', '/');

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";

    private static string RenderMarkdown(List<(string Pipeline, List<Row> Rows)> groups, int count)
    {
        var md = new StringBuilder();
        md.Append("# Figures\n\n");
        md.Append($"{Plural(count, "figure")} from {Plural(groups.Count, "pipeline")}. ");
        md.Append("Each figure links its picture and the tidy data (figure, panel, series, x, y, y_err) it was drawn from.\n");
        foreach (var (pipeline, rows) in groups)
        {
            md.Append($"\n## Pipeline: {MarkupText.Markdown(pipeline)}\n");
            foreach (var row in rows)
            {
                var e = row.Entry;
                var title = string.IsNullOrWhiteSpace(e.Title) ? e.Figure : e.Title;
                var image = MarkupText.UrlPath(row.Image);
                md.Append($"\n### {MarkupText.Markdown(title)}\n\n");
                md.Append($"[![{MarkupText.Markdown(title)}]({image})]({image})\n\n");
                md.Append($"Figure id: {MarkupText.Markdown(e.Figure)} · picture: [PNG]({image})");
                if (row.Vector is not null) md.Append($" · [SVG]({MarkupText.UrlPath(row.Vector)})");
                md.Append(" · data: ");
                md.Append(row.Data.Count == 0
                    ? "none"
                    : string.Join(" · ", row.Data.Select(f => $"[{MarkupText.Markdown(Path.GetFileName(f))}]({MarkupText.UrlPath(f)})")));
                md.Append('\n');
                if (row.Metadata.Count > 0)
                {
                    md.Append("\n| key | value |\n| --- | --- |\n");
                    foreach (var (key, value) in row.Metadata)
                        md.Append($"| {MarkupText.Markdown(key)} | {MarkupText.Markdown(value)} |\n");
                }
            }
        }
        return md.ToString();
    }

    private static string RenderHtml(List<(string Pipeline, List<Row> Rows)> groups, int count)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<title>Figures</title>\n<style>\n");
        h.Append("body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #202020; }\n");
        h.Append("article { border-top: 1px solid #d0d0d0; padding: 1em 0; }\n");
        h.Append("img { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }\n");
        h.Append("table { border-collapse: collapse; margin-top: 0.5em; font-size: 0.9em; }\n");
        h.Append("th, td { border: 1px solid #d0d0d0; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }\n");
        h.Append("th { background: #f4f4f4; }\ncode { background: #f4f4f4; padding: 0 0.2em; }\n");
        h.Append("</style>\n</head>\n<body>\n<h1>Figures</h1>\n");
        h.Append($"<p>{Plural(count, "figure")} from {Plural(groups.Count, "pipeline")}. ");
        h.Append("Each figure links its picture and the tidy data (figure, panel, series, x, y, y_err) it was drawn from.</p>\n");
        h.Append("<nav>\n<ul>\n");
        for (var g = 0; g < groups.Count; g++)
            h.Append($"<li><a href=\"#pipeline-{g + 1}\">{MarkupText.Html(groups[g].Pipeline)}</a> ({Plural(groups[g].Rows.Count, "figure")})</li>\n");
        h.Append("</ul>\n</nav>\n");
        var figureNumber = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var (pipeline, rows) = groups[g];
            h.Append($"<section id=\"pipeline-{g + 1}\">\n<h2>Pipeline: {MarkupText.Html(pipeline)}</h2>\n");
            foreach (var row in rows)
            {
                var e = row.Entry;
                var title = MarkupText.Html(string.IsNullOrWhiteSpace(e.Title) ? e.Figure : e.Title);
                var image = MarkupText.Html(MarkupText.UrlPath(row.Image));
                h.Append($"<article id=\"figure-{++figureNumber}\">\n<h3>{title}</h3>\n");
                h.Append($"<a href=\"{image}\"><img src=\"{image}\" alt=\"{title}\" width=\"{ThumbnailWidth}\" loading=\"lazy\" /></a>\n");
                h.Append($"<p>Figure id: <code>{MarkupText.Html(e.Figure)}</code> · picture: <a href=\"{image}\">PNG</a>");
                if (row.Vector is not null) h.Append($" · <a href=\"{MarkupText.Html(MarkupText.UrlPath(row.Vector))}\">SVG</a>");
                h.Append(" · data: ");
                h.Append(row.Data.Count == 0
                    ? "none"
                    : string.Join(" · ", row.Data.Select(f => $"<a href=\"{MarkupText.Html(MarkupText.UrlPath(f))}\">{MarkupText.Html(Path.GetFileName(f))}</a>")));
                h.Append("</p>\n");
                if (row.Metadata.Count > 0)
                {
                    h.Append("<table>\n<thead><tr><th>key</th><th>value</th></tr></thead>\n<tbody>\n");
                    foreach (var (key, value) in row.Metadata)
                        h.Append($"<tr><td>{MarkupText.Html(key)}</td><td>{MarkupText.Html(value)}</td></tr>\n");
                    h.Append("</tbody>\n</table>\n");
                }
                h.Append("</article>\n");
            }
            h.Append("</section>\n");
        }
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }
}
