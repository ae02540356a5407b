using Boltzmann.Data.Parquet;

namespace Boltzmann.Stages.Sk.Pt;

/// <summary>
/// The schema of the dataset an sk-pt stage writes: one row per (sample, chain, slot) with the columns of
/// <see cref="PtSample"/>, in this order, followed by the packed spins. The order and types are the file
/// layout: changing them changes every dataset's bytes (and the readers' expectations), so they live here once.
/// </summary>
public static class PtDatasetSchema
{
    public static readonly SpinScalarColumn Instance = SpinScalarColumn.Int32("instance");
    public static readonly SpinScalarColumn Chain = SpinScalarColumn.Int32("chain");
    public static readonly SpinScalarColumn Slot = SpinScalarColumn.Int32("slot");
    public static readonly SpinScalarColumn Walker = SpinScalarColumn.Int32("walker");
    public static readonly SpinScalarColumn Beta = SpinScalarColumn.Double("beta");
    public static readonly SpinScalarColumn Temperature = SpinScalarColumn.Double("temperature");
    public static readonly SpinScalarColumn Sweep = SpinScalarColumn.Int64("sweep");
    public static readonly SpinScalarColumn Energy = SpinScalarColumn.Double("energy");
    public static readonly SpinScalarColumn Magnetization = SpinScalarColumn.Double("magnetization");

    /// <summary>The scalar columns in storage order, each with the <see cref="PtColumns"/> flag that selects it.</summary>
    public static IReadOnlyList<(SpinScalarColumn Column, PtColumns Flag)> Columns { get; } =
    [
        (Instance, PtColumns.Instance),
        (Chain, PtColumns.Chain),
        (Slot, PtColumns.Slot),
        (Walker, PtColumns.Walker),
        (Beta, PtColumns.Beta),
        (Temperature, PtColumns.Temperature),
        (Sweep, PtColumns.Sweep),
        (Energy, PtColumns.Energy),
        (Magnetization, PtColumns.Magnetization),
    ];

    // Positions in a full-width batch, derived from the order above (never written out by hand).
    private static readonly int InstanceAt = PositionOf(Instance), ChainAt = PositionOf(Chain), SlotAt = PositionOf(Slot),
        WalkerAt = PositionOf(Walker), BetaAt = PositionOf(Beta), TemperatureAt = PositionOf(Temperature),
        SweepAt = PositionOf(Sweep), EnergyAt = PositionOf(Energy), MagnetizationAt = PositionOf(Magnetization);

    /// <summary>The dataset schema for configurations of <paramref name="spinCount"/> spins.</summary>
    public static SpinDatasetSchema For(int spinCount) => new(spinCount, Columns.Select(c => c.Column));

    /// <summary>The names of the selected columns, in storage order.</summary>
    public static IReadOnlyList<string> Names(PtColumns columns) =>
        Columns.Where(c => columns.HasFlag(c.Flag)).Select(c => c.Column.Name).ToArray();

    /// <summary>
    /// Appends <paramref name="sample"/> to a batch of schema <see cref="For"/> and returns the row's packed-spin
    /// buffer, which the caller fills.
    /// </summary>
    public static Span<byte> Append(SpinBatch batch, in PtSample sample)
    {
        if (batch.Schema.Columns.Count != Columns.Count)
            throw new ArgumentException($"the batch has {batch.Schema.Columns.Count} scalar columns; an sk-pt batch has {Columns.Count}", nameof(batch));
        return batch.AddRow()
            .SetInt32(InstanceAt, sample.Instance).SetInt32(ChainAt, sample.Chain).SetInt32(SlotAt, sample.Slot).SetInt32(WalkerAt, sample.Walker)
            .SetDouble(BetaAt, sample.Beta).SetDouble(TemperatureAt, sample.Temperature).SetInt64(SweepAt, sample.Sweep)
            .SetDouble(EnergyAt, sample.Energy).SetDouble(MagnetizationAt, sample.Magnetization)
            .PackedSpins;
    }

    /// <summary>
    /// Null when <paramref name="schema"/> has every sk-pt column with its type, else a sentence naming what is
    /// missing or of the wrong type.
    /// </summary>
    public static string? DescribeMismatch(SpinDatasetSchema schema)
    {
        foreach (var (column, _) in Columns)
        {
            int i = schema.IndexOf(column.Name);
            if (i < 0) return $"it has no column \"{column.Name}\" (columns: {string.Join(", ", schema.Columns.Select(c => c.Name))})";
            if (schema[i].Type != column.Type) return $"its column \"{column.Name}\" is {schema[i]}, an sk-pt dataset stores {column}";
        }
        return null;
    }

    private static int PositionOf(SpinScalarColumn column)
    {
        for (int i = 0; i < Columns.Count; i++)
            if (Columns[i].Column == column) return i;
        throw new InvalidOperationException($"{column} is not an sk-pt column");
    }
}
