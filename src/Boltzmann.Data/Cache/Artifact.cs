namespace Boltzmann.Data.Cache;

/// <summary>A committed, verified artifact: its directory and manifest.</summary>
/// <param name="Key">The key it was stored under.</param>
/// <param name="Directory">Absolute path of the artifact directory (<c>&lt;root&gt;/&lt;kind&gt;/&lt;short-key&gt;</c>).</param>
/// <param name="Manifest">Its manifest (outputs with hashes, provenance).</param>
public sealed record Artifact(CacheKey Key, string Directory, ArtifactManifest Manifest)
{
    /// <summary>Absolute path of an output given by its manifest-relative path.</summary>
    /// <exception cref="ArgumentException">The path is not a valid relative path.</exception>
    /// <exception cref="KeyNotFoundException">The artifact has no such output.</exception>
    public string PathOf(string relativePath)
    {
        var normalized = RelativePath.Normalize(relativePath, "Output path");
        if (Manifest.FindOutput(normalized) is null)
            throw new KeyNotFoundException(
                $"Artifact {Key} has no output '{normalized}' (outputs: {string.Join(", ", Manifest.Outputs.Select(o => o.Path))}).");
        return RelativePath.Combine(Directory, normalized);
    }

    /// <summary>Absolute path of <c>manifest.json</c>.</summary>
    public string ManifestPath => Path.Combine(Directory, ArtifactCache.ManifestFileName);
}
