namespace Boltzmann.Data.Parquet;

/// <summary>Physical type of a scalar column of a spin dataset (all non-nullable in Parquet).</summary>
public enum SpinColumnType
{
    /// <summary>32-bit signed integer (Parquet INT32): indices such as instance, chain, slot, walker.</summary>
    Int32,
    /// <summary>64-bit signed integer (Parquet INT64): counters such as sweep.</summary>
    Int64,
    /// <summary>IEEE double (Parquet DOUBLE): observables such as beta, energy, magnetization, log_q.</summary>
    Double,
}
