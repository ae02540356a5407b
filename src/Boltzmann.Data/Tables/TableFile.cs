using Boltzmann.Data.IO;
using Boltzmann.IO;
using System.Globalization;
using System.Numerics;
using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Schema;

namespace Boltzmann.Data.Tables;

/// <summary>
/// Small tidy result tables (estimates per temperature, histograms, swap rates) as Microsoft.Data.Analysis
/// DataFrames, stored as Parquet (Parquet.Net, Zstd) plus a CSV twin for eyes and spreadsheets.
/// Numeric columns only (double, int, long): labels belong in figure data. Written atomically.
/// Microsoft.Data.Analysis has no Parquet support of its own, hence this bridge.
/// </summary>
public static class TableFile
{
    public const string ParquetExtension = ".parquet";
    public const string CsvExtension = ".csv";

    public static void Write(DataFrame table, string pathWithoutExtension, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pathWithoutExtension))!);
        AtomicFile.Write(pathWithoutExtension + ParquetExtension, tmp => WriteParquetAsync(table, tmp, metadata).GetAwaiter().GetResult());
        AtomicFile.WriteAllText(pathWithoutExtension + CsvExtension, ToCsv(table));
    }

    public static DataFrame Read(string parquetPath) => ReadAsync(parquetPath).GetAwaiter().GetResult();

    private static async Task WriteParquetAsync(DataFrame table, string path, IReadOnlyDictionary<string, string>? metadata)
    {
        var fields = table.Columns.Select(c => c switch
        {
            DoubleDataFrameColumn => (DataField)new DataField<double>(c.Name),
            Int32DataFrameColumn => new DataField<int>(c.Name),
            Int64DataFrameColumn => new DataField<long>(c.Name),
            _ => throw new NotSupportedException($"TableFile stores double, int and long columns; column '{c.Name}' is {c.DataType.Name}."),
        }).ToArray();
        var schema = new ParquetSchema(fields);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, ParquetDefaults.Create());
        if (metadata is not null) writer.CustomMetadata = metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
        using var rg = writer.CreateRowGroup();
        for (int i = 0; i < fields.Length; i++)
        {
            var col = table.Columns[i];
            switch (col)
            {
                case DoubleDataFrameColumn d: await rg.WriteAsync(fields[i], new ReadOnlyMemory<double>(Values(d))); break;
                case Int32DataFrameColumn n: await rg.WriteAsync(fields[i], new ReadOnlyMemory<int>(Values(n))); break;
                case Int64DataFrameColumn l: await rg.WriteAsync(fields[i], new ReadOnlyMemory<long>(Values(l))); break;
            }
        }
    }

    private static async Task<DataFrame> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.DataFields;
        var columns = new List<DataFrameColumn>();
        var doubles = fields.Select(_ => new List<double>()).ToArray();
        var ints = fields.Select(_ => new List<int>()).ToArray();
        var longs = fields.Select(_ => new List<long>()).ToArray();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int rows = checked((int)rg.RowCount);
            for (int i = 0; i < fields.Length; i++)
            {
                var f = fields[i];
                if (f.ClrType == typeof(double)) { var a = new double[rows]; await rg.ReadAsync(f, new Memory<double>(a)); doubles[i].AddRange(a); }
                else if (f.ClrType == typeof(int)) { var a = new int[rows]; await rg.ReadAsync(f, new Memory<int>(a)); ints[i].AddRange(a); }
                else if (f.ClrType == typeof(long)) { var a = new long[rows]; await rg.ReadAsync(f, new Memory<long>(a)); longs[i].AddRange(a); }
                else throw new InvalidDataException($"{path}: column '{f.Name}' has type {f.ClrType.Name}; result tables hold double, int and long columns.");
            }
        }
        for (int i = 0; i < fields.Length; i++)
        {
            var f = fields[i];
            columns.Add(f.ClrType == typeof(double) ? new DoubleDataFrameColumn(f.Name, doubles[i])
                : f.ClrType == typeof(int) ? new Int32DataFrameColumn(f.Name, ints[i])
                : new Int64DataFrameColumn(f.Name, longs[i]));
        }
        return new DataFrame(columns);
    }

    private static T[] Values<T>(PrimitiveDataFrameColumn<T> c) where T : unmanaged, INumber<T>
    {
        var a = new T[c.Length];
        for (long i = 0; i < c.Length; i++) a[i] = c[i] ?? T.Zero;
        return a;
    }

    /// <summary>Invariant-culture CSV with round-trip doubles (DataFrame.SaveCsv uses the current culture's shortest form).</summary>
    public static string ToCsv(DataFrame table)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(string.Join(",", table.Columns.Select(c => c.Name)));
        for (long r = 0; r < table.Rows.Count; r++)
        {
            for (int c = 0; c < table.Columns.Count; c++)
            {
                if (c > 0) sb.Append(',');
                var v = table.Columns[c][r];
                sb.Append(v switch
                {
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    null => "",
                    _ => v.ToString(),
                });
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
