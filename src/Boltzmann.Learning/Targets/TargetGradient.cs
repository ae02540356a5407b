using static TorchSharp.torch;

namespace Boltzmann.Learning.Targets;

/// <summary>∇ₓ ln p~(x) of any <see cref="ITarget"/> by autograd (the force −∇S of HMC on tensors).</summary>
public static class TargetGradient
{
    /// <summary>
    /// ln p~(x) [batch] and its gradient with respect to x (same shape as x), both detached. Works inside
    /// <c>no_grad()</c> (gradients are enabled locally); x itself is not modified.
    /// </summary>
    public static (Tensor LogProb, Tensor Gradient) LogProbAndGradient(this ITarget target, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(x);
        using var enable = enable_grad();
        using var scope = NewDisposeScope();
        var leaf = x.detach().requires_grad_(true);
        var logProb = target.LogProb(leaf);
        var gradient = autograd.grad([logProb.sum()], [leaf])[0];
        return scope.MoveToOuter(logProb.detach(), gradient.detach());
    }
}
