using Boltzmann.Pipelines.Engine;
using Boltzmann.Pipelines.Tables;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Lattice;

/// <summary>
/// The one place the lattice stages write result tables (Parquet + CSV twin), so the storage path can move to the
/// engine's table API in one edit.
/// </summary>
public static class LatticeTables
{
    public static void Write(StageContext ctx, string relative, TableBuilder table, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var df = table.Build();
        TableFile.Write(df, ctx.OutputPath(relative), metadata);
        ctx.OutputRows[relative + ".parquet"] = df.Rows.Count;
    }

    public static DataFrame Read(UpstreamArtifact artifact, string relative) => TableFile.Read(artifact.PathOf(relative + ".parquet"));

    public static double Get(DataFrame df, string column, long row) => Convert.ToDouble(df[column][row], System.Globalization.CultureInfo.InvariantCulture);
}
