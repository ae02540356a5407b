using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Boltzmann.Figures;

/// <summary>
/// Skia's SVG canvas names clip paths <c>cl_&lt;hex&gt;</c> from a process-wide counter, so the
/// same figure rendered twice gets different ids and different bytes. Renumbering the ids in order
/// of first appearance (cl_1, cl_2, ...) makes SVG output depend only on the figure. The document
/// is edited as XML, so only <c>id</c> and <c>clip-path</c> attributes change, never text content
/// that happens to look like an id.
/// </summary>
internal static class SvgClipIds
{
    public static byte[] Renumber(byte[] svg)
    {
        XDocument doc;
        using (var input = new MemoryStream(svg))
            doc = XDocument.Load(input, LoadOptions.PreserveWhitespace);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        string Map(string old)
        {
            if (!map.TryGetValue(old, out var id)) map[old] = id = $"cl_{map.Count + 1}";
            return id;
        }
        foreach (var element in doc.Descendants())
        {
            var id = element.Attribute("id");
            if (id is not null && id.Value.StartsWith("cl_", StringComparison.Ordinal)) id.Value = Map(id.Value);
            var clip = element.Attribute("clip-path");
            if (clip is not null && clip.Value.StartsWith("url(#cl_", StringComparison.Ordinal) && clip.Value.EndsWith(')'))
                clip.Value = $"url(#{Map(clip.Value[5..^1])})";
        }
        using var output = new MemoryStream();
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, NewLineHandling = NewLineHandling.None }))
            doc.Save(writer);
        return output.ToArray();
    }
}
