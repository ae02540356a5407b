using Boltzmann.Learning.Numerics;
using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Diagnostics;

/// <summary>
/// Independent checks of a bijection's log-determinant, for tests and for sanity checks of trained flows:
/// the round trip G⁻¹∘G = id, the consistency of the forward and inverse log-dets, and the log-det against
/// ln|det J| of the full Jacobian J = ∂G/∂z built row by row with reverse-mode autograd (O(N) backward passes,
/// so meant for small N). The Jacobian route does not use the coupling structure at all (Eq. 26-28 of
/// Hartnett &amp; Mohseni 2020 are what it checks).
/// </summary>
public static class FlowDiagnostics
{
    /// <summary>Default largest N for which <see cref="Check"/> builds the Jacobian.</summary>
    public const int DefaultJacobianMaxDimension = 8;

    /// <summary>
    /// J[b, i, j] = ∂map(z)[b, i]/∂z[b, j] for a map acting row-wise on z [batch, N]: row i for the whole batch
    /// at once is the gradient of Σ_b map(z)[b, i] (samples do not interact).
    /// </summary>
    public static Tensor Jacobian(Func<Tensor, Tensor> map, Tensor z)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(z);
        if (z.dim() != 2) throw new ArgumentException($"FlowDiagnostics.Jacobian: z must be [batch, N]; got shape [{string.Join(", ", z.shape)}].", nameof(z));
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var input = z.detach().clone().requires_grad_(true);
        var output = map(input);
        if (output.dim() != 2 || output.shape[0] != z.shape[0])
            throw new ArgumentException($"FlowDiagnostics.Jacobian: map returned shape [{string.Join(", ", output.shape)}] for input [{string.Join(", ", z.shape)}].", nameof(map));
        long n = output.shape[1];
        var rows = new Tensor[n];
        for (long i = 0; i < n; i++)
        {
            var component = output.select(1, i).sum();
            rows[i] = autograd.grad([component], [input], retain_graph: true, allow_unused: true)[0] ?? zeros_like(input);
        }
        return stack(rows, 1).detach().MoveToOuterDisposeScope();
    }

    /// <summary>ln|det J| per sample of the autograd Jacobian of <paramref name="map"/> at z [batch, N] (in float64).</summary>
    public static Tensor JacobianLogAbsDet(Func<Tensor, Tensor> map, Tensor z)
    {
        using var scope = NewDisposeScope();
        var jacobian = Jacobian(map, z).to_type(ScalarType.Float64);
        var (_, logAbsDet) = linalg.slogdet(jacobian);
        return logAbsDet.MoveToOuterDisposeScope();
    }

    /// <summary>Round trip, forward/inverse log-det consistency and (for events of ≤ <paramref name="jacobianMaxDimension"/> entries) the autograd Jacobian.</summary>
    public static LogDetCheck Check(IBijection flow, Tensor z, int jacobianMaxDimension = DefaultJacobianMaxDimension)
    {
        ArgumentNullException.ThrowIfNull(flow);
        using var scope = NewDisposeScope();
        double roundTrip, asymmetry;
        Tensor forwardLogDet;
        using (no_grad())
        {
            var (x, ldForward) = flow.Forward(z);
            var (back, ldInverse) = flow.Inverse(x);
            roundTrip = back.sub(z).abs().max().to_type(ScalarType.Float64).item<double>();
            asymmetry = ldForward.Plus(ldInverse).abs().max().to_type(ScalarType.Float64).item<double>();
            forwardLogDet = ldForward.to_type(ScalarType.Float64);
        }
        double? jacobianError = null;
        var shape = flow.EventShape;
        if (shape.Aggregate(1L, (a, b) => a * b) <= jacobianMaxDimension)
        {
            // Events of any shape are flattened to rows for the Jacobian (the log-det does not depend on the layout).
            long batch = z.shape[0];
            var reference = JacobianLogAbsDet(input => flow.Forward(input.reshape([batch, .. shape])).X.flatten(1), z.flatten(1));
            jacobianError = forwardLogDet.sub(reference).abs().max().item<double>();
        }
        return new LogDetCheck(roundTrip, asymmetry, jacobianError);
    }
}
