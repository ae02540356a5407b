using Boltzmann.Learning.Models;
using Boltzmann.Statistics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Training;

/// <summary>
/// The forward-KL loss (Hartnett &amp; Mohseni 2020, eq. 19) of a model on held-out samples of p: the negative
/// log-likelihood −mean ln q(x) over data the optimizer never saw, the over-fitting diagnostic that compares
/// fixed-dataset and online training at equal wall time. The samples come from a Markov chain (parallel
/// tempering), in chain order, so the error uses the integrated autocorrelation time of the per-sample series
/// (Sokal's Gamma method), not the naive σ/√M.
/// </summary>
public static class HeldOutLikelihood
{
    /// <summary>Rows evaluated per pass (bounds memory; the result does not depend on it).</summary>
    public const int DefaultChunk = 1000;

    /// <summary>−mean ln q over the rows of <paramref name="data"/> [M, N] (M ≥ 2), without gradients.</summary>
    public static Estimate Evaluate(IExactSampler model, Tensor data, int chunk = DefaultChunk)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        if (data.dim() != 2 || data.shape[1] != model.Dimension || data.shape[0] < 2)
            throw new ArgumentException($"HeldOutLikelihood.Evaluate: data must be [M >= 2, {model.Dimension}]; got shape [{string.Join(", ", data.shape)}].", nameof(data));
        long m = data.shape[0];
        var nll = new double[m];
        using (no_grad())
        {
            for (long start = 0; start < m; start += chunk)
            {
                using var scope = NewDisposeScope();
                long rows = Math.Min(chunk, m - start);
                var logQ = model.LogProb(data.narrow(0, start, rows)).to_type(ScalarType.Float64).cpu();
                var values = logQ.data<double>();
                for (long r = 0; r < rows; r++) nll[start + r] = -values[r];
            }
        }
        return IntegratedAutocorrelation.Estimate(nll);
    }
}
