namespace Boltzmann.Data.Cache;

/// <summary>One output file of an artifact, as recorded in its manifest at commit time.</summary>
/// <param name="Path">Path relative to the artifact directory, with '/' separators.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file's bytes.</param>
/// <param name="Bytes">File length in bytes.</param>
/// <param name="Rows">Row count when the stage recorded one (tables), else null.</param>
public sealed record ArtifactOutput(string Path, string Sha256, long Bytes, long? Rows);
