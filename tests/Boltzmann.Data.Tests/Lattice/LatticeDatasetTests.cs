using System.Diagnostics;
using Boltzmann.Data.Lattice;
using Boltzmann.Data.Tests.Support;
using Boltzmann.Random;

namespace Boltzmann.Data.Tests.Lattice;

public class LatticeDatasetTests
{
    private static readonly LatticeDatasetSchema Schema = new(["kappa", "action", "magnetisation", "acceptance"], "field", [16, 8]);

    private static LatticeBatch Batch(int rows, ulong seed)
    {
        var batch = new LatticeBatch(Schema, rows);
        var rng = new RandomStream(seed);
        var field = new double[Schema.FieldLength];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < field.Length; i++) field[i] = 0.8 * rng.NextGaussian();
            batch.Add(r % 4, 10L * (r / 4), [0.27, field.Sum(x => x * x), field.Sum(), rng.NextDouble()], field);
        }
        return batch;
    }

    [Fact]
    public async Task RoundTripsAndDuckDbReadsTheFieldAsAnArray()
    {
        using var tmp = new TempDirectory();
        var writer = new LatticeDatasetWriter(tmp.Path, Schema, new Dictionary<string, string> { ["model"] = "phi4" }, maxRowGroupRows: 300);
        var a = Batch(1000, 1);
        var b = Batch(200, 2);
        await writer.WritePartAsync(0, a);
        await writer.WritePartAsync(1, b);
        Assert.Equal([0, 1], LatticeDatasetWriter.CompletedParts(tmp.Path));
        Assert.Equal(Schema, await LatticeDatasetReader.ReadSchemaAsync(tmp.Path));

        int rows = 0;
        var expectedField = a.Fields.ToArray().Concat(b.Fields.ToArray()).ToArray();
        var expectedAction = a.Scalar(1).ToArray().Concat(b.Scalar(1).ToArray()).ToArray();
        await foreach (var g in LatticeDatasetReader.ReadAsync(tmp.Path, includeField: true))
        {
            for (int r = 0; r < g.Count; r++)
            {
                Assert.True(g.Configuration(r).SequenceEqual(expectedField.AsSpan((rows + r) * Schema.FieldLength, Schema.FieldLength)));
                Assert.Equal(expectedAction[rows + r], g.Column("action")[r]);
            }
            rows += g.Count;
        }
        Assert.Equal(1200, rows);

        string glob = DuckDb.Literal(Path.Combine(tmp.Path, "part-*.parquet"));
        var agg = DuckDb.Query($"SELECT count(*), min(len(field)), max(len(field)), sum(trajectory) FROM read_parquet({glob})")[0];
        Assert.Equal(1200L, DuckDb.ToInt64(agg[0]));
        Assert.Equal(128L, DuckDb.ToInt64(agg[1]));
        Assert.Equal(128L, DuckDb.ToInt64(agg[2]));
        var first = DuckDb.Query($"SELECT field[1], field[128], list_sum(field), magnetisation FROM read_parquet({DuckDb.Literal(writer.PartPath(0))}) LIMIT 1")[0];
        Assert.Equal(a.Fields.Span[0], Convert.ToSingle(first[0]));
        Assert.Equal(a.Fields.Span[127], Convert.ToSingle(first[1]));
        Assert.Equal(a.Scalar(2).Span[0], Convert.ToDouble(first[2]), 4);
        var meta = DuckDb.Query($"SELECT value FROM parquet_kv_metadata({DuckDb.Literal(writer.PartPath(1))}) WHERE key = 'model'");
        Assert.Equal("phi4"u8.ToArray(), (byte[])meta[0][0]!);
    }

    [Fact]
    public async Task SameDataGivesIdenticalBytesAndStaysNearFourBytesPerValue()
    {
        using var tmp = new TempDirectory();
        var w1 = new LatticeDatasetWriter(Path.Combine(tmp.Path, "a"), Schema, new Dictionary<string, string>());
        var w2 = new LatticeDatasetWriter(Path.Combine(tmp.Path, "b"), Schema, new Dictionary<string, string>());
        var batch = Batch(4000, 3);
        var clock = Stopwatch.StartNew();
        await w1.WritePartAsync(0, batch);
        double write = clock.Elapsed.TotalSeconds;
        await w2.WritePartAsync(0, batch);
        Assert.Equal(File.ReadAllBytes(w1.PartPath(0)), File.ReadAllBytes(w2.PartPath(0)));
        clock.Restart();
        long values = 0;
        await foreach (var g in LatticeDatasetReader.ReadAsync(w1.DirectoryPath, includeField: true)) values += g.Field!.Length;
        double read = clock.Elapsed.TotalSeconds;
        double bytesPerValue = new FileInfo(w1.PartPath(0)).Length / (double)values;
        Console.WriteLine($"lattice dataset: {bytesPerValue:F3} B per float32 (incl. scalar columns), write {values / write / 1e6:F1} M values/s, read {values / read / 1e6:F1} M values/s");
        Assert.True(bytesPerValue <= 4.2, $"{bytesPerValue:F3} B per stored float32");
    }

    [Fact]
    public async Task RejectsForeignSchemaAndEmptyBatches()
    {
        using var tmp = new TempDirectory();
        var writer = new LatticeDatasetWriter(tmp.Path, Schema, new Dictionary<string, string>());
        var other = new LatticeBatch(new LatticeDatasetSchema(["beta"], "links", [2, 4, 4]), 1);
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WritePartAsync(0, other));
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WritePartAsync(0, new LatticeBatch(Schema, 3)));
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }
}
