using Boltzmann.Data.Figures;
using Boltzmann.Figures;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// How every figure stage publishes: tidy figure data (Parquet + CSV + JSON) and a PNG into the stage's
/// <see cref="PipelineRunner.PublishFolder"/> (copied to artifacts/ on commit), with the row count recorded in the
/// manifest. Points without a finite x or y (an estimate that does not exist, e.g. a temperature with no exact
/// partner) are left out; a figure left with no points is skipped with a warning rather than drawn empty.
/// </summary>
public static class FigurePublisher
{
    /// <summary>The metadata every figure carries: pipeline, profile, stage and the source artifact's key.</summary>
    public static Dictionary<string, string> Metadata(StageContext context, UpstreamArtifact source) => new()
    {
        ["pipeline"] = context.Pipeline,
        ["profile"] = context.Profile,
        ["stage"] = context.Name,
        ["key"] = source.Manifest.Key[..16],
    };

    /// <summary>Publishes <paramref name="figure"/>; returns false (and warns) when it has no finite point.</summary>
    public static bool Publish(StageContext context, FigureTable figure)
    {
        var finite = figure with { Points = figure.Points.Where(pt => double.IsFinite(pt.X) && double.IsFinite(pt.Y)).ToList() };
        if (finite.Points.Count == 0)
        {
            context.Log.Warn($"{context.Name}: figure {figure.Figure} has no data; not drawn");
            return false;
        }
        var dir = Path.Combine(context.WorkDirectory, PipelineRunner.PublishFolder);
        Directory.CreateDirectory(dir);
        FigureDataWriter.Write(finite, dir);
        FigureRenderer.RenderPng(finite, Path.Combine(dir, finite.Figure + ".png"));
        context.OutputRows[$"{PipelineRunner.PublishFolder}/{finite.Figure}.parquet"] = finite.Points.Count;
        return true;
    }
}
