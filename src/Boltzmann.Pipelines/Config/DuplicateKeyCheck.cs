using System.Text;
using System.Text.Json;

namespace Boltzmann.Pipelines.Config;

/// <summary>
/// Finds keys that appear twice in one JSON object. System.Text.Json's node parser either keeps one of the
/// values or throws without a path, so a pipeline file with <c>"n": 8, ..., "n": 64</c> would run with a value
/// its author may not have meant; this scan reports each duplicate with its JSON path and both line numbers.
/// </summary>
public static class DuplicateKeyCheck
{
    /// <summary>One error per repeated key; the JSON must already be known to parse.</summary>
    public static IReadOnlyList<ConfigError> Find(string json, string file)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var errors = new List<ConfigError>();
        // One frame per open container: its path, the keys seen so far (with their lines), and the array index.
        var frames = new Stack<Frame>();
        string? pendingKey = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    frames.Push(new Frame(ChildPath(frames, pendingKey), reader.TokenType == JsonTokenType.StartObject));
                    pendingKey = null;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.Pop();
                    if (frames.Count > 0) frames.Peek().Index++;
                    break;
                case JsonTokenType.PropertyName:
                    var key = reader.GetString()!;
                    var frame = frames.Peek();
                    int line = Line(bytes, reader.TokenStartIndex);
                    if (frame.Keys.TryGetValue(key, out int first))
                        errors.Add(new ConfigError(file, $"{frame.Path}.{key}",
                            $"key \"{key}\" appears twice in one object (lines {first} and {line}); each key must be given once"));
                    else frame.Keys[key] = line;
                    pendingKey = key;
                    break;
                default:
                    pendingKey = null;
                    if (frames.Count > 0 && !frames.Peek().IsObject) frames.Peek().Index++;
                    break;
            }
        }
        return errors;
    }

    private static string ChildPath(Stack<Frame> frames, string? key)
    {
        if (frames.Count == 0) return "$";
        var parent = frames.Peek();
        return parent.IsObject ? $"{parent.Path}.{key}" : $"{parent.Path}[{parent.Index}]";
    }

    private static int Line(byte[] bytes, long position)
    {
        int line = 1;
        for (long i = 0; i < position && i < bytes.Length; i++) if (bytes[i] == (byte)'\n') line++;
        return line;
    }

    private sealed class Frame(string path, bool isObject)
    {
        public string Path { get; } = path;
        public bool IsObject { get; } = isObject;
        public Dictionary<string, int> Keys { get; } = new(StringComparer.Ordinal);
        public int Index { get; set; }
    }
}
