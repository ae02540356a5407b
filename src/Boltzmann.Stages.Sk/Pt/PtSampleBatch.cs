using Boltzmann.Data.Parquet;

namespace Boltzmann.Stages.Sk.Pt;

/// <summary>
/// One row group of an sk-pt dataset with named, typed column accessors. Only the columns asked for in
/// <see cref="PtDataset.ReadAsync"/> are present (asking for another throws). Valid until the next batch is
/// requested: copy what you keep.
/// </summary>
public sealed class PtSampleBatch
{
    private readonly SpinBatch _batch;
    private readonly int _instance, _chain, _slot, _walker, _beta, _temperature, _sweep, _energy, _magnetization;

    internal PtSampleBatch(SpinBatch batch)
    {
        _batch = batch;
        // Positions resolved once per batch, so indexing a column per row costs no name lookup; -1 = not read.
        var schema = batch.Schema;
        _instance = schema.IndexOf(PtDatasetSchema.Instance.Name);
        _chain = schema.IndexOf(PtDatasetSchema.Chain.Name);
        _slot = schema.IndexOf(PtDatasetSchema.Slot.Name);
        _walker = schema.IndexOf(PtDatasetSchema.Walker.Name);
        _beta = schema.IndexOf(PtDatasetSchema.Beta.Name);
        _temperature = schema.IndexOf(PtDatasetSchema.Temperature.Name);
        _sweep = schema.IndexOf(PtDatasetSchema.Sweep.Name);
        _energy = schema.IndexOf(PtDatasetSchema.Energy.Name);
        _magnetization = schema.IndexOf(PtDatasetSchema.Magnetization.Name);
    }

    public int Count => _batch.Count;

    public ReadOnlySpan<int> Instance => _batch.Int32Column(Read(_instance, PtDatasetSchema.Instance));
    public ReadOnlySpan<int> Chain => _batch.Int32Column(Read(_chain, PtDatasetSchema.Chain));
    public ReadOnlySpan<int> Slot => _batch.Int32Column(Read(_slot, PtDatasetSchema.Slot));
    public ReadOnlySpan<int> Walker => _batch.Int32Column(Read(_walker, PtDatasetSchema.Walker));
    public ReadOnlySpan<double> Beta => _batch.DoubleColumn(Read(_beta, PtDatasetSchema.Beta));
    public ReadOnlySpan<double> Temperature => _batch.DoubleColumn(Read(_temperature, PtDatasetSchema.Temperature));
    public ReadOnlySpan<long> Sweep => _batch.Int64Column(Read(_sweep, PtDatasetSchema.Sweep));
    public ReadOnlySpan<double> Energy => _batch.DoubleColumn(Read(_energy, PtDatasetSchema.Energy));
    public ReadOnlySpan<double> Magnetization => _batch.DoubleColumn(Read(_magnetization, PtDatasetSchema.Magnetization));

    /// <summary>The packed configuration of row <paramref name="row"/> (ceil(N/8) bytes; needs spins to have been read).</summary>
    public ReadOnlySpan<byte> PackedSpins(int row) => _batch.GetPackedSpins(row);

    /// <summary>Unpacks row <paramref name="row"/> to ±1 into <paramref name="spins"/> (length N).</summary>
    public void UnpackSpins(int row, Span<sbyte> spins) => _batch.UnpackSpins(row, spins);

    private static int Read(int position, SpinScalarColumn column) =>
        position >= 0 ? position : throw new InvalidOperationException($"column \"{column.Name}\" was not read; add it to the columns passed to {nameof(PtDataset)}.{nameof(PtDataset.ReadAsync)}");
}
