using Boltzmann.Physics.SpinGlass;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;

namespace Boltzmann.Stages.SkFlow.Evaluation;

/// <summary>
/// The tidy output tables of <see cref="SkFlowEvaluateStage"/> (Parquet + CSV, numbers only; "source" codes in
/// <see cref="EvaluationSource"/>; "layer" = -1 for PT/exact, 0..L for flows; "layerwise" = 1 for rows of the
/// layer-wise analysis of partial flows G^(l), 0 for the sampler's own output). Every estimate has an _err column.
/// </summary>
internal sealed class Tables
{
    public TableBuilder Flows { get; } = new();
    public TableBuilder References { get; } = new();
    public TableBuilder Overlap { get; } = new();
    public TableBuilder SpinGlass { get; } = new();
    public TableBuilder Sites { get; } = new();
    public TableBuilder Triangles { get; } = new();
    public TableBuilder Losses { get; } = new();

    public void AddOverlap(int instance, double t, int source, int layer, bool layerwise, OverlapDistribution pq)
    {
        for (int k = 0; k <= pq.N; k++)
            Overlap.Set("instance", instance).Set("temperature", t).Set("source", source).Set("layer", layer).Set("layerwise", layerwise ? 1 : 0)
                .Set("k", k).Set("q", 1.0 - 2.0 * k / pq.N).Set("p", pq.Probability[k]).Set("p_err", pq.StdError[k]).EndRow();
    }

    public void AddSites(int instance, double t, int source, SiteMagnetizationResult m)
    {
        for (int i = 0; i < m.N; i++)
            Sites.Set("instance", instance).Set("temperature", t).Set("source", source).Set("site", i)
                .Set("m", m.Sites[i].Mean).Set("m_err", m.Sites[i].StdError).EndRow();
    }

    public void AddTriangles(int instance, double t, int source, int layer, bool layerwise, TriangleStatistics tri, int maxPoints)
    {
        for (int k = 0; k < Math.Min(maxPoints, tri.Count); k++)
            Triangles.Set("instance", instance).Set("temperature", t).Set("source", source).Set("layer", layer).Set("layerwise", layerwise ? 1 : 0)
                .Set("x", tri.Triangles[k].X).Set("y", tri.Triangles[k].Y)
                .Set("d_min", tri.Triangles[k].DMin).Set("d_mid", tri.Triangles[k].DMid).Set("d_max", tri.Triangles[k].DMax).EndRow();
    }

    public void AddSpinGlass(int instance, double t, int source, int layer, bool layerwise, OverlapDistribution pq, OverlapComparison tv,
                             SiteMagnetizationResult? mag, TriangleStatistics? tri)
    {
        SpinGlass.Set("instance", instance).Set("temperature", t).Set("source", source).Set("layer", layer).Set("layerwise", layerwise ? 1 : 0)
            .Set("pairs", pq.Pairs).Set("q2", pq.MeanQ2.Mean).Set("q2_err", pq.MeanQ2.StdError)
            .Set("abs_q", pq.MeanAbsQ.Mean).Set("abs_q_err", pq.MeanAbsQ.StdError)
            .Set("tv_pt", tv.Distance).Set("tv_pt_err", tv.StdError).Set("tv_noise", tv.NoiseFloor)
            .Set("collapse", mag?.CollapseIndicator.Mean ?? double.NaN).Set("collapse_err", mag?.CollapseIndicator.StdError ?? double.NaN)
            .Set("mean_abs_m", mag?.MeanAbsolute ?? double.NaN)
            .Set("triangles", tri?.Count ?? 0)
            .Set("equilateral", tri?.Equilateral.Mean ?? double.NaN).Set("equilateral_err", tri?.Equilateral.StdError ?? double.NaN)
            .Set("acute_isosceles", tri?.AcuteIsosceles.Mean ?? double.NaN).Set("acute_isosceles_err", tri?.AcuteIsosceles.StdError ?? double.NaN)
            .Set("other", tri?.Other.Mean ?? double.NaN).Set("other_err", tri?.Other.StdError ?? double.NaN)
            .EndRow();
    }

    /// <summary>Copies a flow's loss log (step, wall_seconds, loss, and held-out NLL if logged) for the figures.</summary>
    public void AddLosses(StageContext ctx, UpstreamArtifact art, TrainedFlow f)
    {
        var path = art.PathOf(f.LossTable);
        if (!File.Exists(path)) throw new StageInputException($"{path}: the loss table of flow (instance {f.Instance}, T = {f.Temperature}, {f.Objective}) is missing");
        Microsoft.Data.Analysis.DataFrame df;
        try { df = TableFile.Read(path); }
        catch (InvalidDataException e)
        {
            ctx.Log.Warn($"{ctx.Name}: {path}: loss table not readable as a numeric table ({e.Message}); no loss curve for this flow");
            return;
        }
        var names = df.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var need in new[] { "step", "loss" })
            if (!names.Contains(need)) throw new StageInputException($"{path}: loss table has no \"{need}\" column (columns: {string.Join(", ", names)})");
        for (long r = 0; r < df.Rows.Count; r++)
            Losses.Set("instance", f.Instance).Set("temperature", f.Temperature).Set("objective", (int)f.Objective)
                .Set("step", Convert.ToInt64(df["step"][r]))
                .Set("wall_seconds", names.Contains("wall_seconds") ? D(df["wall_seconds"][r]) : double.NaN)
                .Set("loss", D(df["loss"][r]))
                .Set("heldout_nll", names.Contains("heldout_nll") ? D(df["heldout_nll"][r]) : double.NaN)
                .Set("heldout_nll_err", names.Contains("heldout_nll_err") ? D(df["heldout_nll_err"][r]) : double.NaN)
                .EndRow();
    }

    private static double D(object? v) => v is null ? double.NaN : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Empty tables (e.g. no loss logs) are not written; readers treat a missing table as empty.</summary>
    public void WriteAll(StageContext ctx)
    {
        ctx.WriteTableIfAny(SkFlowEvaluateStage.FlowsTable, Flows);
        ctx.WriteTableIfAny(SkFlowEvaluateStage.ReferencesTable, References);
        ctx.WriteTableIfAny(SkFlowEvaluateStage.OverlapTable, Overlap);
        ctx.WriteTableIfAny(SkFlowEvaluateStage.SpinGlassTable, SpinGlass);
        ctx.WriteTableIfAny(SkFlowEvaluateStage.SitesTable, Sites);
        ctx.WriteTableIfAny(SkFlowEvaluateStage.TrianglesTable, Triangles);
        ctx.WriteTableIfAny(SkFlowEvaluateStage.LossesTable, Losses);
    }
}
