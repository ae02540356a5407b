namespace Boltzmann.Learning.Persistence;

/// <summary>
/// The leading tag and layout version of a <see cref="ModuleCheckpoint"/> file: which kind of module the options
/// JSON describes. A loader refuses a file of another kind or version with a clear error instead of misreading it.
/// </summary>
public sealed record ModuleCheckpointKind(string Tag, int Version)
{
    /// <summary>The default kind of modules described by options of type <typeparamref name="TOptions"/>.</summary>
    public static ModuleCheckpointKind For<TOptions>() => new($"boltzmann-module/{typeof(TOptions).Name}", 1);
}
