using System.Text;
using System.Text.Json;
using Boltzmann.Data.Cache;

namespace Boltzmann.Data.Tests.Cache;

public sealed class ManifestJsonTests
{
    private static ArtifactManifest Sample()
    {
        var key = CacheKey.Compute("pt", 2, System.Text.Json.Nodes.JsonNode.Parse("""{"L":16,"betas":[0.1,0.25],"name":"ü"}"""),
            ulong.MaxValue, new Dictionary<string, string> { ["instance"] = new string('c', 64) });
        return ArtifactManifest.ForKey(key, "pt-L16") with
        {
            Pipeline = "sk-paper",
            Profile = null,
            Outputs =
            [
                new ArtifactOutput("a/b.parquet", new string('d', 64), 123456789012, 1000),
                new ArtifactOutput("c.json", new string('e', 64), 0, null),
            ],
            CreatedUtc = new DateTimeOffset(2026, 11, 23, 8, 30, 15, 123, TimeSpan.Zero).AddTicks(4567),
            WallTimeSeconds = 12.345678901234567,
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            ToolVersion = "1.2.3+abc",
            PackageVersions = new Dictionary<string, string> { ["Parquet"] = "6.1.0", ["Microsoft.Data.Analysis"] = "0.23.1" },
            Extra = new Dictionary<string, string> { ["note"] = "naïve \"quoted\"\nline" },
        };
    }

    [Fact]
    public void Manifest_round_trips_every_field()
    {
        var m = Sample();
        var back = ArtifactManifestJson.Parse(ArtifactManifestJson.ToUtf8(m), "sample");
        Assert.Equal(m.Key, back.Key);
        Assert.Equal(m.StageName, back.StageName);
        Assert.Equal(m.Kind, back.Kind);
        Assert.Equal(m.Version, back.Version);
        Assert.Equal(m.Pipeline, back.Pipeline);
        Assert.Null(back.Profile);
        Assert.Equal(m.Parameters, back.Parameters);
        Assert.Equal(ulong.MaxValue, back.Seed);
        Assert.Equal(m.UpstreamKeys, back.UpstreamKeys);
        Assert.Equal(m.Outputs, back.Outputs);
        Assert.Equal(m.CreatedUtc, back.CreatedUtc);
        Assert.Equal(m.CreatedUtc.UtcTicks, back.CreatedUtc.UtcTicks);
        Assert.Equal(m.WallTimeSeconds, back.WallTimeSeconds);
        Assert.Equal(m.GitCommit, back.GitCommit);
        Assert.Equal(m.ToolVersion, back.ToolVersion);
        Assert.Equal(m.RuntimeVersion, back.RuntimeVersion);
        Assert.Equal(m.PackageVersions.OrderBy(p => p.Key), back.PackageVersions.OrderBy(p => p.Key));
        Assert.Equal(m.Extra, back.Extra);
        Assert.Equal(m.Key, back.RecomputeKey().Full);
    }

    [Fact]
    public void Manifest_is_plain_readable_json()
    {
        var bytes = ArtifactManifestJson.ToUtf8(Sample());
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"stage\": \"pt-L16\"", text);
        Assert.Contains("ü", text); // not \u00fc
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        Assert.Equal(ArtifactManifestJson.Format, root.GetProperty("format").GetString());
        Assert.Equal(16, root.GetProperty("parameters").GetProperty("L").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("outputs")[1].GetProperty("rows").ValueKind);
        Assert.Equal("2026-11-23T08:30:15.1234567Z", root.GetProperty("created").GetString());
    }

    [Theory]
    [InlineData("\"key\": \"", "\"key\": 5, \"x\": \"", "'key' must be a string")]
    [InlineData("\"bytes\": 123456789012", "\"bytes\": -1", "'outputs[0].bytes' is negative")]
    [InlineData("\"path\": \"c.json\"", "\"path\": \"/etc/passwd\"", "'outputs[1].path'")]
    [InlineData("\"sha256\": \"dddd", "\"sha256\": \"DDDD", "'outputs[0].sha256'")]
    [InlineData("\"seed\": 18446744073709551615", "\"seed\": -1", "'seed'")]
    [InlineData("\"created\": \"2026", "\"created\": \"yesterday", "'created'")]
    [InlineData("\"wallTimeSeconds\"", "\"wallTime\"", "'wallTimeSeconds' is missing")]
    public void Damaged_fields_are_named(string find, string replace, string expected)
    {
        var text = Encoding.UTF8.GetString(ArtifactManifestJson.ToUtf8(Sample()));
        Assert.Contains(find, text);
        var damaged = Encoding.UTF8.GetBytes(text.Replace(find, replace));
        var e = Assert.Throws<InvalidDataException>(() => ArtifactManifestJson.Parse(damaged, "m.json"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("m.json", e.Message);
    }

    [Fact]
    public void Unknown_members_are_ignored()
    {
        var text = Encoding.UTF8.GetString(ArtifactManifestJson.ToUtf8(Sample()));
        var extended = text.Replace("\"stage\":", "\"futureField\": {\"a\": [1, 2]},\n  \"stage\":");
        Assert.Equal("pt-L16", ArtifactManifestJson.Parse(Encoding.UTF8.GetBytes(extended), "m").StageName);
    }

    [Fact]
    public void Invalid_wall_time_is_refused_on_write()
    {
        Assert.Throws<ArgumentException>(() => ArtifactManifestJson.ToUtf8(Sample() with { WallTimeSeconds = double.NaN }));
        Assert.Throws<ArgumentException>(() => ArtifactManifestJson.ToUtf8(Sample() with { WallTimeSeconds = -1 }));
    }
}
