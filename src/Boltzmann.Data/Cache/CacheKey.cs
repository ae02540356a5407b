using System.Collections.ObjectModel;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Boltzmann.Data.Cache;

/// <summary>
/// Content address of a stage output: SHA-256 of a canonical envelope holding everything that determines
/// the output (stage kind, algorithm version, canonical parameters, seed, upstream keys). Two runs with the
/// same key produce the same artifact, so a stored artifact with that key can be reused.
/// </summary>
/// <remarks>
/// The envelope is the canonical JSON (<see cref="CanonicalJson"/>) of
/// <c>{"format":"boltzmann.cache-key/1","kind":K,"parameters":P,"seed":S,"upstream":{name:key,...},"version":V}</c>
/// and the key is the lowercase hex SHA-256 of its UTF-8 bytes. Bumping a stage's <c>version</c> when its
/// algorithm changes invalidates every artifact it produced before; changing <see cref="EnvelopeFormat"/>
/// would invalidate the whole cache, so it is pinned by a test.
/// Equality is by <see cref="Full"/>.
/// </remarks>
public sealed partial class CacheKey : IEquatable<CacheKey>
{
    /// <summary>Tag of the envelope layout; part of every hash.</summary>
    public const string EnvelopeFormat = "boltzmann.cache-key/1";

    /// <summary>Number of hex characters of <see cref="Short"/> (64 bits: collisions are checked against the full key anyway).</summary>
    public const int ShortLength = 16;

    private CacheKey(string full, string kind, int version, string canonicalParameters, ulong seed,
        IReadOnlyDictionary<string, string> upstream, string envelope)
    {
        Full = full;
        Kind = kind;
        Version = version;
        CanonicalParameters = canonicalParameters;
        Seed = seed;
        UpstreamKeys = upstream;
        Envelope = envelope;
    }

    /// <summary>The 64-character lowercase hex SHA-256.</summary>
    public string Full { get; }

    /// <summary>The first <see cref="ShortLength"/> hex characters, used in directory names.</summary>
    public string Short => Full[..ShortLength];

    /// <summary>Stage kind (directory under the cache root).</summary>
    public string Kind { get; }

    /// <summary>Stage algorithm version.</summary>
    public int Version { get; }

    /// <summary>Canonical JSON text of the parameters.</summary>
    public string CanonicalParameters { get; }

    /// <summary>Run seed.</summary>
    public ulong Seed { get; }

    /// <summary>Upstream artifact keys by input name (sorted ordinally).</summary>
    public IReadOnlyDictionary<string, string> UpstreamKeys { get; }

    /// <summary>The canonical envelope text that was hashed (for diagnostics).</summary>
    public string Envelope { get; }

    /// <summary>Computes the key of a stage output.</summary>
    /// <param name="kind">Stage kind: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters.</param>
    /// <param name="version">Stage algorithm version (&gt;= 0); bump it whenever the stage's output for the same inputs changes.</param>
    /// <param name="parameters">Stage parameters; only their value matters (key order and number spelling do not).</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="upstreamKeys">Full keys (64 lowercase hex) of the artifacts this stage reads, by input name; may be empty.</param>
    public static CacheKey Compute(string kind, int version, JsonNode? parameters, ulong seed,
        IReadOnlyDictionary<string, string> upstreamKeys)
        => FromCanonical(kind, version, CanonicalJson.Serialize(parameters), seed, upstreamKeys);

    /// <summary>As <see cref="Compute(string,int,JsonNode?,ulong,IReadOnlyDictionary{string,string})"/> with parameters as a parsed element.</summary>
    public static CacheKey Compute(string kind, int version, JsonElement parameters, ulong seed,
        IReadOnlyDictionary<string, string> upstreamKeys)
        => FromCanonical(kind, version, CanonicalJson.Serialize(parameters), seed, upstreamKeys);

    /// <summary>
    /// As <see cref="Compute(string,int,JsonNode?,ulong,IReadOnlyDictionary{string,string})"/> with parameters given as an
    /// object (typically a record) serialised by System.Text.Json with default options (public properties by their
    /// C# names). Renaming a property changes the key.
    /// </summary>
    public static CacheKey ComputeFor<TParameters>(string kind, int version, TParameters parameters, ulong seed,
        IReadOnlyDictionary<string, string> upstreamKeys)
        => Compute(kind, version, JsonSerializer.SerializeToNode(parameters), seed, upstreamKeys);

    /// <summary>Key from already canonical parameter text (used to re-derive a manifest's key).</summary>
    internal static CacheKey FromCanonical(string kind, int version, string canonicalParameters, ulong seed,
        IReadOnlyDictionary<string, string> upstreamKeys)
    {
        ValidateKind(kind);
        if (version < 0)
            throw new ArgumentOutOfRangeException(nameof(version), version, $"Stage version of kind '{kind}' must be >= 0.");
        ArgumentNullException.ThrowIfNull(upstreamKeys);

        var upstream = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, key) in upstreamKeys)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException($"Upstream input names of stage kind '{kind}' must be non-empty.", nameof(upstreamKeys));
            if (!IsFullKey(key))
                throw new ArgumentException(
                    $"Upstream key '{key}' of input '{name}' (stage kind '{kind}') is not a full cache key (64 lowercase hex characters).",
                    nameof(upstreamKeys));
            upstream.Add(name, key);
        }

        var envelope = new JsonObject
        {
            ["format"] = EnvelopeFormat,
            ["kind"] = kind,
            ["parameters"] = JsonNode.Parse(canonicalParameters),
            ["seed"] = seed,
            ["upstream"] = new JsonObject(upstream.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["version"] = version,
        };
        var canonical = CanonicalJson.Serialize(envelope);
        var hash = SHA256.HashData(CanonicalJson.ToUtf8(canonical));
        return new CacheKey(Convert.ToHexStringLower(hash), kind, version, canonicalParameters, seed,
            new ReadOnlyDictionary<string, string>(upstream), canonical);
    }

    /// <summary>True when <paramref name="key"/> has the form of <see cref="Full"/> (64 lowercase hex characters).</summary>
    public static bool IsFullKey(string? key) => key is { Length: 64 } && IsLowerHex(key);

    /// <summary>True when <paramref name="name"/> has the form of <see cref="Short"/> (16 lowercase hex characters).</summary>
    public static bool IsShortKey(string? name) => name is { Length: ShortLength } && IsLowerHex(name);

    /// <summary>Throws unless <paramref name="kind"/> is a valid stage kind (it names a directory).</summary>
    public static void ValidateKind(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!KindPattern().IsMatch(kind))
            throw new ArgumentException(
                $"Stage kind '{kind}' is invalid: use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.",
                nameof(kind));
    }

    private static bool IsLowerHex(string s)
    {
        foreach (var c in s)
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex KindPattern();

    public bool Equals(CacheKey? other) => other is not null && other.Full == Full;

    public override bool Equals(object? obj) => obj is CacheKey k && Equals(k);

    public override int GetHashCode() => Full.GetHashCode(StringComparison.Ordinal);

    /// <summary><c>kind/short</c>, as the artifact's directory is named.</summary>
    public override string ToString() => $"{Kind}/{Short}";
}
