namespace Boltzmann.Data.Cache;

/// <summary>What <see cref="ArtifactCache.Clean"/> did.</summary>
/// <param name="DirectoriesRemoved">Artifact and work directories removed (trash directories not counted).</param>
/// <param name="BytesFreed">Bytes of all files removed, trash included.</param>
/// <param name="SkippedLocked">Directories left alone because a running session holds their key's lock.</param>
public sealed record CleanReport(int DirectoriesRemoved, long BytesFreed, int SkippedLocked);
