using System.Text.Json;
using global::Parquet.Schema;

namespace Boltzmann.Data.Lattice;

/// <summary>
/// Columns of a lattice configuration dataset: one row per stored configuration with the identity columns
/// chain (int32) and trajectory (int64), the scalar columns <see cref="Scalars"/> (double, e.g. kappa, action,
/// magnetisation, acceptance) and the configuration itself as a non-nullable list&lt;float&gt; column
/// <see cref="FieldColumn"/> of exactly <see cref="FieldLength"/> values (phi in site order x*T + t, or link
/// angles in order mu*V + site), which DuckDB reads as FLOAT[]. <see cref="Shape"/> is the torch shape of one
/// configuration ([L, T] or [2, L, T]).
/// </summary>
public sealed record LatticeDatasetSchema(IReadOnlyList<string> Scalars, string FieldColumn, IReadOnlyList<int> Shape)
{
    public const string ChainColumn = "chain";
    public const string TrajectoryColumn = "trajectory";

    /// <summary>Metadata key of the schema JSON in every part's footer.</summary>
    public const string MetadataKey = "boltzmann.lattice.schema";

    public int FieldLength => Shape.Aggregate(1, (a, b) => a * b);

    public void Validate()
    {
        if (Shape.Count == 0 || Shape.Any(s => s < 1)) throw new ArgumentException("Configuration shape must be non-empty with positive extents.");
        var names = new HashSet<string>(StringComparer.Ordinal) { ChainColumn, TrajectoryColumn };
        foreach (var n in Scalars.Append(FieldColumn))
            if (string.IsNullOrWhiteSpace(n) || !names.Add(n)) throw new ArgumentException($"Column name '{n}' is empty or repeated.");
    }

    public ParquetSchema ToParquetSchema()
    {
        var fields = new List<Field>
        {
            new DataField<int>(ChainColumn),
            new DataField<long>(TrajectoryColumn),
        };
        fields.AddRange(Scalars.Select(s => new DataField<double>(s)));
        fields.Add(new DataField(FieldColumn, typeof(float), isNullable: false, isArray: true));
        return new ParquetSchema(fields);
    }

    public string ToJson() => JsonSerializer.Serialize(new SchemaJson(Scalars.ToArray(), FieldColumn, Shape.ToArray()));

    public static LatticeDatasetSchema FromJson(string json)
    {
        var s = JsonSerializer.Deserialize<SchemaJson>(json) ?? throw new InvalidDataException("Empty lattice dataset schema.");
        var schema = new LatticeDatasetSchema(s.Scalars, s.Field, s.Shape);
        schema.Validate();
        return schema;
    }

    public bool Equals(LatticeDatasetSchema? other) =>
        other is not null && Scalars.SequenceEqual(other.Scalars) && FieldColumn == other.FieldColumn && Shape.SequenceEqual(other.Shape);

    public override int GetHashCode() => HashCode.Combine(FieldColumn, Scalars.Count, FieldLength);

    private sealed record SchemaJson(string[] Scalars, string Field, int[] Shape);
}
