using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boltzmann.Pipelines.Config;

/// <summary>
/// Reads typed stage parameters from a JSON object and collects one error per bad value, each naming
/// its JSON path, the offending value and what is allowed. Every key read is remembered, so
/// <see cref="Finish"/> can report unknown keys (typos must not be silently ignored).
/// </summary>
public sealed class ParameterReader
{
    private readonly JsonObject _obj;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<ConfigError> _errors;

    public string File { get; }
    public string Path { get; }

    public ParameterReader(JsonObject obj, string file, string path, List<ConfigError> errors)
    {
        _obj = obj;
        File = file;
        Path = path;
        _errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>Marks keys as known that the caller reads by other means.</summary>
    public void Accept(params string[] keys) { foreach (var k in keys) _seen.Add(k); }

    public bool Has(string key) => _obj.ContainsKey(key) && _obj[key] is not null;

    public void Error(string key, string message) => _errors.Add(new ConfigError(File, $"{Path}.{key}", message));

    public int Int(string key, int? defaultValue = null, int min = int.MinValue, int max = int.MaxValue)
    {
        long v = Long(key, defaultValue, min, max);
        return (int)v;
    }

    public long Long(string key, long? defaultValue = null, long min = long.MinValue, long max = long.MaxValue)
    {
        var node = Take(key);
        if (node is null) return Missing(key, defaultValue, 0L);
        if (node is JsonValue jv && jv.TryGetValue(out JsonElement el) && el.ValueKind == JsonValueKind.Number && el.TryGetInt64(out long v))
        {
            if (v < min || v > max) { Error(key, $"value {v} is not allowed; must be an integer{Range(min, max)}"); return Math.Clamp(v, min, max); }
            return v;
        }
        Error(key, $"value {Show(node)} is not an integer; must be an integer{Range(min, max)}");
        return defaultValue ?? Math.Max(min, Math.Min(1, max));
    }

    public ulong ULong(string key, ulong? defaultValue = null)
    {
        var node = Take(key);
        if (node is null) return Missing(key, defaultValue, 0UL);
        if (node is JsonValue jv && jv.TryGetValue(out JsonElement el) && el.ValueKind == JsonValueKind.Number && el.TryGetUInt64(out ulong v)) return v;
        Error(key, $"value {Show(node)} is not allowed; must be a non-negative integer seed");
        return defaultValue ?? 0;
    }

    /// <summary>A finite double, optionally bounded: <paramref name="greaterThan"/> is exclusive, <paramref name="min"/> inclusive.</summary>
    public double Double(string key, double? defaultValue = null, double? greaterThan = null, double? min = null, double? max = null)
    {
        var node = Take(key);
        if (node is null) return Missing(key, defaultValue, 1.0);
        if (!TryNumber(node, out double v))
        {
            Error(key, $"value {Show(node)} is not a number; must be a finite number{DRange(greaterThan, min, max)}");
            return defaultValue ?? 1.0;
        }
        CheckDouble(key, v, greaterThan, min, max);
        return v;
    }

    public double? OptionalDouble(string key, double? greaterThan = null, double? min = null, double? max = null)
        => Has(key) ? Double(key, null, greaterThan, min, max) : Skip(key);

    public bool Bool(string key, bool defaultValue)
    {
        var node = Take(key);
        if (node is null) return defaultValue;
        if (node is JsonValue jv && jv.TryGetValue(out bool b)) return b;
        Error(key, $"value {Show(node)} is not allowed; must be true or false");
        return defaultValue;
    }

    public string String(string key, string? defaultValue = null, IReadOnlyCollection<string>? allowed = null)
    {
        var node = Take(key);
        if (node is null) return Missing(key, defaultValue, "");
        if (node is JsonValue jv && jv.TryGetValue(out string? s) && s is not null)
        {
            if (allowed is not null && !allowed.Contains(s))
            {
                Error(key, $"value \"{s}\" is not allowed; must be one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}");
                return defaultValue ?? allowed.First();
            }
            return s;
        }
        Error(key, $"value {Show(node)} is not a string");
        return defaultValue ?? "";
    }

    public string? OptionalString(string key) => Has(key) ? String(key) : Skip<string>(key);

    /// <summary>A non-empty list of finite numbers, each checked like <see cref="Double"/>.</summary>
    public double[]? OptionalDoubleList(string key, double? greaterThan = null, double? min = null, double? max = null, bool allowEmpty = false)
    {
        var node = Take(key);
        if (node is null) return null;
        if (node is not JsonArray arr) { Error(key, $"value {Show(node)} is not a list; must be a list of numbers"); return null; }
        if (arr.Count == 0 && !allowEmpty) { Error(key, "the list is empty; must contain at least one number"); return null; }
        var list = new double[arr.Count];
        for (int i = 0; i < arr.Count; i++)
        {
            if (arr[i] is null || !TryNumber(arr[i]!, out list[i]))
            {
                _errors.Add(new ConfigError(File, $"{Path}.{key}[{i}]", $"value {Show(arr[i])} is not a number"));
                continue;
            }
            CheckDouble($"{key}[{i}]", list[i], greaterThan, min, max);
        }
        return list;
    }

    /// <summary>A nested object read by its own reader (its unknown keys are reported too).</summary>
    public T? OptionalObject<T>(string key, Func<ParameterReader, T> read) where T : class
    {
        var node = Take(key);
        if (node is null) return null;
        if (node is not JsonObject o) { Error(key, $"value {Show(node)} is not an object"); return null; }
        var sub = new ParameterReader(o, File, $"{Path}.{key}", _errors);
        var result = read(sub);
        sub.Finish();
        return result;
    }

    /// <summary>Reports every key that no reader method asked for.</summary>
    public void Finish()
    {
        var allowed = _seen.OrderBy(k => k, StringComparer.Ordinal).ToList();
        foreach (var (key, value) in _obj)
        {
            // JSON null is never "use the default": that reading would hide a value lost in editing.
            if (value is null)
                _errors.Add(new ConfigError(File, $"{Path}.{key}",
                    "value null is not allowed; give a value, or omit the key to use its default"));
            else if (!_seen.Contains(key))
                _errors.Add(new ConfigError(File, $"{Path}.{key}",
                    $"unknown key \"{key}\" (value {Show(value)}); allowed keys: {string.Join(", ", allowed)}"));
        }
    }

    private JsonNode? Take(string key)
    {
        _seen.Add(key);
        return _obj.TryGetPropertyValue(key, out var node) ? node : null;
    }

    private T? Skip<T>(string key) where T : class { _seen.Add(key); return null; }
    private double? Skip(string key) { _seen.Add(key); return null; }

    private T Missing<T>(string key, T? defaultValue, T placeholder) where T : struct
    {
        if (defaultValue.HasValue) return defaultValue.Value;
        _errors.Add(new ConfigError(File, $"{Path}.{key}", "required key is missing"));
        return placeholder;
    }

    private string Missing(string key, string? defaultValue, string placeholder)
    {
        if (defaultValue is not null) return defaultValue;
        _errors.Add(new ConfigError(File, $"{Path}.{key}", "required key is missing"));
        return placeholder;
    }

    private void CheckDouble(string key, double v, double? greaterThan, double? min, double? max)
    {
        if (!double.IsFinite(v) || (greaterThan is { } g && !(v > g)) || (min is { } lo && v < lo) || (max is { } hi && v > hi))
            Error(key, $"value {v.ToString("R", CultureInfo.InvariantCulture)} is not allowed; must be a finite number{DRange(greaterThan, min, max)}");
    }

    private static bool TryNumber(JsonNode node, out double v)
    {
        v = 0;
        return node is JsonValue jv && jv.TryGetValue(out JsonElement el) && el.ValueKind == JsonValueKind.Number && el.TryGetDouble(out v);
    }

    private static string Range(long min, long max)
    {
        bool lo = min != long.MinValue && min != int.MinValue, hi = max != long.MaxValue && max != int.MaxValue;
        return (lo ? $" >= {min}" : "") + (lo && hi ? " and" : "") + (hi ? $" <= {max}" : "");
    }

    private static string DRange(double? gt, double? min, double? max)
    {
        var parts = new List<string>();
        if (gt is { } g) parts.Add($"> {g.ToString(CultureInfo.InvariantCulture)}");
        if (min is { } lo) parts.Add($">= {lo.ToString(CultureInfo.InvariantCulture)}");
        if (max is { } hi) parts.Add($"<= {hi.ToString(CultureInfo.InvariantCulture)}");
        return parts.Count == 0 ? "" : " " + string.Join(" and ", parts);
    }

    internal static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}
