using System.Text;

namespace Boltzmann.Figures;

/// <summary>
/// Escaping for the figure index. Titles, metadata and file names come from run parameters and
/// may contain anything (&lt;, &amp;, |, brackets), so every piece of text is escaped for its
/// context: HTML text and attributes, Markdown text and table cells, and URL paths.
/// </summary>
public static class MarkupText
{
    /// <summary>Escapes &amp; &lt; &gt; " ' for HTML text and quoted attribute values.</summary>
    public static string Html(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// Escapes text for inline Markdown (CommonMark/GFM) that never starts a line (the index always
    /// puts a heading marker, list marker, label or '|' first): HTML-significant characters as
    /// entities; emphasis, code, link, strikethrough and escape characters and '|' (so table cells
    /// stay intact) with a backslash; line breaks as spaces.
    /// </summary>
    public static string Markdown(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~':
                    sb.Append('\\').Append(c);
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A relative URL for a file path: separators become '/', each segment is percent-encoded
    /// (spaces, '#', '?', '(', ')' and non-ASCII are safe in both Markdown and HTML links).
    /// </summary>
    public static string UrlPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Replace('\\', '/').Split('/');
        return string.Join('/', segments.Select(s => s is "." or ".." ? s : Uri.EscapeDataString(s).Replace("(", "%28").Replace(")", "%29")));
    }
}
