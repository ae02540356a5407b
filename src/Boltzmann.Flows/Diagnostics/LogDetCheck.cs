namespace Boltzmann.Flows.Diagnostics;

/// <summary>
/// Result of <see cref="FlowDiagnostics.Check"/> on a batch of points: worst-case errors over the batch.
/// </summary>
/// <param name="MaxRoundTripError">max |G⁻¹(G(z)) − z|.</param>
/// <param name="MaxLogDetAsymmetry">max |ln|det ∂G/∂z|(z) + ln|det ∂G⁻¹/∂x|(G(z))| (must vanish).</param>
/// <param name="MaxJacobianLogDetError">max |analytic log-det − ln|det J|| with J from autograd; null when N exceeds the limit.</param>
public sealed record LogDetCheck(double MaxRoundTripError, double MaxLogDetAsymmetry, double? MaxJacobianLogDetError)
{
    /// <summary>Largest of the three errors (ignoring a skipped Jacobian).</summary>
    public double Worst => Math.Max(Math.Max(MaxRoundTripError, MaxLogDetAsymmetry), MaxJacobianLogDetError ?? 0);
}
