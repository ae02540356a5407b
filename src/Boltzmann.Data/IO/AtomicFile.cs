namespace Boltzmann.Data.IO;

/// <summary>
/// Writes a file so that it appears under its final name only when complete: the content goes to a
/// hidden temporary file in the same directory (same file system, so the rename is atomic), is flushed
/// to disk, and is then renamed over the destination. A process killed mid-write leaves at most a
/// stray temporary file, never a truncated file under the real name.
/// </summary>
public static class AtomicFile
{
    /// <summary>Suffix of temporary files; readers of dataset directories ignore such files.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>The temporary path used while writing <paramref name="path"/>: ".&lt;name&gt;.tmp" beside it.</summary>
    public static string TemporaryPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        return Path.Combine(dir, "." + Path.GetFileName(full) + TemporarySuffix);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically (replacing any existing file).</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        string temp = TemporaryPathFor(path);
        try
        {
            using (var fs = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temporary file is harmless (readers ignore it) and is overwritten next time.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
