using Boltzmann.Data.Parquet;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Pt;

namespace Boltzmann.Stages.Sk.Tests;

public class PtDatasetTests
{
    [Fact]
    public void TheSchemaHasTheAgreedColumnsInOrder()
    {
        // The order and types are the file layout of every sk-pt dataset (and so part of its bytes).
        var s = PtDatasetSchema.For(100);
        Assert.Equal(
            ["instance:int32", "chain:int32", "slot:int32", "walker:int32", "beta:double", "temperature:double",
             "sweep:int64", "energy:double", "magnetization:double"],
            s.Columns.Select(c => c.ToString()));
        Assert.Equal(100, s.SpinCount);
        Assert.Equal(13, s.BytesPerConfiguration);
        Assert.Equal(["chain", "sweep", "energy"], PtDatasetSchema.Names(PtColumns.Energy | PtColumns.Chain | PtColumns.Sweep));
    }

    [Fact]
    public async Task RowsWrittenWithAppendAreReadBackByName()
    {
        const int n = 11;
        var dir = Directory.CreateTempSubdirectory("boltz-ptds-").FullName;
        try
        {
            var schema = PtDatasetSchema.For(n);
            using (var batch = new SpinBatch(schema, 8))
            {
                for (int r = 0; r < 6; r++)
                {
                    var spins = PtDatasetSchema.Append(batch, new PtSample(r / 3, r % 2, r % 3, 5 - r, 1.0 / (r + 1), r + 1.0, 100L * r, -2.5 * r, r / 11.0));
                    spins.Clear();
                    spins[0] = (byte)(1 << (r % 8));
                }
                var writer = new SpinDatasetWriter(dir, schema, new Dictionary<string, string>());
                await writer.WritePartAsync(0, batch);
            }

            var ds = await PtDataset.OpenAsync(dir, CancellationToken.None);
            Assert.Equal(n, ds.SpinCount);
            Assert.Equal(6, ds.RowCount);
            var rows = new List<(int, int, int, double, long, double)>();
            var first = new sbyte[n];
            await foreach (var b in ds.ReadAsync(PtColumns.Instance | PtColumns.Chain | PtColumns.Slot | PtColumns.Temperature | PtColumns.Sweep | PtColumns.Energy, includeSpins: true))
            {
                for (int r = 0; r < b.Count; r++) rows.Add((b.Instance[r], b.Chain[r], b.Slot[r], b.Temperature[r], b.Sweep[r], b.Energy[r]));
                b.UnpackSpins(1, first);
                Assert.Throws<InvalidOperationException>(() => b.Walker.Length); // not asked for
            }
            Assert.Equal([(0, 0, 0, 1.0, 0L, 0.0), (0, 1, 1, 2.0, 100L, -2.5), (0, 0, 2, 3.0, 200L, -5.0),
                          (1, 1, 0, 4.0, 300L, -7.5), (1, 0, 1, 5.0, 400L, -10.0), (1, 1, 2, 6.0, 500L, -12.5)], rows);
            Assert.Equal(-1, first[1]); // bit 1 of row 1 set: spin 1 is -1
            Assert.Equal(1, first[0]);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task ADatasetWithoutTheSkPtColumnsIsRejectedByName()
    {
        var dir = Directory.CreateTempSubdirectory("boltz-ptds-").FullName;
        try
        {
            var schema = SpinDatasetSchema.Create(8, SpinScalarColumn.Int32("instance"), SpinScalarColumn.Int64("sweep"));
            using (var batch = new SpinBatch(schema, 1))
            {
                batch.AddRow().SetInt32(0, 0).SetInt64(1, 0);
                await new SpinDatasetWriter(dir, schema, new Dictionary<string, string>()).WritePartAsync(0, batch);
            }
            var e = await Assert.ThrowsAsync<StageInputException>(() => PtDataset.OpenAsync(dir, CancellationToken.None));
            Assert.Contains("\"chain\"", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
