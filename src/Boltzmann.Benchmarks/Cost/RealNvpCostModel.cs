namespace Boltzmann.Benchmarks.Cost;

/// <summary>
/// Counted work (<see cref="StepCost"/>) of the real NVP flow of Hartnett &amp; Mohseni 2020 (Appendix A.1): L affine
/// couplings, each with conditioners s and t = MLPs of H hidden layers of width W (N → W → … → W → N, LeakyReLU,
/// tanh on s). The conditioners read only the passive half B (|B| ≈ N/2 coordinates) and only the active half A is
/// written, so the first layer is a product with N/2 inputs and the last one with N/2 outputs, and they are stored that
/// way (the masked form of the paper's code multiplies the other halves by zero and keeps their weights). One pass over a batch of B (either direction) costs
/// <code>
///   FLOPs  F = L · 2 · 2B (N/2·W + (H−1)·W² + W·N/2)      (two conditioners, dense products on the halves)
///   transcendentals  T = L · 2BN                        (tanh of s, exp(±s))
///   element-wise  E = L · (2·(H+1)·BW + 2·H·BW + 6BN)     (bias adds, LeakyReLU, mask/scale/shift/log-det)
/// </code>
/// A training step is the pass(es) plus backward (≈ 2× the pass's FLOPs and element-wise work; backward reuses the
/// transcendental outputs) plus the optimizer: Adam is 11 element-wise operations per parameter (2 moment updates of 2–3
/// ops, sqrt, scale, ε, quotient, update) plus zeroing the gradient and the gradient norm, 13 per parameter in all.
/// Forward KL (eq. 19) is one inverse pass over the minibatch; reverse KL (eq. 17) with the Z2-symmetrised density is the
/// sampling pass and two inverse passes (x and −x) plus the target's log-density (the SK relaxation, eqs. 3-7:
/// 2BN² FLOPs and BN log-cosh per evaluation) and BN Gaussian draws (~2 transcendentals each).
/// </summary>
public static class RealNvpCostModel
{
    /// <summary>
    /// Trainable parameters of the compact conditioners (first layer [W, |B|], last [|A|, W] and bias [|A|]):
    /// L · 2 · (N·W + (H−1)·W² + H·W + N/2). Exact for even L (the masks come in complementary pairs, so the |A| of a pair sum
    /// to N); for odd L the last layer's |A| is taken at its mean N/2.
    /// </summary>
    public static double Parameters(int n, int layers, int hiddenLayers = 3, int? width = null)
    {
        double w = width ?? n;
        return layers * 2.0 * (n * w + (hiddenLayers - 1) * w * w + hiddenLayers * w + n / 2.0);
    }

    /// <summary>One flow pass over <paramref name="batch"/> samples, no backward.</summary>
    public static StepCost Pass(int n, int batch, int layers, int hiddenLayers = 3, int? width = null)
    {
        double w = width ?? n, b = batch;
        double flops = layers * 2.0 * 2 * b * (n / 2.0 * w + (hiddenLayers - 1) * w * w + w * n / 2.0);
        double transcendentals = layers * 2.0 * b * n;
        double elementwise = layers * (2.0 * (hiddenLayers + 1) * b * w + 2.0 * hiddenLayers * b * w + 6.0 * b * n);
        return new StepCost($"RealNVP pass, N = {n}, batch {batch}, L = {layers}", flops, transcendentals, elementwise);
    }

    /// <summary>Forward-KL training step (eq. 19): inverse pass, backward, Adam.</summary>
    public static StepCost ForwardKlStep(int n, int batch, int layers, int hiddenLayers = 3, int? width = null)
    {
        var pass = Pass(n, batch, layers, hiddenLayers, width);
        double p = Parameters(n, layers, hiddenLayers, width);
        return new StepCost($"RealNVP forward-KL step, N = {n}, batch {batch}, L = {layers}",
            3 * pass.Flops, pass.Transcendentals, 3 * pass.ElementwiseOps + 2.0 * batch * n + 13 * p);
    }

    /// <summary>Reverse-KL training step (eq. 17, Z2-symmetrised): sample pass, two inverse passes, SK target, backward, Adam.</summary>
    public static StepCost ReverseKlStep(int n, int batch, int layers, int hiddenLayers = 3, int? width = null)
    {
        var pass = Pass(n, batch, layers, hiddenLayers, width);
        double p = Parameters(n, layers, hiddenLayers, width);
        double bn = (double)batch * n;
        return new StepCost($"RealNVP reverse-KL step (Z2-symmetrised), N = {n}, batch {batch}, L = {layers}",
            3 * (3 * pass.Flops + 2.0 * batch * n * n),
            3 * pass.Transcendentals + 2 * bn + bn,
            3 * (3 * pass.ElementwiseOps + 6 * bn) + 13 * p);
    }

    /// <summary>Drawing <paramref name="batch"/> samples with log q (no gradients): Gaussian draws and one pass.</summary>
    public static StepCost Sampling(int n, int batch, int layers, int hiddenLayers = 3, int? width = null)
    {
        var pass = Pass(n, batch, layers, hiddenLayers, width);
        double bn = (double)batch * n;
        return new StepCost($"RealNVP sampling with log q, N = {n}, batch {batch}, L = {layers}",
            pass.Flops, pass.Transcendentals + 2 * bn, pass.ElementwiseOps + 2 * bn);
    }
}
