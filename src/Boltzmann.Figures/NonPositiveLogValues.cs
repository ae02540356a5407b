namespace Boltzmann.Figures;

/// <summary>What to do with x &lt;= 0 on a log-x panel or y &lt;= 0 on a log-y panel (log10 is undefined there).</summary>
public enum NonPositiveLogValues
{
    /// <summary>Throw an <see cref="ArgumentException"/> naming the figure, panel, series and point (default: data bugs stay visible).</summary>
    Reject,
    /// <summary>Leave such points out and say so in a note inside the panel (e.g. empty P(q) bins on a log scale).</summary>
    Drop,
}
