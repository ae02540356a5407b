using Boltzmann.Data.Figures;
using Boltzmann.Pipelines.Engine;
using Snapshooter;
using Snapshooter.Xunit;

namespace Boltzmann.Stages.Sk.Tests;

/// <summary>
/// Locks the smoke-profile figure data of the sk-pt pipeline, whose stages are all plain C# (the plain stages of the
/// learned pipelines are locked in the CLI tests, which know every stage kind). Numbers are compared after
/// <see cref="SnapshotRounding"/>. CI runs with SNAPSHOOTER_STRICT_MODE=true, so a missing snapshot fails instead of being created.
/// To accept an intended change: delete the .snap file, run the test once locally, review and commit it.
/// </summary>
public class SmokeSnapshotTests
{
    [Theory]
    [InlineData("sk-pt")]
    public async Task SmokeFigureDataIsLocked(string pipeline)
    {
        using var ws = new TestWorkspace();
        var p = new PipelineLoader(TestWorkspace.Registry()).LoadFile(RepoPipelines.File(pipeline), "smoke");
        var report = await ws.RunAsync(p);
        var figures = Directory.GetFiles(Path.Combine(ws.Artifacts, pipeline), "*.parquet", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => (Stage: Path.GetFileName(Path.GetDirectoryName(f))!, Table: FigureDataReader.Read(f)))
            .Select(x => new
            {
                x.Stage,
                x.Table.Figure,
                x.Table.Title,
                Panels = x.Table.Panels.Select(pa => $"{pa.Panel} | {pa.Title} | {pa.XLabel} | {pa.YLabel} | {pa.Kind}").ToList(),
                Points = x.Table.Points.Select(pt => $"{pt.Panel} | {pt.Series} | {R(pt.X)} | {R(pt.Y)} | {R(pt.YErr)}").ToList(),
            })
            .ToList();
        Assert.NotEmpty(figures);
        Snapshot.Match(figures, SnapshotNameExtension.Create(pipeline));
    }

    private static string R(double v) => SnapshotRounding.Round(v);
}
