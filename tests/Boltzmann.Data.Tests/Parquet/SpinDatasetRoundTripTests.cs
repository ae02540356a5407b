using Boltzmann.Data.Parquet;
using Boltzmann.Data.Tests.Support;
using static Boltzmann.Data.Tests.Parquet.SpinDatasetTestData;

namespace Boltzmann.Data.Tests.Parquet;

public class SpinDatasetRoundTripTests
{
    private static readonly SpinDatasetWriterOptions SmallRowGroups = new() { MaxRowGroupRows = 300 };

    /// <summary>Part 0: rows 0..999 from one batch (row groups 300/300/300/100); part 1: rows 1000..1299 from two batches (250, 50).</summary>
    private static async Task<SpinBatch> WriteTwoPartsAsync(string dir)
    {
        var writer = new SpinDatasetWriter(dir, Schema, Metadata(), SmallRowGroups);
        using var a = Make(0, 1000);
        using var b1 = Make(1000, 250);
        using var b2 = Make(1250, 50);
        await writer.WritePartAsync(0, a);
        await writer.WritePartAsync(1, [b1, b2]);
        var all = Make(0, 1300);
        return all;
    }

    [Fact]
    public async Task Scalars_spins_metadata_and_counts_round_trip_through_two_parts()
    {
        using var tmp = new TempDirectory();
        using var expected = await WriteTwoPartsAsync(tmp.Path);

        Assert.Equal([0, 1], SpinDatasetWriter.CompletedParts(tmp.Path));
        var reader = await SpinDatasetReader.OpenAsync(tmp.Path);
        Assert.Equal(Schema, reader.Schema);
        Assert.Equal(1300, reader.RowCount);
        Assert.Equal(6, reader.RowGroupCount);
        Assert.Equal([300L, 300, 300, 100], reader.Parts[0].RowGroupRowCounts);
        Assert.Equal([250L, 50], reader.Parts[1].RowGroupRowCounts);
        Assert.Equal(Metadata().OrderBy(p => p.Key, StringComparer.Ordinal), reader.Metadata);

        var sizes = new List<int>();
        using var all = await ConcatAsync(Collect(reader.ReadBatchesAsync(), sizes), Schema, includeSpins: true);
        Assert.Equal([300, 300, 300, 100, 250, 50], sizes);
        AssertSameRows(expected, all);

        using var whole = await reader.ReadAllAsync();
        AssertSameRows(expected, whole);
    }

    private static async IAsyncEnumerable<SpinBatch> Collect(IAsyncEnumerable<SpinBatch> source, List<int> sizes)
    {
        await foreach (var b in source)
        {
            sizes.Add(b.Count);
            yield return b;
        }
    }

    [Fact]
    public async Task A_column_subset_is_read_in_the_requested_order_without_spins()
    {
        using var tmp = new TempDirectory();
        using var expected = await WriteTwoPartsAsync(tmp.Path);
        var reader = await SpinDatasetReader.OpenAsync(tmp.Path);

        var seen = new List<SpinBatch>();
        await foreach (var b in reader.ReadBatchesAsync(["energy", "beta"], includeSpins: false, reuseBatch: true))
        {
            Assert.Equal(["energy", "beta"], b.Schema.Columns.Select(c => c.Name));
            Assert.False(b.HasSpins);
            seen.Add(b);
        }
        Assert.Equal(6, seen.Count);
        Assert.All(seen, b => Assert.Same(seen[0], b)); // reuse: one batch refilled per row group

        using var subset = await reader.ReadAllAsync(["energy", "beta"], includeSpins: false);
        AssertSameRows(expected, subset);
    }

    [Fact]
    public async Task Scalars_load_into_a_DataFrame_whose_group_means_match_a_direct_computation()
    {
        using var tmp = new TempDirectory();
        using var expected = await WriteTwoPartsAsync(tmp.Path);
        var reader = SpinDatasetReader.Open(tmp.Path);

        var frame = reader.ReadScalarsAsDataFrame("beta", "energy", "sweep");
        Assert.Equal(1300, frame.Rows.Count);
        Assert.Equal(["beta", "energy", "sweep"], frame.Columns.Select(c => c.Name));
        for (int r = 0; r < 1300; r += 97)
        {
            Assert.Equal(expected.DoubleColumn("energy")[r], (double)frame.Columns["energy"][r]);
            Assert.Equal(expected.Int64Column("sweep")[r], (long)frame.Columns["sweep"][r]);
        }

        var means = frame.GroupBy("beta").Mean("energy");
        var betas = expected.DoubleColumn("beta").ToArray();
        var energies = expected.DoubleColumn("energy").ToArray();
        var direct = betas.Zip(energies).GroupBy(p => p.First).ToDictionary(g => g.Key, g => g.Average(p => p.Second));
        Assert.Equal(direct.Count, (int)means.Rows.Count);
        for (int i = 0; i < means.Rows.Count; i++)
        {
            double beta = (double)means.Columns["beta"][i];
            Assert.Equal(direct[beta], (double)means.Columns["energy"][i], 9);
        }

        var everything = reader.ReadScalarsAsDataFrame();
        Assert.Equal(Schema.Columns.Select(c => c.Name), everything.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task DuckDb_reads_the_same_rows_energy_sum_spin_bytes_and_metadata()
    {
        using var tmp = new TempDirectory();
        using var expected = await WriteTwoPartsAsync(tmp.Path);
        string glob = DuckDb.Literal(Path.Combine(tmp.Path, "part-*.parquet"));

        var agg = DuckDb.Query($"SELECT count(*), sum(energy), sum(sweep), min(slot), max(slot) FROM read_parquet({glob})")[0];
        Assert.Equal(1300L, DuckDb.ToInt64(agg[0]));
        Assert.Equal(expected.DoubleColumn("energy").ToArray().Sum(), (double)agg[1]!);   // quarter-integers: exact in any order
        Assert.Equal(expected.Int64Column("sweep").ToArray().Sum(), DuckDb.ToInt64(agg[2]));
        Assert.Equal(0, Convert.ToInt32(agg[3]));
        Assert.Equal(3, Convert.ToInt32(agg[4]));

        var rows = DuckDb.Query($"SELECT spins, magnetization, sweep FROM read_parquet({glob}, filename = true, file_row_number = true) ORDER BY filename, file_row_number");
        Assert.Equal(1300, rows.Count);
        for (int r = 0; r < rows.Count; r++)
        {
            Assert.Equal(expected.GetPackedSpins(r).ToArray(), (byte[])rows[r][0]!);
            Assert.Equal(expected.DoubleColumn("magnetization")[r], (double)rows[r][1]!);
            Assert.Equal(expected.Int64Column("sweep")[r], DuckDb.ToInt64(rows[r][2]));
        }

        var kv = DuckDb.Query($"SELECT key, value FROM parquet_kv_metadata({DuckDb.Literal(Path.Combine(tmp.Path, "part-00001.parquet"))})")
            .ToDictionary(r => System.Text.Encoding.UTF8.GetString((byte[])r[0]!), r => System.Text.Encoding.UTF8.GetString((byte[])r[1]!));
        foreach (var (k, v) in Metadata())
            Assert.Equal(v, kv[k]);
        Assert.Equal("37", kv[SpinDatasetMetadataKeys.SpinCount]);
        Assert.Equal("1", kv[SpinDatasetMetadataKeys.PartIndex]);
        Assert.Equal("300", kv[SpinDatasetMetadataKeys.RowCount]);
        Assert.Equal(Schema, SpinDatasetSchema.FromJson(kv[SpinDatasetMetadataKeys.Schema]));

        // The file really is Zstd-compressed with required (non-nullable) columns.
        var codecs = DuckDb.Query($"SELECT DISTINCT compression FROM parquet_metadata({glob})");
        Assert.Equal("ZSTD", Assert.Single(codecs)[0]!.ToString()!.ToUpperInvariant());
        // Integer columns are delta-encoded and doubles byte-stream-split (smaller files), and DuckDB decodes both.
        var encodings = DuckDb.Query($"SELECT path_in_schema, encodings FROM parquet_metadata({glob})")
            .GroupBy(r => r[0]!.ToString()!).ToDictionary(g => g.Key, g => string.Join(",", g.Select(r => r[1]!.ToString())));
        Assert.Contains("DELTA_BINARY_PACKED", encodings["sweep"]);
        Assert.Contains("DELTA_BINARY_PACKED", encodings["slot"]);
        Assert.Contains("BYTE_STREAM_SPLIT", encodings["energy"]);
        var spinsSchema = DuckDb.Query($"SELECT repetition_type, type FROM parquet_schema({DuckDb.Literal(Path.Combine(tmp.Path, "part-00000.parquet"))}) WHERE name = 'spins'");
        Assert.Equal("REQUIRED", Assert.Single(spinsSchema)[0]!.ToString());
        Assert.Equal("BYTE_ARRAY", spinsSchema[0][1]!.ToString());
    }

    [Fact]
    public async Task The_same_data_and_metadata_give_identical_bytes()
    {
        using var tmp = new TempDirectory();
        var reversed = Metadata().Reverse().ToDictionary(p => p.Key, p => p.Value); // other insertion order, same content
        string[] dirs = [tmp.Combine("a"), tmp.Combine("b")];
        var metas = new[] { Metadata(), reversed };
        for (int k = 0; k < 2; k++)
        {
            var writer = new SpinDatasetWriter(dirs[k], Schema, metas[k], SmallRowGroups);
            using var batch = Make(0, 700);
            await writer.WritePartAsync(0, batch);
        }
        byte[] first = File.ReadAllBytes(Path.Combine(dirs[0], "part-00000.parquet"));
        byte[] second = File.ReadAllBytes(Path.Combine(dirs[1], "part-00000.parquet"));
        Assert.Equal(first, second);

        // And different data gives different bytes (the comparison above can fail).
        var writer3 = new SpinDatasetWriter(tmp.Combine("c"), Schema, Metadata(), SmallRowGroups);
        using var other = Make(0, 700, seed: 43);
        await writer3.WritePartAsync(0, other);
        Assert.NotEqual(first, File.ReadAllBytes(tmp.Combine("c", "part-00000.parquet")));
    }

    [Fact]
    public async Task A_single_file_opens_like_a_dataset()
    {
        using var tmp = new TempDirectory();
        using var batch = Make(0, 123);
        string file = await SpinDatasetWriter.WriteFileAsync(tmp.Combine("samples.parquet"), Schema, Metadata(), [batch]);
        var reader = await SpinDatasetReader.OpenAsync(file);
        Assert.Equal(123, reader.RowCount);
        using var back = await reader.ReadAllAsync();
        AssertSameRows(batch, back);
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(tmp.Path, ".*")));
    }

    [Fact]
    public async Task The_writer_validates_metadata_schema_padding_and_empty_parts()
    {
        using var tmp = new TempDirectory();
        Assert.Throws<ArgumentException>(() => new SpinDatasetWriter(tmp.Path, Schema, new Dictionary<string, string> { ["boltzmann.seed"] = "1" }));
        var writer = new SpinDatasetWriter(tmp.Path, Schema, Metadata());

        using var wrong = new SpinBatch(SpinDatasetSchema.Create(N, SpinScalarColumn.Double("energy")));
        wrong.AddRow();
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WritePartAsync(0, wrong));

        using var padded = Make(0, 3);
        padded.GetPackedSpins(1)[Schema.BytesPerConfiguration - 1] |= 0x80; // bit 39 > N-1 = 36
        var e = await Assert.ThrowsAsync<ArgumentException>(() => writer.WritePartAsync(0, padded));
        Assert.Contains("Row 1", e.Message);

        await using (var part = await writer.BeginPartAsync(0))
            await Assert.ThrowsAsync<InvalidOperationException>(() => part.CompleteAsync());

        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path)); // every failed attempt cleaned up after itself
    }
}
