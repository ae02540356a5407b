using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Boltzmann.Learning.Training;

/// <summary>
/// On-disk layout of training checkpoints. Each checkpoint is one directory "step-NNNNNNNNNN" (completed
/// steps, zero-padded) under the checkpoint root, holding model.bin (parameters and buffers, TorchSharp
/// format), optimizer.bin (Adam's per-parameter step counts and moment buffers plus its options, TorchSharp's
/// optimizer state format), generators.bin (every registered torch.Generator state), loss-log.csv,
/// checkpoint.json (<see cref="CheckpointManifest"/>) and checkpoint.sha256. A checkpoint is written into a
/// hidden temporary directory ".step-….tmp" (every file flushed to disk) and renamed into place, so a process
/// killed at any moment leaves either the complete checkpoint or none; SHA-256 hashes catch later damage.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>Version of the layout written by this code.</summary>
    public const int FormatVersion = 1;

    public const string ModelFile = "model.bin";
    public const string OptimizerFile = "optimizer.bin";
    public const string GeneratorsFile = "generators.bin";
    public const string LossLogFile = "loss-log.csv";
    public const string ManifestFile = "checkpoint.json";
    public const string ManifestHashFile = "checkpoint.sha256";

    /// <summary>Prefix of the directory a corrupt checkpoint is moved to by <see cref="Trainer.Resume()"/>.</summary>
    public const string QuarantinePrefix = "corrupt-";

    private const string Prefix = "step-";
    private const string TemporarySuffix = ".tmp";

    /// <summary>The files every checkpoint must contain besides the manifest and its hash.</summary>
    public static IReadOnlyList<string> DataFiles { get; } = [ModelFile, OptimizerFile, GeneratorsFile, LossLogFile];

    /// <summary>The file of a registered job state (<see cref="ICheckpointState"/>).</summary>
    public static string StateFile(string name) => $"state-{name}.bin";

    /// <summary>Every data file of a checkpoint with this manifest: the fixed ones, then one per job state.</summary>
    private static IEnumerable<string> AllDataFiles(CheckpointManifest manifest) =>
        DataFiles.Concat((manifest.States ?? []).Select(StateFile));

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Directory name of the checkpoint after <paramref name="completedSteps"/> steps.</summary>
    public static string DirectoryName(long completedSteps) =>
        Prefix + completedSteps.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>Checkpoint directories under <paramref name="root"/> (by name, not yet verified), oldest first.</summary>
    public static IReadOnlyList<(long CompletedSteps, string Path)> List(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Directory.Exists(root)) return [];
        var found = new List<(long, string)>();
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(dir);
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            if (long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long steps)
                && name == DirectoryName(steps))
                found.Add((steps, dir));
        }
        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }

    /// <summary>Checks that a checkpoint is complete and intact; returns its manifest or throws <see cref="CheckpointCorruptException"/>.</summary>
    public static CheckpointManifest Verify(string checkpoint) => ReadVerified(checkpoint).Manifest;

    /// <summary>Reads and verifies every file of a checkpoint (all hashes checked before anything is returned).</summary>
    internal static (CheckpointManifest Manifest, Dictionary<string, byte[]> Files) ReadVerified(string checkpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpoint);
        if (!Directory.Exists(checkpoint)) throw new CheckpointCorruptException(checkpoint, "the directory does not exist");
        byte[] manifestBytes = ReadFile(checkpoint, ManifestFile);
        string expectedManifestHash = Encoding.ASCII.GetString(ReadFile(checkpoint, ManifestHashFile)).Trim();
        string manifestHash = Sha256(manifestBytes);
        if (manifestHash != expectedManifestHash)
            throw new CheckpointCorruptException(checkpoint, $"{ManifestFile} SHA-256 is {manifestHash}, {ManifestHashFile} says {expectedManifestHash}");
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(manifestBytes, Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointCorruptException(checkpoint, $"{ManifestFile} is not valid JSON ({e.Message})");
        }
        if (manifest is null || manifest.Files is null || manifest.Options is null || manifest.Tensors is null
            || manifest.Generators is null || manifest.RandomStreams is null || manifest.Divergence is null)
            throw new CheckpointCorruptException(checkpoint, $"{ManifestFile} lacks required fields");
        if (manifest.FormatVersion != FormatVersion)
            throw new CheckpointCorruptException(checkpoint, $"format version {manifest.FormatVersion}, this code reads version {FormatVersion}");
        if (Path.GetFileName(Path.TrimEndingDirectorySeparator(checkpoint)) is var name && name.StartsWith(Prefix, StringComparison.Ordinal)
            && name != DirectoryName(manifest.CompletedSteps))
            throw new CheckpointCorruptException(checkpoint, $"the directory name says {name} but the manifest says {manifest.CompletedSteps} completed steps");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in AllDataFiles(manifest))
        {
            if (!manifest.Files.TryGetValue(file, out var expected))
                throw new CheckpointCorruptException(checkpoint, $"{ManifestFile} has no hash for {file}");
            var bytes = ReadFile(checkpoint, file);
            var actual = Sha256(bytes);
            if (actual != expected)
                throw new CheckpointCorruptException(checkpoint, $"{file} SHA-256 is {actual}, the manifest says {expected}");
            files[file] = bytes;
        }
        return (manifest, files);
    }

    /// <summary>
    /// Writes a checkpoint atomically (temporary directory, then rename) and returns its path. An existing
    /// checkpoint of the same step (e.g. recomputed after a fallback) is replaced.
    /// </summary>
    internal static string Write(string root, CheckpointManifest manifest, IReadOnlyDictionary<string, byte[]> files)
    {
        Directory.CreateDirectory(root);
        string final = Path.Combine(root, DirectoryName(manifest.CompletedSteps));
        string temp = Path.Combine(root, $".{DirectoryName(manifest.CompletedSteps)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporarySuffix}");
        Directory.CreateDirectory(temp);
        try
        {
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in AllDataFiles(manifest))
            {
                var bytes = files[file];
                WriteFlushed(Path.Combine(temp, file), bytes);
                hashes[file] = Sha256(bytes);
            }
            var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest with { Files = hashes }, Json);
            WriteFlushed(Path.Combine(temp, ManifestFile), manifestBytes);
            WriteFlushed(Path.Combine(temp, ManifestHashFile), Encoding.ASCII.GetBytes(Sha256(manifestBytes) + "\n"));
            if (Directory.Exists(final))
            {
                string old = Path.Combine(root, $".{DirectoryName(manifest.CompletedSteps)}.{Guid.NewGuid():N}.replaced{TemporarySuffix}");
                Directory.Move(final, old);
                Directory.Move(temp, final);
                TryDeleteDirectory(old);
            }
            else
            {
                Directory.Move(temp, final);
            }
            return final;
        }
        catch
        {
            TryDeleteDirectory(temp);
            throw;
        }
    }

    /// <summary>Deletes the oldest checkpoints so that at most <paramref name="keep"/> remain.</summary>
    internal static void Prune(string root, int keep)
    {
        var all = List(root);
        for (int i = 0; i < all.Count - keep; i++) TryDeleteDirectory(all[i].Path);
    }

    /// <summary>Removes temporary directories left by a killed writer.</summary>
    internal static void CleanTemporary(string root)
    {
        if (!Directory.Exists(root)) return;
        foreach (var dir in Directory.EnumerateDirectories(root, "." + Prefix + "*" + TemporarySuffix))
            TryDeleteDirectory(dir);
    }

    /// <summary>Renames a corrupt checkpoint out of the way ("corrupt-step-…[-n]") and returns the new path.</summary>
    internal static string Quarantine(string checkpoint)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(checkpoint))!;
        string name = QuarantinePrefix + Path.GetFileName(checkpoint);
        string target = Path.Combine(parent, name);
        for (int n = 1; Directory.Exists(target); n++) target = Path.Combine(parent, $"{name}-{n}");
        Directory.Move(checkpoint, target);
        return target;
    }

    internal static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] ReadFile(string checkpoint, string file)
    {
        string path = Path.Combine(checkpoint, file);
        if (!File.Exists(path)) throw new CheckpointCorruptException(checkpoint, $"{file} is missing");
        return File.ReadAllBytes(path);
    }

    private static void WriteFlushed(string path, ReadOnlySpan<byte> bytes)
    {
        using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        fs.Write(bytes);
        fs.Flush(flushToDisk: true);
    }

    private static void TryDeleteDirectory(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
