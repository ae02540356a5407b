using System.Buffers;
using System.Security.Cryptography;

namespace Boltzmann.Data.Cache;

/// <summary>
/// Streaming SHA-256 of files, for committing and verifying artifacts. Files are read sequentially in 1 MiB
/// blocks (no whole-file buffering, so GB datasets use constant memory) and several files are hashed in
/// parallel, since one SHA-256 stream is inherently sequential.
/// </summary>
public static class FileHasher
{
    private const int BlockSize = 1 << 20;

    /// <summary>Lowercase hex SHA-256 of a file's bytes.</summary>
    public static string Sha256Hex(string path)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            int read;
            while ((read = stream.Read(buffer, 0, BlockSize)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Hashes several files, largest first, on up to <see cref="Environment.ProcessorCount"/> threads; the
    /// result is in the order of <paramref name="paths"/>.
    /// </summary>
    public static string[] Sha256Hex(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var result = new string[paths.Count];
        if (paths.Count == 0) return result;
        if (paths.Count == 1)
        {
            result[0] = Sha256Hex(paths[0]);
            return result;
        }
        var order = Enumerable.Range(0, paths.Count)
            .OrderByDescending(i => SafeLength(paths[i]))
            .ToArray();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => result[i] = Sha256Hex(paths[i]));
        return result;
    }

    private static long SafeLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
