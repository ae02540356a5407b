using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Boltzmann.IO;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Persistence;

/// <summary>
/// One file format for any trained module: a kind tag and version (<see cref="ModuleCheckpointKind"/>), the module's
/// options as JSON (enough to rebuild it), its state dict (TorchSharp's format: every parameter and persistent buffer
/// in the model dtype, so a restored module is bit-identical), then a SHA-256 of everything before it. Writes are
/// atomic (<see cref="AtomicFile"/>); a truncated, altered or foreign file is rejected with a clear error. A new model
/// needs no persistence code: an options record and a constructor from it.
/// </summary>
public static class ModuleCheckpoint
{
    private const int HashLength = 32;

    /// <summary>Saves <paramref name="module"/> with its <paramref name="options"/> (default kind: <see cref="ModuleCheckpointKind.For{TOptions}"/>).</summary>
    public static void Save<TOptions>(string path, TOptions options, nn.Module module, ModuleCheckpointKind? kind = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(module);
        kind ??= ModuleCheckpointKind.For<TOptions>();
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(kind.Tag);
            writer.Write(kind.Version);
            writer.Write(JsonSerializer.Serialize(options));
            module.save(writer);
            writer.Flush();
        }
        var hash = SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length));
        payload.Write(hash);
        AtomicFile.WriteAllBytes(path, payload.GetBuffer().AsSpan(0, (int)payload.Length));
    }

    /// <summary>Reads only the options, after verifying the file's checksum, tag and version.</summary>
    public static TOptions ReadOptions<TOptions>(string path, ModuleCheckpointKind? kind = null)
    {
        var bytes = ReadVerified(path);
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - HashLength), Encoding.UTF8);
        return ReadOptions<TOptions>(reader, path, kind ?? ModuleCheckpointKind.For<TOptions>());
    }

    /// <summary>
    /// Rebuilds the module with <paramref name="build"/> from the stored options and loads its state (strict: every
    /// tensor must match by name and shape). The module is disposed if loading fails.
    /// </summary>
    public static TModule Load<TOptions, TModule>(string path, Func<TOptions, TModule> build, ModuleCheckpointKind? kind = null)
        where TModule : nn.Module
    {
        ArgumentNullException.ThrowIfNull(build);
        var bytes = ReadVerified(path);
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - HashLength), Encoding.UTF8);
        var options = ReadOptions<TOptions>(reader, path, kind ?? ModuleCheckpointKind.For<TOptions>());
        var module = build(options);
        try
        {
            module.load(reader, strict: true);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private static byte[] ReadVerified(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length <= HashLength)
            throw new InvalidDataException($"{path}: {bytes.Length} bytes is too short to be a checkpoint (truncated?).");
        var expected = SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength));
        if (!expected.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
            throw new InvalidDataException($"{path}: SHA-256 mismatch; the checkpoint is corrupted or truncated and was not loaded.");
        return bytes;
    }

    private static TOptions ReadOptions<TOptions>(BinaryReader reader, string path, ModuleCheckpointKind kind)
    {
        string tag;
        try { tag = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { throw new InvalidDataException($"{path}: not a {kind.Tag} checkpoint.", e); }
        if (tag != kind.Tag) throw new InvalidDataException($"{path}: not a {kind.Tag} checkpoint (tag '{tag}').");
        int version = reader.ReadInt32();
        if (version != kind.Version)
            throw new InvalidDataException($"{path}: {kind.Tag} checkpoint format version {version} is not supported; this build reads version {kind.Version}.");
        try
        {
            return JsonSerializer.Deserialize<TOptions>(reader.ReadString()) ?? throw new InvalidDataException($"{path}: empty checkpoint options.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the checkpoint options are not valid JSON for {typeof(TOptions).Name} ({e.Message}).", e);
        }
    }
}
