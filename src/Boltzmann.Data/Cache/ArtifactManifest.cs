using System.Collections.ObjectModel;

namespace Boltzmann.Data.Cache;

/// <summary>
/// What an artifact is and how it was made: the inputs of its <see cref="CacheKey"/>, its output files with
/// their hashes, and provenance (time, git commit, tool, runtime and package versions). Stored as
/// <c>manifest.json</c> in the artifact directory (see <see cref="ArtifactManifestJson"/>).
/// </summary>
/// <remarks>
/// A stage builds one with <see cref="ForKey"/> (which copies the key's inputs) and adds provenance with
/// <c>with</c>; <see cref="ArtifactWriteSession.Commit"/> fills <see cref="Outputs"/>, and <see cref="WallTimeSeconds"/>
/// when left at 0.
/// </remarks>
public sealed record ArtifactManifest
{
    private static readonly IReadOnlyDictionary<string, string> Empty =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    /// <summary>Full cache key (64 hex).</summary>
    public string Key { get; init; } = "";

    /// <summary>Name of the stage instance in its pipeline (e.g. "pt-L16"); informative, not part of the key.</summary>
    public string StageName { get; init; } = "";

    /// <summary>Stage kind (part of the key).</summary>
    public string Kind { get; init; } = "";

    /// <summary>Stage algorithm version (part of the key).</summary>
    public int Version { get; init; }

    /// <summary>Pipeline that ran the stage, if any.</summary>
    public string? Pipeline { get; init; }

    /// <summary>Profile (e.g. "smoke", "paper") the pipeline ran with, if any.</summary>
    public string? Profile { get; init; }

    /// <summary>Canonical JSON text of the parameters (part of the key).</summary>
    public string Parameters { get; init; } = "null";

    /// <summary>Run seed (part of the key).</summary>
    public ulong Seed { get; init; }

    /// <summary>Upstream artifact keys by input name (part of the key).</summary>
    public IReadOnlyDictionary<string, string> UpstreamKeys { get; init; } = Empty;

    /// <summary>Output files, sorted by path; filled at commit.</summary>
    public IReadOnlyList<ArtifactOutput> Outputs { get; init; } = [];

    /// <summary>When the artifact was committed (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Wall-clock seconds the stage took (across resumes only the last run is counted).</summary>
    public double WallTimeSeconds { get; init; }

    /// <summary>Commit of the source tree that produced it (<see cref="GitCommitReader"/>), null if unknown.</summary>
    public string? GitCommit { get; init; }

    /// <summary>Version of the tool that ran the stage (e.g. the CLI's informational version).</summary>
    public string? ToolVersion { get; init; }

    /// <summary>The .NET runtime description (<see cref="PackageVersions.RuntimeVersion"/>).</summary>
    public string? RuntimeVersion { get; init; }

    /// <summary>Versions of the libraries that shaped the output, by assembly name (<see cref="PackageVersions"/>).</summary>
    public IReadOnlyDictionary<string, string> PackageVersions { get; init; } = Empty;

    /// <summary>Free-form stage metadata (e.g. acceptance rates, convergence notes).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = Empty;

    /// <summary>
    /// A manifest carrying the key's inputs (kind, version, parameters, seed, upstream keys), the stage name and the
    /// runtime version; the caller adds pipeline, profile, git commit, tool and package versions and extras.
    /// </summary>
    public static ArtifactManifest ForKey(CacheKey key, string stageName)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(stageName);
        return new ArtifactManifest
        {
            Key = key.Full,
            StageName = stageName,
            Kind = key.Kind,
            Version = key.Version,
            Parameters = key.CanonicalParameters,
            Seed = key.Seed,
            UpstreamKeys = key.UpstreamKeys,
            RuntimeVersion = Cache.PackageVersions.RuntimeVersion,
        };
    }

    /// <summary>The key re-derived from this manifest's recorded inputs (equals <see cref="Key"/> for an intact manifest).</summary>
    public CacheKey RecomputeKey() => CacheKey.FromCanonical(Kind, Version, Parameters, Seed, UpstreamKeys);

    /// <summary>The output with this relative path, or null.</summary>
    public ArtifactOutput? FindOutput(string relativePath)
    {
        foreach (var o in Outputs)
            if (o.Path == relativePath) return o;
        return null;
    }
}
