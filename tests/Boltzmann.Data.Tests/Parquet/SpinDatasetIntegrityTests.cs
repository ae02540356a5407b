using Boltzmann.Data.Parquet;
using Boltzmann.Data.Tests.Support;
using static Boltzmann.Data.Tests.Parquet.SpinDatasetTestData;

namespace Boltzmann.Data.Tests.Parquet;

public class SpinDatasetIntegrityTests
{
    private static async Task<SpinDatasetWriter> WritePartsAsync(string dir, int parts, int rowsPerPart = 200)
    {
        var writer = new SpinDatasetWriter(dir, Schema, Metadata(), new SpinDatasetWriterOptions { MaxRowGroupRows = 128 });
        for (int p = 0; p < parts; p++)
        {
            using var batch = Make(p * rowsPerPart, rowsPerPart);
            await writer.WritePartAsync(p, batch);
        }
        return writer;
    }

    private static async Task DrainAsync(IAsyncEnumerable<SpinBatch> batches)
    {
        await foreach (var b in batches)
            b.Dispose();
    }

    [Fact]
    public async Task An_abandoned_part_leaves_no_file_under_a_part_name_and_stray_temp_files_are_ignored()
    {
        using var tmp = new TempDirectory();
        var writer = await WritePartsAsync(tmp.Path, 1);

        // A part that is written but never completed (the stage died or threw) disappears entirely.
        await using (var part = await writer.BeginPartAsync(1))
        {
            using var batch = Make(200, 50);
            await part.WriteAsync(batch);
            Assert.True(File.Exists(Path.Combine(tmp.Path, ".part-00001.parquet.tmp")));
            Assert.False(File.Exists(writer.PartPath(1)));
        }
        Assert.False(File.Exists(writer.PartPath(1)));
        Assert.False(File.Exists(Path.Combine(tmp.Path, ".part-00001.parquet.tmp")));

        // A killed process leaves its temp file behind: readers do not see it.
        File.WriteAllBytes(Path.Combine(tmp.Path, ".part-00001.parquet.tmp"), [1, 2, 3]);
        Assert.Equal([0], SpinDatasetWriter.CompletedParts(tmp.Path));
        var reader = await SpinDatasetReader.OpenAsync(tmp.Path);
        Assert.Equal(200, reader.RowCount);

        // Resuming rewrites part 1 over the stale temp file.
        using (var batch = Make(200, 50))
            await writer.WritePartAsync(1, batch);
        Assert.Equal(250, (await SpinDatasetReader.OpenAsync(tmp.Path)).RowCount);
        Assert.False(File.Exists(Path.Combine(tmp.Path, ".part-00001.parquet.tmp")));
    }

    [Fact]
    public async Task A_truncated_part_is_reported_by_name()
    {
        using var tmp = new TempDirectory();
        var writer = await WritePartsAsync(tmp.Path, 3);
        string victim = writer.PartPath(1);
        byte[] bytes = File.ReadAllBytes(victim);
        File.WriteAllBytes(victim, bytes[..(bytes.Length / 2)]);

        var e = await Assert.ThrowsAsync<SpinDatasetException>(() => SpinDatasetReader.OpenAsync(tmp.Path));
        Assert.Equal(victim, e.FilePath);
        Assert.Contains("part-00001.parquet", e.Message);
    }

    [Fact]
    public async Task A_file_of_garbage_is_reported_by_name()
    {
        using var tmp = new TempDirectory();
        var garbage = new byte[4096];
        for (int i = 0; i < garbage.Length; i++)
            garbage[i] = (byte)(i * 31 + 7);
        string file = Path.Combine(tmp.Path, "part-00000.parquet");
        File.WriteAllBytes(file, garbage);
        var e = await Assert.ThrowsAsync<SpinDatasetException>(() => SpinDatasetReader.OpenAsync(tmp.Path));
        Assert.Equal(file, e.FilePath);
    }

    [Fact]
    public async Task A_flipped_byte_in_the_spins_is_detected_while_other_columns_stay_readable()
    {
        using var tmp = new TempDirectory();
        var writer = await WritePartsAsync(tmp.Path, 2, rowsPerPart: 2000);
        string victim = writer.PartPath(1);

        // Locate the spins column chunk of row group 0 through the Parquet footer and flip a byte in its middle.
        long offset, length;
        await using (var pr = await global::Parquet.ParquetReader.CreateAsync(victim))
        {
            var chunk = pr.RowGroups[0].RowGroup.Columns.Single(c => c.MetaData!.PathInSchema[^1] == "spins").MetaData!;
            offset = chunk.DataPageOffset;
            length = chunk.TotalCompressedSize;
        }
        byte[] bytes = File.ReadAllBytes(victim);
        bytes[offset + length / 2] ^= 0x10;
        File.WriteAllBytes(victim, bytes);

        var reader = await SpinDatasetReader.OpenAsync(tmp.Path); // footers are intact
        var e = await Assert.ThrowsAsync<SpinDatasetException>(() => DrainAsync(reader.ReadBatchesAsync()));
        Assert.Equal(victim, e.FilePath);
        Assert.Contains("row group 0", e.Message);
        Assert.Contains("spins", e.Message);

        // Energy and beta do not touch the damaged column chunk.
        using var scalars = await reader.ReadAllAsync(["energy", "beta"], includeSpins: false);
        Assert.Equal(4000, scalars.Count);
    }

    [Fact]
    public async Task A_part_with_another_schema_is_rejected_by_name()
    {
        using var tmp = new TempDirectory();
        await WritePartsAsync(tmp.Path, 1);
        var other = new SpinDatasetWriter(tmp.Path, Schema.Append(SpinScalarColumn.Double("extra")), Metadata());
        using (var batch = new SpinBatch(other.Schema))
        {
            batch.AddRow();
            await other.WritePartAsync(1, batch);
        }
        var e = await Assert.ThrowsAsync<SpinDatasetException>(() => SpinDatasetReader.OpenAsync(tmp.Path));
        Assert.EndsWith("part-00001.parquet", e.FilePath);
        Assert.Contains("schema", e.Message);
    }

    [Fact]
    public async Task A_part_with_other_metadata_is_rejected_by_name()
    {
        using var tmp = new TempDirectory();
        await WritePartsAsync(tmp.Path, 1);
        var meta = Metadata();
        meta["seed"] = "999";
        var other = new SpinDatasetWriter(tmp.Path, Schema, meta);
        using (var batch = Make(200, 10))
            await other.WritePartAsync(1, batch);
        var e = await Assert.ThrowsAsync<SpinDatasetException>(() => SpinDatasetReader.OpenAsync(tmp.Path));
        Assert.EndsWith("part-00001.parquet", e.FilePath);
        Assert.Contains("'seed'", e.Message);
    }

    [Fact]
    public async Task A_gap_in_the_part_sequence_is_rejected_and_a_renamed_part_is_caught()
    {
        using var tmp = new TempDirectory();
        var writer = await WritePartsAsync(tmp.Path, 3);
        File.Move(writer.PartPath(1), Path.Combine(tmp.Path, "part-00007.parquet"));
        var e = await Assert.ThrowsAsync<SpinDatasetException>(() => SpinDatasetReader.OpenAsync(tmp.Path));
        Assert.Contains("part 1 is missing", e.Message);

        File.Move(Path.Combine(tmp.Path, "part-00007.parquet"), writer.PartPath(1));
        File.Move(writer.PartPath(2), Path.Combine(tmp.Path, "tmp.parquet"));
        File.Move(writer.PartPath(1), writer.PartPath(2));
        File.Move(Path.Combine(tmp.Path, "tmp.parquet"), writer.PartPath(1));
        e = await Assert.ThrowsAsync<SpinDatasetException>(() => SpinDatasetReader.OpenAsync(tmp.Path));
        Assert.Contains("says it is part 2", e.Message);
    }

    [Fact]
    public async Task A_parquet_file_that_is_not_a_spin_dataset_is_rejected()
    {
        using var tmp = new TempDirectory();
        string file = tmp.Combine("plain.parquet");
        var field = new global::Parquet.Schema.DataField<int>("x");
        await using (var fs = File.Create(file))
        await using (var w = await global::Parquet.ParquetWriter.CreateAsync(new global::Parquet.Schema.ParquetSchema(field), fs))
        {
            using var rg = w.CreateRowGroup();
            await rg.WriteAsync(field, new ReadOnlyMemory<int>([1, 2, 3]));
        }
        var e = await Assert.ThrowsAsync<SpinDatasetException>(() => SpinDatasetReader.OpenAsync(file));
        Assert.Contains("not a spin dataset part", e.Message);
        await Assert.ThrowsAsync<FileNotFoundException>(() => SpinDatasetReader.OpenAsync(tmp.Combine("missing")));
    }
}
