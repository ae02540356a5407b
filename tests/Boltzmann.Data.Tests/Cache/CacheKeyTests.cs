using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Boltzmann.Data.Cache;

namespace Boltzmann.Data.Tests.Cache;

public sealed class CacheKeyTests
{
    private static readonly string UpA = new('a', 64);
    private static readonly string UpB = new('b', 64);

    private static CacheKey Key(string kind = "pt", int version = 3, string parameters = """{"beta":0.5,"L":16}""",
        ulong seed = 42, IReadOnlyDictionary<string, string>? upstream = null)
        => CacheKey.Compute(kind, version, JsonNode.Parse(parameters), seed,
            upstream ?? new Dictionary<string, string> { ["instance"] = UpA });

    [Fact]
    public void Envelope_and_hash_are_pinned()
    {
        // The envelope layout is part of every cached artifact's address: changing it silently invalidates every
        // cache. The expected hash was computed independently (Python hashlib) from the literal envelope below.
        const string envelope =
            """{"format":"boltzmann.cache-key/1","kind":"pt","parameters":{"L":16,"beta":0.5},"seed":42,"upstream":{"instance":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"version":3}""";
        var key = Key();
        Assert.Equal(envelope, key.Envelope);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(envelope))), key.Full);
        Assert.Equal("736e074f50463eee1bf846484f0d37466e7b8c4701a23a41f7a72c3501e0af03", key.Full);
        Assert.Equal("736e074f50463eee", key.Short);
        Assert.Equal("pt/736e074f50463eee", key.ToString());
    }

    [Fact]
    public void Same_inputs_give_the_same_key()
    {
        Assert.Equal(Key().Full, Key().Full);
        Assert.Equal(Key(), Key());
        Assert.Equal(Key().GetHashCode(), Key().GetHashCode());
    }

    [Fact]
    public void Key_order_number_spelling_and_upstream_order_do_not_matter()
    {
        var reference = Key(parameters: """{"beta":0.5,"L":16,"grid":[1,2.5],"opt":{"x":1,"y":null}}""",
            upstream: new Dictionary<string, string> { ["instance"] = UpA, ["model"] = UpB });
        var respelled = Key(parameters: """{ "opt": {"y": null, "x": 1.0}, "grid": [1e0, 25e-1], "L": 16.000, "beta": 5E-1 }""",
            upstream: new SortedDictionary<string, string>(StringComparer.Ordinal) { ["model"] = UpB, ["instance"] = UpA });
        Assert.Equal(reference.Full, respelled.Full);
    }

    [Fact]
    public void Any_change_of_an_input_changes_the_key()
    {
        var baseline = Key();
        var variants = new Dictionary<string, CacheKey>
        {
            ["kind"] = Key(kind: "mcmc"),
            ["version"] = Key(version: 4),
            ["parameter value"] = Key(parameters: """{"beta":0.51,"L":16}"""),
            ["parameter type"] = Key(parameters: """{"beta":"0.5","L":16}"""),
            ["parameter added"] = Key(parameters: """{"beta":0.5,"L":16,"n":1}"""),
            ["parameter renamed"] = Key(parameters: """{"Beta":0.5,"L":16}"""),
            ["array order"] = Key(parameters: """{"beta":[1,2],"L":16}"""),
            ["array order 2"] = Key(parameters: """{"beta":[2,1],"L":16}"""),
            ["seed"] = Key(seed: 43),
            ["seed high bit"] = Key(seed: 42UL | (1UL << 63)),
            ["upstream key"] = Key(upstream: new Dictionary<string, string> { ["instance"] = UpB }),
            ["upstream name"] = Key(upstream: new Dictionary<string, string> { ["inst"] = UpA }),
            ["upstream added"] = Key(upstream: new Dictionary<string, string> { ["instance"] = UpA, ["model"] = UpB }),
            ["no upstream"] = Key(upstream: new Dictionary<string, string>()),
        };
        var seen = new HashSet<string> { baseline.Full };
        foreach (var (what, key) in variants)
            Assert.True(seen.Add(key.Full), $"changing the {what} did not change the key");
    }

    [Fact]
    public void Typed_parameters_hash_like_their_json()
    {
        var typed = CacheKey.ComputeFor("pt", 3, new { L = 16, beta = 0.5 }, 42, new Dictionary<string, string> { ["instance"] = UpA });
        Assert.Equal(Key().Full, typed.Full);
    }

    [Fact]
    public void Key_carries_its_inputs()
    {
        var key = Key();
        Assert.Equal("pt", key.Kind);
        Assert.Equal(3, key.Version);
        Assert.Equal("""{"L":16,"beta":0.5}""", key.CanonicalParameters);
        Assert.Equal(42UL, key.Seed);
        Assert.Equal(UpA, key.UpstreamKeys["instance"]);
        Assert.True(CacheKey.IsFullKey(key.Full));
        Assert.True(CacheKey.IsShortKey(key.Short));
    }

    [Theory]
    [InlineData("")]
    [InlineData("PT")]
    [InlineData(".work")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void Invalid_kinds_are_rejected(string kind)
    {
        var e = Assert.Throws<ArgumentException>(() => Key(kind: kind));
        Assert.Contains("kind", e.Message);
    }

    [Fact]
    public void Invalid_versions_and_upstream_keys_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Key(version: -1));
        var shortKey = Assert.Throws<ArgumentException>(() => Key(upstream: new Dictionary<string, string> { ["instance"] = UpA[..16] }));
        Assert.Contains("'instance'", shortKey.Message);
        Assert.Throws<ArgumentException>(() => Key(upstream: new Dictionary<string, string> { ["instance"] = UpA.ToUpperInvariant() }));
        Assert.Throws<ArgumentException>(() => Key(upstream: new Dictionary<string, string> { [""] = UpA }));
    }
}
