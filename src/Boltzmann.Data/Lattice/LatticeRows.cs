namespace Boltzmann.Data.Lattice;

/// <summary>
/// One row group read back from a lattice dataset: identity columns, scalar columns by name, and (when requested)
/// the configurations as float32, row r at [r*FieldLength, (r+1)*FieldLength).
/// </summary>
public sealed record LatticeRows(
    LatticeDatasetSchema Schema,
    int Part,
    int[] Chain,
    long[] Trajectory,
    IReadOnlyDictionary<string, double[]> Scalars,
    float[]? Field)
{
    public int Count => Chain.Length;

    public double[] Column(string name) =>
        Scalars.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"Lattice dataset has no scalar column '{name}'.");

    public ReadOnlySpan<float> Configuration(int row) =>
        (Field ?? throw new InvalidOperationException("The configurations were not read (includeField: false)."))
            .AsSpan(row * Schema.FieldLength, Schema.FieldLength);
}
