using Boltzmann.Spins;
using System.Buffers;

namespace Boltzmann.Data.Parquet;

/// <summary>
/// A column-oriented block of dataset rows: one array per scalar column and one contiguous byte array
/// of packed spins (row r occupies bytes [r*B, (r+1)*B), B = ceil(N/8)). This is the unit the writer
/// turns into a Parquet row group and the reader yields per row group.
/// <para>
/// Appending rows never allocates per row: buffers are rented from <see cref="ArrayPool{T}.Shared"/>,
/// grow geometrically when full, and go back to the pool on <see cref="Dispose"/>. <see cref="Clear"/>
/// keeps the buffers for the next batch, and <see cref="SpinBatchPool"/> recycles whole batches.
/// </para>
/// <para>
/// A batch read with a column subset has a <see cref="Schema"/> holding only those columns and may
/// have no spins (<see cref="HasSpins"/> = false).
/// </para>
/// </summary>
public sealed class SpinBatch : IDisposable
{
    private readonly SpinColumnType[] _types;
    private readonly Array?[] _columns;
    private byte[] _spins;
    private int _capacity;
    private bool _disposed;

    /// <summary>Creates an empty batch for <paramref name="schema"/> with room for <paramref name="capacity"/> rows.</summary>
    /// <param name="schema">Scalar columns and N.</param>
    /// <param name="capacity">Initial row capacity (grows on demand).</param>
    /// <param name="includeSpins">False for a batch that carries scalar columns only.</param>
    public SpinBatch(SpinDatasetSchema schema, int capacity = 1024, bool includeSpins = true)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Schema = schema;
        HasSpins = includeSpins;
        BytesPerConfiguration = schema.BytesPerConfiguration;
        _types = schema.Columns.Select(c => c.Type).ToArray();
        _columns = new Array?[_types.Length];
        _spins = [];
        _capacity = 0;
        Grow(Math.Max(capacity, 1));
    }

    /// <summary>Columns (in this batch's order) and N.</summary>
    public SpinDatasetSchema Schema { get; }

    /// <summary>Whether the batch carries the packed spins column.</summary>
    public bool HasSpins { get; }

    /// <summary>Bytes per packed configuration, ceil(N/8).</summary>
    public int BytesPerConfiguration { get; }

    /// <summary>Number of spins N per configuration.</summary>
    public int SpinCount => Schema.SpinCount;

    /// <summary>Number of rows currently in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Rows the batch can hold before its buffers grow.</summary>
    public int Capacity => _capacity;

    /// <summary>Values of an int32 column for the current rows (writable).</summary>
    public Span<int> Int32Column(int column) => Column<int>(column, SpinColumnType.Int32).AsSpan(0, Count);

    /// <summary>Values of an int64 column for the current rows (writable).</summary>
    public Span<long> Int64Column(int column) => Column<long>(column, SpinColumnType.Int64).AsSpan(0, Count);

    /// <summary>Values of a double column for the current rows (writable).</summary>
    public Span<double> DoubleColumn(int column) => Column<double>(column, SpinColumnType.Double).AsSpan(0, Count);

    /// <summary>Values of the int32 column named <paramref name="name"/>.</summary>
    public Span<int> Int32Column(string name) => Int32Column(Schema.GetIndex(name));

    /// <summary>Values of the int64 column named <paramref name="name"/>.</summary>
    public Span<long> Int64Column(string name) => Int64Column(Schema.GetIndex(name));

    /// <summary>Values of the double column named <paramref name="name"/>.</summary>
    public Span<double> DoubleColumn(string name) => DoubleColumn(Schema.GetIndex(name));

    /// <summary>Value of any scalar column at <paramref name="row"/>, widened to double (for generic tabulation).</summary>
    public double GetAsDouble(int column, int row)
    {
        CheckRow(row);
        return _types[column] switch
        {
            SpinColumnType.Int32 => ((int[])_columns[column]!)[row],
            SpinColumnType.Int64 => ((long[])_columns[column]!)[row],
            _ => ((double[])_columns[column]!)[row],
        };
    }

    /// <summary>All packed spins of the current rows, row after row (writable).</summary>
    public Span<byte> PackedSpins
    {
        get
        {
            RequireSpins();
            return _spins.AsSpan(0, Count * BytesPerConfiguration);
        }
    }

    /// <summary>The packed configuration of one row (writable).</summary>
    public Span<byte> GetPackedSpins(int row)
    {
        RequireSpins();
        CheckRow(row);
        return _spins.AsSpan(row * BytesPerConfiguration, BytesPerConfiguration);
    }

    /// <summary>Unpacks the configuration of one row into ±1 values (length N).</summary>
    public void UnpackSpins(int row, Span<sbyte> spins) => SpinPacking.Unpack(GetPackedSpins(row), spins);

    /// <summary>Appends one row with all scalar values 0 and all spins +1, and returns a setter for it.</summary>
    public SpinRow AddRow()
    {
        int row = AddRows(1);
        return new SpinRow(this, row);
    }

    /// <summary>
    /// Appends <paramref name="count"/> rows (scalars 0, spins +1) and returns the index of the first,
    /// for callers that fill whole column ranges at once.
    /// </summary>
    public int AddRows(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int start = Count;
        EnsureCapacity(checked(start + count));
        for (int c = 0; c < _columns.Length; c++)
            Array.Clear(_columns[c]!, start, count);
        if (HasSpins)
            Array.Clear(_spins, start * BytesPerConfiguration, count * BytesPerConfiguration);
        Count = start + count;
        return start;
    }

    /// <summary>Appends rows [<paramref name="start"/>, start + count) of <paramref name="source"/>, which must have the same schema and spins presence.</summary>
    public void AppendRows(SpinBatch source, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Schema.Equals(Schema) || source.HasSpins != HasSpins)
            throw new ArgumentException($"Cannot append rows of a batch with schema [{source.Schema}] (spins: {source.HasSpins}) to one with [{Schema}] (spins: {HasSpins}).", nameof(source));
        if (start < 0 || count < 0 || start + count > source.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows [{start}, {start + count}) are outside the source's {source.Count} rows.");
        int dst = AddRows(count);
        for (int c = 0; c < _columns.Length; c++)
            Array.Copy(source._columns[c]!, start, _columns[c]!, dst, count);
        if (HasSpins)
        {
            int b = BytesPerConfiguration;
            Array.Copy(source._spins, start * b, _spins, dst * b, count * b);
        }
    }

    /// <summary>A deep copy with its own buffers (e.g. to keep a batch a reusing reader will overwrite).</summary>
    public SpinBatch Clone()
    {
        var copy = new SpinBatch(Schema, Math.Max(Count, 1), HasSpins);
        copy.AppendRows(this, 0, Count);
        return copy;
    }

    /// <summary>Removes all rows but keeps the buffers.</summary>
    public void Clear()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Count = 0;
    }

    /// <summary>Grows the buffers (geometrically) so that <paramref name="rows"/> rows fit.</summary>
    public void EnsureCapacity(int rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (rows > _capacity)
            Grow(Math.Max(rows, (int)Math.Min(int.MaxValue / 2, 2L * _capacity)));
    }

    /// <summary>Returns the buffers to the pool; the batch is unusable afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        for (int c = 0; c < _columns.Length; c++)
        {
            switch (_columns[c])
            {
                case int[] a: ArrayPool<int>.Shared.Return(a); break;
                case long[] a: ArrayPool<long>.Shared.Return(a); break;
                case double[] a: ArrayPool<double>.Shared.Return(a); break;
            }
            _columns[c] = null;
        }
        if (_spins.Length > 0)
            ArrayPool<byte>.Shared.Return(_spins);
        _spins = [];
        Count = 0;
        _capacity = 0;
    }

    /// <summary>The backing array of a column (length may exceed <see cref="Count"/>); for the reader and writer.</summary>
    internal T[] Column<T>(int column, SpinColumnType expected)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)column >= (uint)_types.Length)
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The batch has {_types.Length} scalar columns.");
        if (_types[column] != expected)
            throw new InvalidOperationException($"Column '{Schema[column].Name}' is {SpinDatasetSchema.TypeName(_types[column])}, not {SpinDatasetSchema.TypeName(expected)}.");
        return (T[])_columns[column]!;
    }

    /// <summary>The backing array of the packed spins (length may exceed Count*B); for the reader and writer.</summary>
    internal byte[] SpinsArray
    {
        get
        {
            RequireSpins();
            return _spins;
        }
    }

    /// <summary>Sets the row count directly after the reader has filled the backing arrays.</summary>
    internal void SetCountUnchecked(int count)
    {
        EnsureCapacity(count);
        Count = count;
    }

    internal SpinColumnType TypeOf(int column) => _types[column];

    private void Grow(int capacity)
    {
        for (int c = 0; c < _columns.Length; c++)
            _columns[c] = _types[c] switch
            {
                SpinColumnType.Int32 => Regrow(ArrayPool<int>.Shared, (int[]?)_columns[c], capacity),
                SpinColumnType.Int64 => Regrow(ArrayPool<long>.Shared, (long[]?)_columns[c], capacity),
                _ => Regrow(ArrayPool<double>.Shared, (double[]?)_columns[c], capacity),
            };
        if (HasSpins)
        {
            int b = BytesPerConfiguration;
            long bytes = (long)capacity * b;
            if (bytes > Array.MaxLength)
                throw new InvalidOperationException($"A batch of {capacity} rows of {b} bytes exceeds the largest array; write smaller row groups.");
            _spins = Regrow(ArrayPool<byte>.Shared, _spins.Length == 0 ? null : _spins, (int)bytes, Count * b);
        }
        _capacity = capacity;
    }

    private T[] Regrow<T>(ArrayPool<T> pool, T[]? old, int length) => Regrow(pool, old, length, Count);

    private static T[] Regrow<T>(ArrayPool<T> pool, T[]? old, int length, int keep)
    {
        var fresh = pool.Rent(length);
        if (old is not null)
        {
            Array.Copy(old, fresh, keep);
            pool.Return(old);
        }
        return fresh;
    }

    private void RequireSpins()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!HasSpins)
            throw new InvalidOperationException("This batch was read without the spins column.");
    }

    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The batch has {Count} rows.");
    }
}
