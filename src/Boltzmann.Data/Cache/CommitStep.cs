using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Boltzmann.Data.Tests")]

namespace Boltzmann.Data.Cache;

/// <summary>
/// Points inside a commit after which a crash is simulated in tests (<see cref="ArtifactCache.FaultInjector"/>),
/// to check that every intermediate on-disk state is either invisible or complete.
/// </summary>
internal enum CommitStep
{
    OutputsHashed,
    ManifestTempWritten,
    ManifestWritten,
    ScratchMovedAside,
    OldArtifactMovedAside,
    Published,
}
