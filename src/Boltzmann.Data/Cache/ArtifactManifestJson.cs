using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Boltzmann.Data.Cache;

/// <summary>
/// Reads and writes <c>manifest.json</c>. The format is explicit (no reflection) so that every problem in a
/// damaged or hand-edited manifest is reported with the field it concerns, and so that the file stays
/// readable by other tools (jq, DuckDB's read_json, Python).
/// </summary>
/// <remarks>
/// Layout: <c>format</c> ("boltzmann.artifact-manifest/1"), <c>key</c>, <c>stage</c>, <c>kind</c>, <c>version</c>,
/// <c>pipeline</c>, <c>profile</c>, <c>parameters</c> (the canonical parameters embedded as JSON), <c>seed</c>,
/// <c>upstream</c> {name: key}, <c>outputs</c> [{path, sha256, bytes, rows}], <c>created</c> (ISO 8601 UTC),
/// <c>wallTimeSeconds</c>, <c>gitCommit</c>, <c>toolVersion</c>, <c>runtimeVersion</c>, <c>packageVersions</c> {},
/// <c>extra</c> {}. Unknown members are ignored so that later versions can add fields.
/// </remarks>
public static class ArtifactManifestJson
{
    /// <summary>Value of the <c>format</c> member this code writes and reads.</summary>
    public const string Format = "boltzmann.artifact-manifest/1";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Keep non-ASCII stage names and notes readable; the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises a manifest to UTF-8 JSON bytes.</summary>
    public static byte[] ToUtf8(ArtifactManifest m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (!double.IsFinite(m.WallTimeSeconds) || m.WallTimeSeconds < 0)
            throw new ArgumentException($"Manifest of '{m.StageName}': wall time {m.WallTimeSeconds} s must be finite and >= 0.", nameof(m));
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("key", m.Key);
            w.WriteString("stage", m.StageName);
            w.WriteString("kind", m.Kind);
            w.WriteNumber("version", m.Version);
            WriteNullable(w, "pipeline", m.Pipeline);
            WriteNullable(w, "profile", m.Profile);
            w.WritePropertyName("parameters");
            w.WriteRawValue(m.Parameters, skipInputValidation: false);
            w.WriteNumber("seed", m.Seed);
            WriteMap(w, "upstream", m.UpstreamKeys);
            w.WriteStartArray("outputs");
            foreach (var o in m.Outputs)
            {
                w.WriteStartObject();
                w.WriteString("path", o.Path);
                w.WriteString("sha256", o.Sha256);
                w.WriteNumber("bytes", o.Bytes);
                if (o.Rows is { } rows) w.WriteNumber("rows", rows);
                else w.WriteNull("rows");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("created", m.CreatedUtc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteNumber("wallTimeSeconds", m.WallTimeSeconds);
            WriteNullable(w, "gitCommit", m.GitCommit);
            WriteNullable(w, "toolVersion", m.ToolVersion);
            WriteNullable(w, "runtimeVersion", m.RuntimeVersion);
            WriteMap(w, "packageVersions", m.PackageVersions);
            WriteMap(w, "extra", m.Extra);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a manifest file.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed manifest; the message names the file and field.</exception>
    public static ArtifactManifest Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    /// <summary>Parses manifest bytes; <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">Not a well-formed manifest.</exception>
    public static ArtifactManifest Parse(ReadOnlyMemory<byte> utf8, string source)
    {
        try
        {
            return ParseCore(utf8, source);
        }
        catch (Exception e) when (e is InvalidOperationException or OverflowException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: malformed manifest ({e.Message}).", e);
        }
    }

    private static ArtifactManifest ParseCore(ReadOnlyMemory<byte> utf8, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: the manifest must be a JSON object, found {r.ValueKind}.");
            var format = RequiredString(r, "format", source);
            if (format != Format)
                throw new InvalidDataException($"{source}: format '{format}' is not supported (expected '{Format}').");

            var outputs = new List<ArtifactOutput>();
            var outputsElement = Required(r, "outputs", source);
            if (outputsElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{source}: 'outputs' must be an array.");
            var index = 0;
            foreach (var o in outputsElement.EnumerateArray())
            {
                var where = $"outputs[{index}]";
                if (o.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataException($"{source}: '{where}' must be an object.");
                var path = RequiredString(o, "path", source, where);
                if (!RelativePath.TryNormalize(path, out var normalized, out var problem) || normalized != path)
                    throw new InvalidDataException($"{source}: '{where}.path' '{path}' is not a valid artifact-relative path ({(problem.Length > 0 ? problem : "it uses '\\' separators")}).");
                var sha = RequiredString(o, "sha256", source, where);
                if (!CacheKey.IsFullKey(sha))
                    throw new InvalidDataException($"{source}: '{where}.sha256' '{sha}' is not 64 lowercase hex characters.");
                var bytes = RequiredInt64(o, "bytes", source, where);
                if (bytes < 0) throw new InvalidDataException($"{source}: '{where}.bytes' is negative.");
                long? rows = null;
                if (o.TryGetProperty("rows", out var rowsElement) && rowsElement.ValueKind != JsonValueKind.Null)
                    rows = Int64(rowsElement, source, where + ".rows");
                outputs.Add(new ArtifactOutput(path, sha, bytes, rows));
                index++;
            }

            var createdText = RequiredString(r, "created", source);
            if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created))
                throw new InvalidDataException($"{source}: 'created' '{createdText}' is not an ISO 8601 time.");

            var parametersElement = Required(r, "parameters", source);
            string parameters;
            try
            {
                parameters = CanonicalJson.Serialize(parametersElement);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{source}: 'parameters' cannot be canonicalised ({e.Message}).", e);
            }

            var wall = Required(r, "wallTimeSeconds", source);
            if (wall.ValueKind != JsonValueKind.Number || !wall.TryGetDouble(out var wallSeconds))
                throw new InvalidDataException($"{source}: 'wallTimeSeconds' must be a number.");

            var seedElement = Required(r, "seed", source);
            if (seedElement.ValueKind != JsonValueKind.Number || !seedElement.TryGetUInt64(out var seed))
                throw new InvalidDataException($"{source}: 'seed' must be an integer in [0, 2^64).");

            return new ArtifactManifest
            {
                Key = RequiredString(r, "key", source),
                StageName = RequiredString(r, "stage", source),
                Kind = RequiredString(r, "kind", source),
                Version = checked((int)RequiredInt64(r, "version", source)),
                Pipeline = OptionalString(r, "pipeline", source),
                Profile = OptionalString(r, "profile", source),
                Parameters = parameters,
                Seed = seed,
                UpstreamKeys = Map(r, "upstream", source),
                Outputs = outputs,
                CreatedUtc = created,
                WallTimeSeconds = wallSeconds,
                GitCommit = OptionalString(r, "gitCommit", source),
                ToolVersion = OptionalString(r, "toolVersion", source),
                RuntimeVersion = OptionalString(r, "runtimeVersion", source),
                PackageVersions = Map(r, "packageVersions", source),
                Extra = Map(r, "extra", source),
            };
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
        w.WriteEndObject();
    }

    private static JsonElement Required(JsonElement obj, string name, string source, string? where = null)
    {
        if (!obj.TryGetProperty(name, out var value))
            throw new InvalidDataException($"{source}: required member '{Qualified(name, where)}' is missing.");
        return value;
    }

    private static string RequiredString(JsonElement obj, string name, string source, string? where = null)
    {
        var e = Required(obj, name, source, where);
        if (e.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{source}: '{Qualified(name, where)}' must be a string, found {e.ValueKind}.");
        return e.GetString()!;
    }

    private static string? OptionalString(JsonElement obj, string name, string source)
    {
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{source}: '{name}' must be a string or null, found {e.ValueKind}.");
        return e.GetString();
    }

    private static long RequiredInt64(JsonElement obj, string name, string source, string? where = null)
        => Int64(Required(obj, name, source, where), source, Qualified(name, where));

    private static long Int64(JsonElement e, string source, string qualified)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var v))
            throw new InvalidDataException($"{source}: '{qualified}' must be an integer.");
        return v;
    }

    private static IReadOnlyDictionary<string, string> Map(JsonElement obj, string name, string source)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (obj.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: '{name}' must be an object of strings.");
            foreach (var p in e.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{source}: '{name}.{p.Name}' must be a string.");
                if (!result.TryAdd(p.Name, p.Value.GetString()!))
                    throw new InvalidDataException($"{source}: '{name}' has the key '{p.Name}' twice.");
            }
        }
        return new ReadOnlyDictionary<string, string>(result);
    }

    private static string Qualified(string name, string? where) => where is null ? name : $"{where}.{name}";
}
