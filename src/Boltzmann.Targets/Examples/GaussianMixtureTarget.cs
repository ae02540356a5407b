using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Examples;

/// <summary>
/// The worked example of docs/extending.md: a mixture of K isotropic Gaussians in d dimensions,
/// p~(x) = Σ_k w_k exp(−|x − μ_k|² / (2σ_k²)), unnormalised on purpose so that its partition function
/// Z = Σ_k w_k (2πσ_k²)^{d/2} is known in closed form and an estimator of ln Z (neural importance sampling,
/// Nicoli et al. 2020, eq. 5) can be checked against it. It needs no plain-C# twin: no Monte Carlo stage samples it.
/// </summary>
public sealed class GaussianMixtureTarget : ITarget, IDisposable
{
    private readonly Tensor _means, _logWeights, _inverseVariances;

    /// <param name="weights">w_k &gt; 0 (need not sum to 1).</param>
    /// <param name="means">μ_k, K rows of d coordinates.</param>
    /// <param name="sigmas">σ_k &gt; 0.</param>
    public GaussianMixtureTarget(double[] weights, double[][] means, double[] sigmas)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(sigmas);
        int k = weights.Length;
        if (k < 1 || means.Length != k || sigmas.Length != k)
            throw new ArgumentException($"GaussianMixtureTarget: {k} weights, {means.Length} means and {sigmas.Length} widths; need K >= 1 of each.");
        Dimension = means[0].Length;
        if (Dimension < 1 || means.Any(m => m.Length != Dimension))
            throw new ArgumentException("GaussianMixtureTarget: every mean needs the same d >= 1 coordinates.", nameof(means));
        if (weights.Any(w => !(w > 0) || !double.IsFinite(w)) || sigmas.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new ArgumentException("GaussianMixtureTarget: weights and widths must be finite and > 0.");

        // ln Z = logsumexp_k [ln w_k + (d/2) ln(2πσ_k²)]: each term is the integral of one unnormalised component.
        var terms = Enumerable.Range(0, k).Select(c => Math.Log(weights[c]) + 0.5 * Dimension * Math.Log(2 * Math.PI * sigmas[c] * sigmas[c])).ToArray();
        double max = terms.Max();
        LogPartitionFunction = max + Math.Log(terms.Sum(t => Math.Exp(t - max)));

        _means = tensor(means.SelectMany(m => m).ToArray(), [k, Dimension], dtype: ScalarType.Float64);
        _logWeights = tensor(weights.Select(w => Math.Log(w)).ToArray(), [k], dtype: ScalarType.Float64);
        _inverseVariances = tensor(sigmas.Select(s => 1.0 / (s * s)).ToArray(), [k], dtype: ScalarType.Float64);
    }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>The closed-form ln Z = ln Σ_k w_k (2πσ_k²)^{d/2}.</summary>
    public double LogPartitionFunction { get; }

    public long[] EventShape => [Dimension];

    public ScalarType Dtype => ScalarType.Float64;

    public Device Device => CPU;

    /// <summary>ln p~(x) = logsumexp_k [ln w_k − |x − μ_k|² / (2σ_k²)] per row of x [batch, d] → [batch]; differentiable in x.</summary>
    public Tensor LogProb(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != Dimension)
            throw new ArgumentException($"GaussianMixtureTarget: x must be [batch, {Dimension}], got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var squared = (x.to_type(ScalarType.Float64).unsqueeze(1) - _means.unsqueeze(0)).square().sum(2); // [batch, K]
        var components = _logWeights.unsqueeze(0) - squared.mul(_inverseVariances.unsqueeze(0)).Times(0.5);
        return components.logsumexp(1).to_type(x.dtype).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _means.Dispose();
        _logWeights.Dispose();
        _inverseVariances.Dispose();
    }
}
