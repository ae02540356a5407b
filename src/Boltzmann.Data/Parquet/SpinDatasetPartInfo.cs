namespace Boltzmann.Data.Parquet;

/// <summary>One file of an opened dataset: its path, part index, and row counts per row group.</summary>
/// <param name="Path">Absolute file path.</param>
/// <param name="PartIndex">Index from the part's metadata.</param>
/// <param name="RowCount">Rows in the file.</param>
/// <param name="RowGroupRowCounts">Rows of each row group, in order.</param>
public sealed record SpinDatasetPartInfo(string Path, int PartIndex, long RowCount, IReadOnlyList<long> RowGroupRowCounts);
