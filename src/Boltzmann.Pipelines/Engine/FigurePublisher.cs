using System.Globalization;
using Boltzmann.Data.Figures;
using Boltzmann.Figures;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// How every figure stage publishes: tidy figure data (Parquet + CSV + JSON) and a PNG into the stage's
/// <see cref="PipelineRunner.PublishFolder"/> (copied to artifacts/ on commit), with the row count recorded in the
/// manifest. Points without a finite x or y cannot be drawn: each one is reported as a warning naming the stage,
/// figure, panel, series and x, so a NaN estimate never disappears without a word. A figure that would lose more
/// than <see cref="MaxDroppedFraction"/> of the points of its drawable series (those with at least one finite
/// point) fails the stage (<see cref="FigureDataException"/>): such a figure says more about a broken computation
/// than about the physics. A series with no finite point (one the profile cannot form, e.g. a difference to an
/// exact result it does not compute) is left out with its warning. A figure with no finite point is skipped with a
/// warning rather than drawn empty.
/// </summary>
public static class FigurePublisher
{
    /// <summary>Largest fraction of a figure's points that may be non-finite and left out; more fails the stage.</summary>
    public const double MaxDroppedFraction = 0.25;

    /// <summary>The metadata every figure carries: pipeline, profile, stage and the source artifact's key.</summary>
    public static Dictionary<string, string> Metadata(StageContext context, UpstreamArtifact source) => new()
    {
        ["pipeline"] = context.Pipeline,
        ["profile"] = context.Profile,
        ["stage"] = context.Name,
        ["key"] = source.Manifest.Key[..16],
    };

    /// <summary>Publishes <paramref name="figure"/>; returns false (and warns) when it has no point at all.</summary>
    /// <exception cref="FigureDataException">More than <see cref="MaxDroppedFraction"/> of the points are not finite.</exception>
    public static bool Publish(StageContext context, FigureTable figure)
    {
        if (figure.Points.Count == 0)
        {
            context.Log.Warn($"{context.Name}: figure {figure.Figure} has no data; not drawn");
            return false;
        }
        var finite = figure with { Points = figure.Points.Where(IsFinite).ToList() };
        int dropped = figure.Points.Count - finite.Points.Count;
        if (dropped > 0)
        {
            foreach (var series in figure.Points.Where(pt => !IsFinite(pt)).GroupBy(pt => (pt.Panel, pt.Series)))
                context.Log.Warn($"{context.Name}: figure {figure.Figure}, panel {series.Key.Panel}, series \"{series.Key.Series}\": " +
                                 $"{series.Count()} point(s) not finite, left out, at x = {string.Join(", ", series.Select(pt => Show(pt.X)))}" +
                                 $" (y = {string.Join(", ", series.Select(pt => Show(pt.Y)).Distinct())})");
            // A series with no finite point at all is one the stage could not form (e.g. a difference to an exact
            // result this profile does not compute): warned about above, but not a sign of a broken computation.
            var partial = figure.Points.GroupBy(pt => (pt.Panel, pt.Series)).Where(g => g.Any(IsFinite)).SelectMany(g => g).ToList();
            int partialDropped = partial.Count(pt => !IsFinite(pt));
            double fraction = partial.Count == 0 ? 0 : partialDropped / (double)partial.Count;
            if (fraction > MaxDroppedFraction)
                throw new FigureDataException(
                    $"{context.Name}: figure {figure.Figure}: {partialDropped} of the {partial.Count} points of its drawable series are not finite " +
                    $"({fraction:P0}, more than the {MaxDroppedFraction:P0} a figure may leave out; see the warnings above for which)");
        }
        if (finite.Points.Count == 0)
        {
            context.Log.Warn($"{context.Name}: figure {figure.Figure} has no finite data; not drawn");
            return false;
        }
        var dir = Path.Combine(context.WorkDirectory, PipelineRunner.PublishFolder);
        Directory.CreateDirectory(dir);
        FigureDataWriter.Write(finite, dir);
        FigureRenderer.RenderPng(finite, Path.Combine(dir, finite.Figure + ".png"));
        context.OutputRows[$"{PipelineRunner.PublishFolder}/{finite.Figure}.parquet"] = finite.Points.Count;
        return true;
    }

    private static bool IsFinite(FigurePoint pt) => double.IsFinite(pt.X) && double.IsFinite(pt.Y);

    private static string Show(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>A figure's data is unusable (too many non-finite points): the stage fails rather than drawing it.</summary>
public sealed class FigureDataException(string message) : InvalidOperationException(message);
