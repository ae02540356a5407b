using System.Text;

namespace Boltzmann.IO;

/// <summary>
/// Writes a file so that it appears under its final name only when complete: the content goes to a hidden
/// temporary file in the same directory (same file system, so the rename is atomic), is flushed to disk,
/// and is then renamed over the destination. A process killed mid-write leaves at most a stray
/// ".&lt;name&gt;.tmp" file (which readers ignore), never a truncated file under the real name.
/// One implementation for every layer (datasets, figures, tables, checkpoints, manifests).
/// </summary>
public static class AtomicFile
{
    /// <summary>Suffix of temporary files; readers of dataset directories ignore such files.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>
    /// True for a temporary file of this class (".&lt;name&gt;…tmp"): a write a kill interrupted. Such files are
    /// never outputs: the cache neither hashes, lists nor publishes them.
    /// </summary>
    public static bool IsTemporary(string fileName) =>
        fileName.StartsWith('.') && fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal);

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// The deterministic temporary path ".&lt;name&gt;.tmp" beside <paramref name="path"/>, for writers that hold
    /// an exclusive lock on the destination (a resumed writer overwrites a stale one).
    /// </summary>
    public static string TemporaryPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        return Path.Combine(dir, "." + Path.GetFileName(full) + TemporarySuffix);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically, creating the directory.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var temp = UniqueTemporaryPath(path);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
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

    /// <summary>UTF-8 text (no byte-order mark), atomically.</summary>
    public static void WriteAllText(string path, string content) => WriteAllBytes(path, Utf8NoBom.GetBytes(content));

    /// <summary>Lets <paramref name="writeTemporary"/> write a temporary file (e.g. a library that wants a path), then renames it.</summary>
    public static void Write(string path, Action<string> writeTemporary)
    {
        var temp = UniqueTemporaryPath(path);
        try
        {
            writeTemporary(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Best-effort delete: a stray temporary file is harmless (readers ignore it) and the original error matters more.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A temporary name unique to this process and call, so concurrent writers never share one.</summary>
    private static string UniqueTemporaryPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporarySuffix}");
    }
}
