namespace Boltzmann.Data.Parquet;

/// <summary>One scalar column of a spin dataset: its name and physical type.</summary>
/// <param name="Name">Column name as stored in Parquet (e.g. "energy").</param>
/// <param name="Type">Physical type.</param>
public readonly record struct SpinScalarColumn(string Name, SpinColumnType Type)
{
    /// <summary>An int32 column.</summary>
    public static SpinScalarColumn Int32(string name) => new(name, SpinColumnType.Int32);

    /// <summary>An int64 column.</summary>
    public static SpinScalarColumn Int64(string name) => new(name, SpinColumnType.Int64);

    /// <summary>A double column.</summary>
    public static SpinScalarColumn Double(string name) => new(name, SpinColumnType.Double);

    /// <inheritdoc />
    public override string ToString() => $"{Name}:{SpinDatasetSchema.TypeName(Type)}";
}
