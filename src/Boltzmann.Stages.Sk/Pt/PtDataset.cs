using System.Runtime.CompilerServices;
using Boltzmann.Data.Parquet;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Sk.Pt;

/// <summary>
/// The one reader of the dataset an sk-pt stage wrote (samples/ in its output): checks on opening that it has
/// the sk-pt columns (<see cref="PtDatasetSchema"/>), then streams it row group by row group in storage order
/// (instance, then part, then sample; within a sample chain-major, slot-minor), with typed column access.
/// </summary>
public sealed class PtDataset
{
    private readonly SpinDatasetReader _reader;

    private PtDataset(SpinDatasetReader reader) => _reader = reader;

    /// <summary>The dataset folder.</summary>
    public string Path => _reader.Path;

    /// <summary>Number of spins N per configuration.</summary>
    public int SpinCount => _reader.Schema.SpinCount;

    /// <summary>Bytes of one packed configuration, ceil(N/8).</summary>
    public int BytesPerConfiguration => _reader.Schema.BytesPerConfiguration;

    public long RowCount => _reader.RowCount;

    /// <summary>Opens the dataset of an sk-pt stage's output.</summary>
    public static Task<PtDataset> OpenAsync(UpstreamArtifact samples, CancellationToken cancellation) =>
        OpenAsync(samples.PathOf(SkParallelTemperingStage.SamplesDir), cancellation);

    /// <summary>Opens an sk-pt dataset folder.</summary>
    /// <exception cref="StageInputException">The folder holds a spin dataset without the sk-pt columns.</exception>
    public static async Task<PtDataset> OpenAsync(string directory, CancellationToken cancellation)
    {
        var reader = await SpinDatasetReader.OpenAsync(directory, cancellation);
        if (PtDatasetSchema.DescribeMismatch(reader.Schema) is { } problem)
            throw new StageInputException($"{directory}: not an sk-pt dataset: {problem}");
        return new PtDataset(reader);
    }

    /// <summary>
    /// Streams the selected <paramref name="columns"/> (and the packed spins when <paramref name="includeSpins"/>).
    /// One buffer is refilled for every row group, so a batch is valid only until the next one is requested.
    /// </summary>
    public async IAsyncEnumerable<PtSampleBatch> ReadAsync(PtColumns columns, bool includeSpins,
                                                           [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await foreach (var batch in _reader.ReadBatchesAsync(PtDatasetSchema.Names(columns), includeSpins, reuseBatch: true, cancellation))
            yield return new PtSampleBatch(batch);
    }
}
