using Boltzmann.Spins;
using Boltzmann.Data.Parquet;
using Boltzmann.Random;

namespace Boltzmann.Data.Tests.Parquet;

/// <summary>Deterministic parallel-tempering-like rows for dataset tests.</summary>
internal static class SpinDatasetTestData
{
    public const int N = 37; // not a multiple of 8: exercises padding bits

    public static SpinDatasetSchema Schema { get; } = PtLike(N, SpinScalarColumn.Double("log_q"));

    /// <summary>A schema shaped like a parallel-tempering dataset (int32, double and int64 columns), plus <paramref name="extra"/>.</summary>
    public static SpinDatasetSchema PtLike(int n, params SpinScalarColumn[] extra) => SpinDatasetSchema.Create(n,
    [
        SpinScalarColumn.Int32("instance"), SpinScalarColumn.Int32("chain"), SpinScalarColumn.Int32("slot"), SpinScalarColumn.Int32("walker"),
        SpinScalarColumn.Double("beta"), SpinScalarColumn.Double("temperature"), SpinScalarColumn.Int64("sweep"),
        SpinScalarColumn.Double("energy"), SpinScalarColumn.Double("magnetization"), .. extra,
    ]);

    public static Dictionary<string, string> Metadata() => new()
    {
        ["model"] = "sk",
        ["n"] = N.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["couplings_sha256"] = "3f2a9c",
        ["sampler"] = "parallel-tempering; sweeps=1300; slots=4",
        ["seed"] = "20261101",
        ["note"] = "unicode ok: β, ∑, naïve",
    };

    /// <summary>
    /// Rows firstRow .. firstRow+count-1. Energies are multiples of 1/4 so their sums are exact in any
    /// order (DuckDB comparison); magnetization is computed from the spins.
    /// </summary>
    public static SpinBatch Make(int firstRow, int count, ulong seed = 42)
    {
        var schema = Schema;
        int instance = schema.GetIndex("instance"), chain = schema.GetIndex("chain"), slot = schema.GetIndex("slot"),
            walker = schema.GetIndex("walker"), beta = schema.GetIndex("beta"), temperature = schema.GetIndex("temperature"),
            sweep = schema.GetIndex("sweep"), energy = schema.GetIndex("energy"), magnetization = schema.GetIndex("magnetization"),
            logQ = schema.GetIndex("log_q");
        var batch = new SpinBatch(schema, 16);
        var spins = new sbyte[N];
        for (int r = firstRow; r < firstRow + count; r++)
        {
            var rng = RandomStreams.For(seed, "spin-dataset-tests", r);
            int s = r % 4;
            double pDown = 0.1 + 0.2 * s;
            for (int i = 0; i < N; i++)
                spins[i] = rng.NextDouble() < pDown ? (sbyte)-1 : (sbyte)1;
            double b = 0.25 * (s + 1);
            var row = batch.AddRow()
                .SetInt32(instance, 3)
                .SetInt32(chain, r % 3)
                .SetInt32(slot, s)
                .SetInt32(walker, (7 * r) % 5)
                .SetDouble(beta, b)
                .SetDouble(temperature, 1.0 / b)
                .SetInt64(sweep, 1_000_000_000_000L + r)
                .SetDouble(energy, -rng.NextInt(4000) / 4.0)
                .SetDouble(logQ, rng.NextGaussian())
                .SetSpins(spins);
            row.SetDouble(magnetization, SpinPacking.Magnetization(row.PackedSpins, N));
        }
        return batch;
    }

    /// <summary>Asserts two batches hold identical rows (every scalar bit and every spin byte).</summary>
    public static void AssertSameRows(SpinBatch expected, SpinBatch actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int c = 0; c < actual.Schema.Columns.Count; c++)
        {
            var column = actual.Schema[c];
            int e = expected.Schema.GetIndex(column.Name);
            switch (column.Type)
            {
                case SpinColumnType.Int32: Assert.Equal(expected.Int32Column(e).ToArray(), actual.Int32Column(c).ToArray()); break;
                case SpinColumnType.Int64: Assert.Equal(expected.Int64Column(e).ToArray(), actual.Int64Column(c).ToArray()); break;
                default:
                    Assert.Equal(expected.DoubleColumn(e).ToArray().Select(BitConverter.DoubleToInt64Bits),
                                 actual.DoubleColumn(c).ToArray().Select(BitConverter.DoubleToInt64Bits));
                    break;
            }
        }
        if (actual.HasSpins)
            Assert.Equal(expected.PackedSpins.ToArray(), actual.PackedSpins.ToArray());
    }

    public static async Task<SpinBatch> ConcatAsync(IAsyncEnumerable<SpinBatch> batches, SpinDatasetSchema schema, bool includeSpins)
    {
        var all = new SpinBatch(schema, 16, includeSpins);
        await foreach (var b in batches)
        {
            all.AppendRows(b, 0, b.Count);
            b.Dispose();
        }
        return all;
    }
}
