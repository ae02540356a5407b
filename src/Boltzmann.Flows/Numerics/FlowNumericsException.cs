namespace Boltzmann.Flows.Numerics;

/// <summary>
/// A flow produced a non-finite value (NaN or ±∞) or a log-determinant outside its analytic bound. Raised by
/// the numerical sentinels instead of letting NaN propagate silently into losses, weights or estimators; the
/// message names the flow, the direction, the layer and what failed.
/// </summary>
public sealed class FlowNumericsException : ArithmeticException
{
    public FlowNumericsException(string message) : base(message) { }

    public FlowNumericsException(string message, Exception inner) : base(message, inner) { }

    /// <summary>0-based coupling layer where the failure was detected (in evaluation order of that direction's layer indices).</summary>
    public int Layer { get; init; } = -1;
}
