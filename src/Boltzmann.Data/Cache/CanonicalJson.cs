using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boltzmann.Data.Cache;

/// <summary>
/// Canonical JSON text: one byte sequence per JSON value, so stage parameters can be hashed into a
/// cache key regardless of how they were written.
/// </summary>
/// <remarks>
/// The rule, modelled on the JSON Canonicalization Scheme (RFC 8785):
/// <list type="bullet">
/// <item>No whitespace outside strings.</item>
/// <item>Object members sorted by key, comparing UTF-16 code units ordinally (RFC 8785 §3.2.3); duplicate keys
/// are rejected because their meaning is ambiguous.</item>
/// <item>Array order is kept (it is significant).</item>
/// <item>Numbers as described in <see cref="CanonicalNumber"/>: integers in [-2^63, 2^64-1] exact
/// (so <c>1</c>, <c>1.0</c> and <c>1e0</c> are all <c>1</c>), everything else as the shortest round-trip double in
/// ECMAScript layout (<c>0.1</c>, <c>1.5e-7</c>, <c>1e+21</c>).</item>
/// <item>Strings escape only <c>"</c>, <c>\</c> and control characters below U+0020 (as <c>\b \t \n \f \r</c> or
/// <c>\u00xx</c> with lowercase hex); all other characters are written literally and the text is hashed as
/// UTF-8. Unpaired surrogates are rejected.</item>
/// <item><c>true</c>, <c>false</c>, <c>null</c> literally.</item>
/// </list>
/// The canonical form is idempotent: canonicalising canonical text returns it unchanged.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>Canonical text of a parsed JSON element.</summary>
    public static string Serialize(JsonElement element)
    {
        var sb = new StringBuilder();
        try
        {
            Write(sb, element, "$");
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json refuses to decode strings holding invalid UTF-16 (e.g. an escaped lone surrogate).
            throw new ArgumentException($"JSON text cannot be canonicalised: {e.Message}", nameof(element), e);
        }
        return sb.ToString();
    }

    /// <summary>Canonical text of a JSON node (<c>null</c> is the JSON literal null).</summary>
    /// <exception cref="ArgumentException">The node holds a value with no JSON form (e.g. NaN) or a duplicate key.</exception>
    public static string Serialize(JsonNode? node)
    {
        if (node is null) return "null";
        string text;
        try
        {
            text = node.ToJsonString();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new ArgumentException($"JSON node at {node.GetPath()} cannot be serialised: {e.Message}", nameof(node), e);
        }
        return Canonicalize(text);
    }

    /// <summary>Canonical text of JSON given as text.</summary>
    /// <exception cref="ArgumentException">The text is not valid JSON, or has duplicate keys or out-of-range numbers.</exception>
    public static string Canonicalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not valid JSON: {e.Message}", nameof(json), e);
        }
        using (doc) return Serialize(doc.RootElement);
    }

    /// <summary>UTF-8 bytes of the canonical text (what is hashed).</summary>
    public static byte[] ToUtf8(string canonical) => StrictUtf8.GetBytes(canonical);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void Write(StringBuilder sb, JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<(string Name, JsonElement Value)>();
                foreach (var p in e.EnumerateObject()) members.Add((p.Name, p.Value));
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                sb.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (members[i].Name == members[i - 1].Name)
                            throw new ArgumentException($"Duplicate JSON key '{members[i].Name}' at {path}: canonical form is ambiguous.");
                        sb.Append(',');
                    }
                    WriteString(sb, members[i].Name, path);
                    sb.Append(':');
                    Write(sb, members[i].Value, path + "." + members[i].Name);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var index = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (index > 0) sb.Append(',');
                    Write(sb, item, $"{path}[{index}]");
                    index++;
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, e.GetString()!, path);
                break;
            case JsonValueKind.Number:
                try
                {
                    sb.Append(CanonicalNumber.Format(e.GetRawText()));
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"{ex.Message} (at {path})", ex);
                }
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Null: sb.Append("null"); break;
            default:
                throw new ArgumentException($"JSON element at {path} has no value (kind {e.ValueKind}).");
        }
    }

    private static void WriteString(StringBuilder sb, string s, string path)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u00").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c))
                    {
                        if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                            throw new ArgumentException($"Unpaired surrogate U+{(int)c:X4} in a JSON string at {path}.");
                        sb.Append(c).Append(s[i + 1]);
                        i++;
                    }
                    else if (char.IsLowSurrogate(c))
                    {
                        throw new ArgumentException($"Unpaired surrogate U+{(int)c:X4} in a JSON string at {path}.");
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
