using Boltzmann.Spins;
using Boltzmann.Data.Parquet;

namespace Boltzmann.Data.Tests.Parquet;

public class SpinBatchTests
{
    private static readonly SpinDatasetSchema Schema = SpinDatasetSchema.Create(11,
        SpinScalarColumn.Int32("chain"), SpinScalarColumn.Int64("sweep"), SpinScalarColumn.Double("energy"));

    [Fact]
    public void Rows_survive_growth_beyond_the_initial_capacity()
    {
        using var batch = new SpinBatch(Schema, capacity: 2);
        var spins = new sbyte[11];
        for (int r = 0; r < 100; r++)
        {
            for (int i = 0; i < 11; i++)
                spins[i] = (sbyte)(((r >> (i % 7)) & 1) == 1 ? -1 : 1);
            batch.AddRow().SetInt32(0, r).SetInt64(1, 10L * r).SetDouble(2, -0.5 * r).SetSpins(spins);
        }
        Assert.Equal(100, batch.Count);
        Assert.True(batch.Capacity >= 100);
        var back = new sbyte[11];
        for (int r = 0; r < 100; r++)
        {
            Assert.Equal(r, batch.Int32Column(0)[r]);
            Assert.Equal(10L * r, batch.Int64Column("sweep")[r]);
            Assert.Equal(-0.5 * r, batch.DoubleColumn("energy")[r]);
            batch.UnpackSpins(r, back);
            for (int i = 0; i < 11; i++)
                Assert.Equal(((r >> (i % 7)) & 1) == 1 ? -1 : 1, back[i]);
        }
    }

    [Fact]
    public void New_rows_are_zero_with_all_spins_up_even_after_clear()
    {
        using var batch = new SpinBatch(Schema, capacity: 4);
        batch.AddRow().SetInt32(0, 7).SetDouble(2, 3.0).SetSpins(Enumerable.Repeat((sbyte)-1, 11).ToArray());
        batch.Clear();
        Assert.Equal(0, batch.Count);
        var row = batch.AddRow();
        Assert.Equal(0, row.Index);
        Assert.Equal(0, batch.Int32Column(0)[0]);
        Assert.Equal(0.0, batch.DoubleColumn(2)[0]);
        Assert.Equal(11, SpinPacking.SpinSum(batch.GetPackedSpins(0), 11));
    }

    [Fact]
    public void Setters_check_column_type_spin_count_and_padding()
    {
        using var batch = new SpinBatch(Schema);
        var row = batch.AddRow();
        var e = Assert.Throws<InvalidOperationException>(() => batch.AddRow().SetDouble(0, 1.0));
        Assert.Contains("'chain' is int32", e.Message);
        Assert.Throws<ArgumentException>(() => batch.AddRow().SetSpins(new sbyte[10]));
        var pad = Assert.Throws<ArgumentException>(() => batch.AddRow().SetPackedSpins(new byte[] { 0, 0b0000_1000 }));
        Assert.Contains("Padding bits", pad.Message);
        batch.AddRow().SetPackedSpins(new byte[] { 0xFF, 0b0000_0111 });
        Assert.Equal(-11, SpinPacking.SpinSum(batch.GetPackedSpins(batch.Count - 1), 11));
        Assert.Throws<ArgumentException>(() => batch.Int32Column("nope"));
    }

    [Fact]
    public void Clone_and_AppendRows_copy_values_and_spins()
    {
        using var batch = new SpinBatch(Schema);
        for (int r = 0; r < 5; r++)
            batch.AddRow().SetInt32(0, r).SetInt64(1, r * r).SetDouble(2, r / 3.0).PackedSpins[0] = (byte)r;
        using var clone = batch.Clone();
        Assert.Equal(batch.Int32Column(0).ToArray(), clone.Int32Column(0).ToArray());
        Assert.Equal(batch.Int64Column(1).ToArray(), clone.Int64Column(1).ToArray());
        Assert.Equal(batch.DoubleColumn(2).ToArray(), clone.DoubleColumn(2).ToArray());
        Assert.Equal(batch.PackedSpins.ToArray(), clone.PackedSpins.ToArray());
        clone.AppendRows(batch, 2, 3);
        Assert.Equal(8, clone.Count);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 2, 3, 4 }, clone.Int32Column(0).ToArray());
        Assert.Equal(batch.GetPackedSpins(4).ToArray(), clone.GetPackedSpins(7).ToArray());
    }

    [Fact]
    public void A_batch_without_spins_refuses_spin_access_and_a_disposed_batch_refuses_everything()
    {
        var batch = new SpinBatch(Schema, includeSpins: false);
        batch.AddRow().SetInt32(0, 1);
        Assert.Throws<InvalidOperationException>(() => batch.PackedSpins.Length);
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batch.AddRow());
    }

    [Fact]
    public void Pool_recycles_cleared_batches_and_rejects_foreign_ones()
    {
        using var pool = new SpinBatchPool(Schema, capacity: 8, maxRetained: 1);
        var a = pool.Rent();
        a.AddRow().SetInt32(0, 5);
        pool.Return(a);
        var b = pool.Rent();
        Assert.Same(a, b);
        Assert.Equal(0, b.Count);
        using var foreign = new SpinBatch(SpinDatasetSchema.Create(11));
        Assert.Throws<ArgumentException>(() => pool.Return(foreign));
        pool.Return(b);
    }
}
