using Boltzmann.Spins;
using System.Text;
using System.Text.Json;
using global::Parquet.Schema;

namespace Boltzmann.Data.Parquet;

/// <summary>
/// Describes a spin dataset: an ordered list of scalar columns (int32, int64, double) followed by one
/// non-nullable binary column <c>spins</c> holding each configuration of <see cref="SpinCount"/> spins
/// packed with <see cref="SpinPacking"/> (ceil(N/8) bytes per row).
/// <para>
/// The schema is stored as JSON in every part's key/value metadata (key
/// <see cref="SpinDatasetMetadataKeys.Schema"/>), so a reader knows N and the packing without guessing,
/// and a part whose physical Parquet columns disagree with it is rejected.
/// </para>
/// </summary>
public sealed class SpinDatasetSchema : IEquatable<SpinDatasetSchema>
{
    /// <summary>Name of the packed spin column.</summary>
    public const string SpinsColumn = "spins";

    /// <summary>Format tag written into the schema JSON; bumped if the layout ever changes.</summary>
    public const string FormatTag = "boltzmann.spins/1";

    /// <summary>Human-readable statement of the packing convention, written next to the schema.</summary>
    public const string PackingDescription = "bit i%8 of byte i/8 (LSB first) is 1 iff spin i is -1; ceil(N/8) bytes per row; padding bits 0";

    private readonly SpinScalarColumn[] _columns;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a schema of <paramref name="spinCount"/> spins and the given scalar columns, in order.</summary>
    /// <exception cref="ArgumentException">A column name is empty, not an identifier, duplicated, or "spins".</exception>
    public SpinDatasetSchema(int spinCount, IEnumerable<SpinScalarColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (spinCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(spinCount), spinCount, "The number of spins N must be positive.");
        SpinCount = spinCount;
        BytesPerConfiguration = SpinPacking.BytesPerConfiguration(spinCount);
        _columns = columns.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            ValidateName(c.Name, i);
            if (!Enum.IsDefined(c.Type))
                throw new ArgumentException($"Column '{c.Name}' has an unknown type {(int)c.Type}.", nameof(columns));
            if (!_index.TryAdd(c.Name, i))
                throw new ArgumentException($"Column name '{c.Name}' appears twice (positions {_index[c.Name]} and {i}).", nameof(columns));
        }
    }

    /// <summary>Creates a schema of <paramref name="spinCount"/> spins and the given scalar columns.</summary>
    public static SpinDatasetSchema Create(int spinCount, params SpinScalarColumn[] columns) => new(spinCount, columns);

    /// <summary>Number of spins N per configuration.</summary>
    public int SpinCount { get; }

    /// <summary>Bytes of one packed configuration, ceil(N/8).</summary>
    public int BytesPerConfiguration { get; }

    /// <summary>The scalar columns in storage order (the spins column comes after them).</summary>
    public IReadOnlyList<SpinScalarColumn> Columns => _columns;

    /// <summary>Scalar column at position <paramref name="index"/>.</summary>
    public SpinScalarColumn this[int index] => _columns[index];

    /// <summary>Position of the scalar column named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out int i) ? i : -1;

    /// <summary>Position of the scalar column named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such column; the message lists the columns that exist.</exception>
    public int GetIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_index.TryGetValue(name, out int i))
            return i;
        throw new ArgumentException($"No scalar column '{name}' in the schema (columns: {string.Join(", ", _columns.Select(c => c.Name))}).", nameof(name));
    }

    /// <summary>A schema with the same N and only the named scalar columns, in the order given.</summary>
    public SpinDatasetSchema Select(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new SpinDatasetSchema(SpinCount, names.Select(n => _columns[GetIndex(n)]));
    }

    /// <summary>A schema with the same N and these scalar columns appended.</summary>
    public SpinDatasetSchema Append(params SpinScalarColumn[] columns) => new(SpinCount, _columns.Concat(columns));

    /// <summary>Canonical JSON (fixed key order, no whitespace) stored in the file metadata.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatTag);
            w.WriteNumber("spin_count", SpinCount);
            w.WriteNumber("bytes_per_configuration", BytesPerConfiguration);
            w.WriteString("spins_column", SpinsColumn);
            w.WriteString("packing", PackingDescription);
            w.WriteStartArray("columns");
            foreach (var c in _columns)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("type", TypeName(c.Type));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses the JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not a schema of this format.</exception>
    public static SpinDatasetSchema FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            string format = root.GetProperty("format").GetString() ?? "";
            if (format != FormatTag)
                throw new FormatException($"Unsupported spin dataset format '{format}' (expected '{FormatTag}').");
            int n = root.GetProperty("spin_count").GetInt32();
            var columns = new List<SpinScalarColumn>();
            foreach (var c in root.GetProperty("columns").EnumerateArray())
            {
                string name = c.GetProperty("name").GetString() ?? "";
                columns.Add(new SpinScalarColumn(name, ParseTypeName(c.GetProperty("type").GetString() ?? "")));
            }
            var schema = new SpinDatasetSchema(n, columns);
            if (root.TryGetProperty("bytes_per_configuration", out var bpc) && bpc.GetInt32() != schema.BytesPerConfiguration)
                throw new FormatException($"Schema says {bpc.GetInt32()} bytes per configuration, but N = {n} needs {schema.BytesPerConfiguration}.");
            return schema;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"Invalid spin dataset schema JSON: {e.Message}", e);
        }
    }

    /// <summary>The lower-case type name used in JSON and messages: int32, int64 or double.</summary>
    public static string TypeName(SpinColumnType type) => type switch
    {
        SpinColumnType.Int32 => "int32",
        SpinColumnType.Int64 => "int64",
        SpinColumnType.Double => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    /// <summary>Inverse of <see cref="TypeName"/>.</summary>
    public static SpinColumnType ParseTypeName(string name) => name switch
    {
        "int32" => SpinColumnType.Int32,
        "int64" => SpinColumnType.Int64,
        "double" => SpinColumnType.Double,
        _ => throw new FormatException($"Unknown column type '{name}' (expected int32, int64 or double)."),
    };

    /// <summary>The Parquet schema: scalar columns in order, then the non-nullable binary spins column.</summary>
    internal ParquetSchema ToParquetSchema()
    {
        var fields = new List<Field>(_columns.Length + 1);
        foreach (var c in _columns)
            fields.Add(ToDataField(c));
        fields.Add(new DataField<byte[]>(SpinsColumn, nullable: false));
        return new ParquetSchema(fields);
    }

    /// <summary>
    /// Checks that a part's physical Parquet schema is exactly this schema (same columns, order, types,
    /// non-nullable); returns null when it is, else a sentence saying what differs.
    /// </summary>
    internal string? DescribeMismatch(ParquetSchema physical)
    {
        var fields = physical.Fields;
        if (fields.Count != _columns.Length + 1)
            return $"the file has {fields.Count} columns ({string.Join(", ", fields.Select(f => f.Name))}) but the schema has {_columns.Length + 1} ({string.Join(", ", _columns.Select(c => c.Name).Append(SpinsColumn))})";
        for (int i = 0; i <= _columns.Length; i++)
        {
            if (fields[i] is not DataField df)
                return $"column {i} ('{fields[i].Name}') is not a primitive column";
            string expectedName = i < _columns.Length ? _columns[i].Name : SpinsColumn;
            System.Type expectedType = i < _columns.Length ? ClrType(_columns[i].Type) : typeof(byte[]);
            if (df.Name != expectedName)
                return $"column {i} is '{df.Name}' but the schema expects '{expectedName}'";
            // Parquet.Net reports a binary column as ReadOnlyMemory<byte> when reading and byte[] when writing.
            bool typeOk = df.ClrType == expectedType || (expectedType == typeof(byte[]) && df.ClrType == typeof(ReadOnlyMemory<byte>));
            if (!typeOk)
                return $"column '{df.Name}' has type {df.ClrType.Name} but the schema expects {expectedType.Name}";
            if (df.IsNullable || df.IsArray)
                return $"column '{df.Name}' is nullable or repeated; spin datasets use required columns only";
        }
        return null;
    }

    internal static DataField ToDataField(SpinScalarColumn c) => c.Type switch
    {
        SpinColumnType.Int32 => new DataField<int>(c.Name, nullable: false),
        SpinColumnType.Int64 => new DataField<long>(c.Name, nullable: false),
        SpinColumnType.Double => new DataField<double>(c.Name, nullable: false),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c.Type, "Unknown column type."),
    };

    internal static System.Type ClrType(SpinColumnType type) => type switch
    {
        SpinColumnType.Int32 => typeof(int),
        SpinColumnType.Int64 => typeof(long),
        SpinColumnType.Double => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    /// <inheritdoc />
    public bool Equals(SpinDatasetSchema? other)
        => other is not null && SpinCount == other.SpinCount && _columns.AsSpan().SequenceEqual(other._columns);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SpinDatasetSchema);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(SpinCount);
        foreach (var c in _columns)
            h.Add(c);
        return h.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"N={SpinCount}; {string.Join(", ", _columns)}, {SpinsColumn}:binary[{BytesPerConfiguration}]";

    private static void ValidateName(string? name, int position)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException($"Column {position} has an empty name.", "columns");
        if (name == SpinsColumn)
            throw new ArgumentException($"Column {position} is named '{SpinsColumn}', which is reserved for the packed spins.", "columns");
        bool ok = char.IsAsciiLetter(name[0]) || name[0] == '_';
        foreach (char ch in name)
            ok &= char.IsAsciiLetterOrDigit(ch) || ch == '_';
        if (!ok)
            throw new ArgumentException($"Column {position} name '{name}' is not an identifier ([A-Za-z_][A-Za-z0-9_]*), which keeps it usable from SQL and DataFrames.", "columns");
    }
}
