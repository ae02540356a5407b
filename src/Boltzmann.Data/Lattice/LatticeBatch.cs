namespace Boltzmann.Data.Lattice;

/// <summary>
/// A block of configuration rows in column form, ready to be written as one row group: chain and trajectory
/// columns, one double array per scalar column and all configurations contiguous as float32 (row r occupies
/// [r*FieldLength, (r+1)*FieldLength)). Filled by <see cref="Add"/>; fixed capacity.
/// </summary>
public sealed class LatticeBatch
{
    private readonly int[] _chain;
    private readonly long[] _trajectory;
    private readonly double[][] _scalars;
    private readonly float[] _field;

    public LatticeBatch(LatticeDatasetSchema schema, int capacity)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Schema = schema;
        Capacity = capacity;
        _chain = new int[capacity];
        _trajectory = new long[capacity];
        _scalars = schema.Scalars.Select(_ => new double[capacity]).ToArray();
        _field = new float[checked(capacity * schema.FieldLength)];
    }

    public LatticeDatasetSchema Schema { get; }

    public int Capacity { get; }

    public int Count { get; private set; }

    /// <summary>Appends a row; <paramref name="scalars"/> in schema order, <paramref name="field"/> rounded to float32.</summary>
    public void Add(int chain, long trajectory, ReadOnlySpan<double> scalars, ReadOnlySpan<double> field)
    {
        if (Count == Capacity) throw new InvalidOperationException($"Batch is full ({Capacity} rows).");
        if (scalars.Length != _scalars.Length) throw new ArgumentException($"Expected {_scalars.Length} scalars, got {scalars.Length}.", nameof(scalars));
        int n = Schema.FieldLength;
        if (field.Length != n) throw new ArgumentException($"Expected a configuration of {n} values, got {field.Length}.", nameof(field));
        int r = Count;
        _chain[r] = chain;
        _trajectory[r] = trajectory;
        for (int k = 0; k < scalars.Length; k++) _scalars[k][r] = scalars[k];
        var dst = _field.AsSpan(r * n, n);
        for (int i = 0; i < n; i++) dst[i] = (float)field[i];
        Count++;
    }

    public ReadOnlyMemory<int> Chains => _chain.AsMemory(0, Count);

    public ReadOnlyMemory<long> Trajectories => _trajectory.AsMemory(0, Count);

    public ReadOnlyMemory<double> Scalar(int k) => _scalars[k].AsMemory(0, Count);

    public ReadOnlyMemory<float> Fields => _field.AsMemory(0, Count * Schema.FieldLength);
}
