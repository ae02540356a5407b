using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Lattice;

/// <summary>
/// Reading the lattice stages' result tables back (they are written with <see cref="StageContext.WriteTable"/>).
/// </summary>
public static class LatticeTables
{
    public static DataFrame Read(UpstreamArtifact artifact, string relative) => TableFile.Read(artifact.PathOf(relative + ".parquet"));

    public static double Get(DataFrame df, string column, long row) => Convert.ToDouble(df[column][row], System.Globalization.CultureInfo.InvariantCulture);
}
