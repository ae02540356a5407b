using global::Parquet;
using global::Parquet.Schema;

namespace Boltzmann.Data.Lattice;

/// <summary>
/// Reads a lattice configuration dataset written by <see cref="LatticeDatasetWriter"/>: the parts in order,
/// row group by row group, as <see cref="LatticeRows"/> (scalar columns, and the configurations when asked for).
/// </summary>
public static class LatticeDatasetReader
{
    /// <summary>The schema stored in the footer of the first part.</summary>
    public static async Task<LatticeDatasetSchema> ReadSchemaAsync(string directory, CancellationToken cancellationToken = default)
    {
        var parts = LatticeDatasetWriter.CompletedParts(directory);
        if (parts.Count == 0) throw new InvalidDataException($"No lattice dataset parts in '{directory}'.");
        await using var reader = await ParquetReader.CreateAsync(Path.Combine(directory, LatticeDatasetWriter.PartFileName(parts[0])), cancellationToken: cancellationToken).ConfigureAwait(false);
        return Schema(reader, directory);
    }

    /// <summary>Every row group of every part, in part order.</summary>
    public static async IAsyncEnumerable<LatticeRows> ReadAsync(string directory, bool includeField,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (int part in LatticeDatasetWriter.CompletedParts(directory))
        {
            string path = Path.Combine(directory, LatticeDatasetWriter.PartFileName(part));
            await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            var schema = Schema(reader, path);
            var fields = reader.Schema.DataFields;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var rg = reader.OpenRowGroupReader(g);
                int rows = checked((int)rg.RowCount);
                var chain = new int[rows];
                var trajectory = new long[rows];
                await rg.ReadAsync(Find(fields, LatticeDatasetSchema.ChainColumn), new Memory<int>(chain), cancellationToken: cancellationToken).ConfigureAwait(false);
                await rg.ReadAsync(Find(fields, LatticeDatasetSchema.TrajectoryColumn), new Memory<long>(trajectory), cancellationToken: cancellationToken).ConfigureAwait(false);
                var scalars = new Dictionary<string, double[]>(StringComparer.Ordinal);
                foreach (var s in schema.Scalars)
                {
                    var a = new double[rows];
                    await rg.ReadAsync(Find(fields, s), new Memory<double>(a), cancellationToken: cancellationToken).ConfigureAwait(false);
                    scalars[s] = a;
                }
                float[]? field = null;
                if (includeField)
                {
                    int n = schema.FieldLength;
                    field = new float[checked(rows * n)];
                    var levels = new int[field.Length];
                    var defined = new int[field.Length];
                    await rg.ReadRawAsync(Find(fields, schema.FieldColumn), new Memory<float>(field), new Memory<int>(defined), new Memory<int>(levels), cancellationToken).ConfigureAwait(false);
                    for (int r = 0; r < rows; r++)
                        if (levels[r * n] != 0 || (n > 1 && levels[r * n + 1] != 1))
                            throw new InvalidDataException($"{path}: row {r} of row group {g} does not hold exactly {n} field values.");
                }
                yield return new LatticeRows(schema, part, chain, trajectory, scalars, field);
            }
        }
    }

    private static DataField Find(DataField[] fields, string name) =>
        fields.FirstOrDefault(f => f.Name == name) ?? throw new InvalidDataException($"Lattice dataset has no column '{name}'.");

    private static LatticeDatasetSchema Schema(ParquetReader reader, string where)
    {
        if (!reader.CustomMetadata.TryGetValue(LatticeDatasetSchema.MetadataKey, out var json))
            throw new InvalidDataException($"'{where}' is not a lattice dataset (no {LatticeDatasetSchema.MetadataKey} metadata).");
        return LatticeDatasetSchema.FromJson(json);
    }
}
