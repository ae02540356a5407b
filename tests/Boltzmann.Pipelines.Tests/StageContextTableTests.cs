using System.Text.Json.Nodes;
using Boltzmann.Data.Tables;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Pipelines.Tests;

public class StageContextTableTests
{
    private static StageContext Context(string work) => new()
    {
        Pipeline = "p",
        Profile = Profiles.Smoke,
        Stage = new ResolvedStage("s", null!, new object(), new JsonObject(), 1, new Dictionary<string, string>(), ""),
        WorkDirectory = work,
        Resuming = false,
        Upstream = new Dictionary<string, UpstreamArtifact>(),
        Progress = SilentProgress.Instance,
        Log = new MemoryLog(),
        Device = "cpu",
        Cancellation = CancellationToken.None,
    };

    [Fact]
    public void WriteTableWritesParquetAndCsvAndRecordsBothRowCounts()
    {
        var work = Directory.CreateTempSubdirectory("boltz-table-").FullName;
        try
        {
            var ctx = Context(work);
            var table = new TableBuilder();
            for (int i = 0; i < 3; i++) table.Set("i", i).Set("x", 0.5 * i).Set("n", 10L * i).EndRow();
            Assert.Equal(3, ctx.WriteTable("results/t", table, new Dictionary<string, string> { ["why"] = "test" }));

            var back = TableFile.Read(Path.Combine(work, "results", "t.parquet"));
            Assert.Equal(["i", "x", "n"], back.Columns.Select(c => c.Name));
            Assert.Equal(1.0, (double)back["x"][2]);
            Assert.Equal("i,x,n", File.ReadLines(Path.Combine(work, "results", "t.csv")).First());
            Assert.Equal(new Dictionary<string, long> { ["results/t.parquet"] = 3, ["results/t.csv"] = 3 }, ctx.OutputRows);
        }
        finally { Directory.Delete(work, true); }
    }

    [Fact]
    public void AnEmptyTableIsNotWrittenByWriteTableIfAny()
    {
        var work = Directory.CreateTempSubdirectory("boltz-table-").FullName;
        try
        {
            var ctx = Context(work);
            Assert.False(ctx.WriteTableIfAny("empty", new TableBuilder()));
            Assert.False(File.Exists(Path.Combine(work, "empty.parquet")));
            Assert.Empty(ctx.OutputRows);
        }
        finally { Directory.Delete(work, true); }
    }
}
