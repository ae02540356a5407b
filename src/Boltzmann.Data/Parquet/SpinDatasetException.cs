namespace Boltzmann.Data.Parquet;

/// <summary>
/// A dataset file is unreadable, corrupt, or disagrees with the rest of its dataset. The message starts
/// with the file's path so a failed run points at the exact part to delete or regenerate.
/// </summary>
public sealed class SpinDatasetException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public SpinDatasetException(string filePath, string message, Exception? innerException = null)
        : base($"{filePath}: {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The offending file (or dataset directory).</summary>
    public string FilePath { get; }
}
