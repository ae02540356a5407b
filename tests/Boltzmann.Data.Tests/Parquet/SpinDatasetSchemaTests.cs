using Boltzmann.Data.Parquet;

namespace Boltzmann.Data.Tests.Parquet;

public class SpinDatasetSchemaTests
{
    [Fact]
    public void Columns_keep_their_order_and_names_resolve_to_positions()
    {
        var s = SpinDatasetTestData.PtLike(100, SpinScalarColumn.Double("log_q"));
        Assert.Equal(
            ["instance:int32", "chain:int32", "slot:int32", "walker:int32", "beta:double", "temperature:double",
             "sweep:int64", "energy:double", "magnetization:double", "log_q:double"],
            s.Columns.Select(c => c.ToString()));
        Assert.Equal(100, s.SpinCount);
        Assert.Equal(13, s.BytesPerConfiguration);
        Assert.Equal(7, s.GetIndex("energy"));
        Assert.Equal(-1, s.IndexOf("spins"));
    }

    [Fact]
    public void Json_round_trips_and_equality_is_structural()
    {
        var s = SpinDatasetTestData.PtLike(37);
        var back = SpinDatasetSchema.FromJson(s.ToJson());
        Assert.Equal(s, back);
        Assert.Equal(s.GetHashCode(), back.GetHashCode());
        Assert.NotEqual(s, SpinDatasetTestData.PtLike(38));
        Assert.NotEqual(s, s.Select(["energy", "beta"]));
        Assert.Equal(["energy", "beta"], s.Select(["energy", "beta"]).Columns.Select(c => c.Name));
        Assert.Throws<FormatException>(() => SpinDatasetSchema.FromJson("{\"format\":\"other/1\"}"));
        Assert.Throws<FormatException>(() => SpinDatasetSchema.FromJson("not json"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("spins")]
    [InlineData("1abc")]
    [InlineData("a b")]
    [InlineData("a.b")]
    public void Bad_column_names_are_rejected(string name)
    {
        Assert.Throws<ArgumentException>(() => SpinDatasetSchema.Create(8, SpinScalarColumn.Double(name)));
    }

    [Fact]
    public void Duplicate_columns_and_bad_spin_counts_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SpinDatasetSchema.Create(8, SpinScalarColumn.Double("e"), SpinScalarColumn.Int32("e")));
        Assert.Contains("'e' appears twice", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpinDatasetSchema.Create(0));
        var missing = Assert.Throws<ArgumentException>(() => SpinDatasetTestData.PtLike(8).GetIndex("log_q"));
        Assert.Contains("energy", missing.Message);
    }
}
