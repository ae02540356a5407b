using Boltzmann.Spins;
using System.Diagnostics;
using Boltzmann.Random;
using Boltzmann.Data.Parquet;

namespace Boltzmann.Benchmarks.Data;

/// <summary>
/// Result of <see cref="SpinDatasetBenchmark.Run"/>. Sizes are on disk; speeds are wall-clock over one
/// timed pass after a warm-up (JIT) pass.
/// </summary>
/// <param name="Rows">Configurations written.</param>
/// <param name="SpinCount">Spins per configuration N.</param>
/// <param name="RowGroups">Row groups in the part.</param>
/// <param name="FileBytes">Size of the part file (spins, a sequential int64 "sweep" column, footer).</param>
/// <param name="SpinColumnBytes">Compressed bytes of the spins column chunks (pages and headers).</param>
/// <param name="BytesPerSpin">FileBytes / (Rows N): the figure the goal is about.</param>
/// <param name="BitsPerSpin">8 BytesPerSpin; the entropy floor for uniformly random spins is 1.</param>
/// <param name="SpinColumnBytesPerSpin">SpinColumnBytes / (Rows N).</param>
/// <param name="PackSpinsPerSecond">SpinPacking.Pack throughput (sbyte ±1 to bits).</param>
/// <param name="UnpackSpinsPerSecond">SpinPacking.Unpack throughput.</param>
/// <param name="WriteSpinsPerSecond">Part write throughput (packed batch to renamed file).</param>
/// <param name="ReadSpinsPerSecond">Streaming read throughput with spins (file to packed batches).</param>
/// <param name="ScalarReadRowsPerSecond">Streaming read throughput of the scalar column only, spins skipped.</param>
/// <param name="OverlapSpinsPerSecond">SpinPacking.Overlap throughput on packed configurations.</param>
/// <param name="MeetsGoal">BytesPerSpin &lt;= <see cref="GoalBytesPerSpin"/>.</param>
public sealed record SpinDatasetBenchmarkResult(
    int Rows,
    int SpinCount,
    int RowGroups,
    long FileBytes,
    long SpinColumnBytes,
    double BytesPerSpin,
    double BitsPerSpin,
    double SpinColumnBytesPerSpin,
    double PackSpinsPerSecond,
    double UnpackSpinsPerSecond,
    double WriteSpinsPerSecond,
    double ReadSpinsPerSecond,
    double ScalarReadRowsPerSecond,
    double OverlapSpinsPerSecond,
    bool MeetsGoal)
{
    /// <summary>Storage goal: 1.1 bits per spin (10% above the entropy floor of random spins).</summary>
    public const double GoalBytesPerSpin = 1.1 / 8;
}

/// <summary>
/// Measures the on-disk size and the speed of the spin dataset format for uniformly random spins
/// (the incompressible worst case: 1 bit of entropy per spin). The Bench target reports it.
/// </summary>
public static class SpinDatasetBenchmark
{
    /// <summary>Runs the benchmark in a temporary directory (deleted afterwards) and returns the measurements.</summary>
    /// <param name="rows">Configurations to write.</param>
    /// <param name="n">Spins per configuration.</param>
    /// <param name="seed">Seed of the random configurations.</param>
    public static SpinDatasetBenchmarkResult Run(int rows = 100_000, int n = 256, ulong seed = 20261101)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return Task.Run(async () =>
        {
            await MeasureAsync(Math.Min(rows, 4096), n, seed).ConfigureAwait(false); // warm-up: JIT, pools
            return await MeasureAsync(rows, n, seed).ConfigureAwait(false);
        }).GetAwaiter().GetResult();
    }

    private static async Task<SpinDatasetBenchmarkResult> MeasureAsync(int rows, int n, ulong seed)
    {
        string dir = Path.Combine(Path.GetTempPath(), "boltzmann-spin-bench-" + Guid.NewGuid().ToString("N"));
        var schema = SpinDatasetSchema.Create(n, SpinScalarColumn.Int64("sweep"));
        using var batch = new SpinBatch(schema, rows);
        try
        {
            // Random ±1 spins, generated row by row (not timed), packed (timed).
            var rng = RandomStreams.For(seed, "spin-dataset-benchmark");
            var spins = new sbyte[(long)rows * n];
            for (long i = 0; i < spins.Length; i++)
                spins[i] = (rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
            batch.AddRows(rows);
            var sweep = batch.Int64Column(0);
            for (int r = 0; r < rows; r++)
                sweep[r] = r;
            var sw = Stopwatch.StartNew();
            SpinPacking.PackRows(spins, n, batch.PackedSpins);
            double pack = (double)rows * n / sw.Elapsed.TotalSeconds;

            var unpacked = new sbyte[n];
            sw.Restart();
            for (int r = 0; r < rows; r++)
                batch.UnpackSpins(r, unpacked);
            double unpack = (double)rows * n / sw.Elapsed.TotalSeconds;

            double qSum = 0;
            sw.Restart();
            for (int r = 1; r < rows; r++)
                qSum += SpinPacking.Overlap(batch.GetPackedSpins(r - 1), batch.GetPackedSpins(r), n);
            double overlap = rows > 1 ? (double)(rows - 1) * n / sw.Elapsed.TotalSeconds : double.NaN;
            GC.KeepAlive(qSum);

            var writer = new SpinDatasetWriter(dir, schema, new Dictionary<string, string> { ["benchmark"] = "uniform random spins" });
            sw.Restart();
            string file = await writer.WritePartAsync(0, batch).ConfigureAwait(false);
            double write = (double)rows * n / sw.Elapsed.TotalSeconds;
            long fileBytes = new FileInfo(file).Length;

            var reader = await SpinDatasetReader.OpenAsync(dir).ConfigureAwait(false);
            long readRows = 0;
            sw.Restart();
            await foreach (var b in reader.ReadBatchesAsync(reuseBatch: true).ConfigureAwait(false))
                readRows += b.Count;
            double read = (double)readRows * n / sw.Elapsed.TotalSeconds;

            long scalarRows = 0;
            sw.Restart();
            await foreach (var b in reader.ReadBatchesAsync(["sweep"], includeSpins: false, reuseBatch: true).ConfigureAwait(false))
                scalarRows += b.Count;
            double scalarRead = scalarRows / sw.Elapsed.TotalSeconds;
            if (readRows != rows || scalarRows != rows)
                throw new InvalidOperationException($"Benchmark read back {readRows} / {scalarRows} rows instead of {rows}.");

            long spinColumnBytes = await SpinColumnCompressedBytesAsync(file).ConfigureAwait(false);
            double spinsTotal = (double)rows * n;
            double bytesPerSpin = fileBytes / spinsTotal;
            return new SpinDatasetBenchmarkResult(rows, n, reader.RowGroupCount, fileBytes, spinColumnBytes,
                bytesPerSpin, 8 * bytesPerSpin, spinColumnBytes / spinsTotal,
                pack, unpack, write, read, scalarRead, overlap,
                bytesPerSpin <= SpinDatasetBenchmarkResult.GoalBytesPerSpin);
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Sum of the compressed sizes of the spins column chunks, from the Parquet footer.</summary>
    internal static async Task<long> SpinColumnCompressedBytesAsync(string file)
    {
        await using var reader = await global::Parquet.ParquetReader.CreateAsync(file).ConfigureAwait(false);
        long total = 0;
        foreach (var rg in reader.RowGroups)
            foreach (var chunk in rg.RowGroup.Columns)
                if (chunk.MetaData?.PathInSchema is { Count: > 0 } p && p[^1] == SpinDatasetSchema.SpinsColumn)
                    total += chunk.MetaData.TotalCompressedSize;
        return total;
    }
}
