using Boltzmann.Flows;
using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Stages.NeuralRg.Evaluation;

/// <summary>
/// Interpretation of a trained NeuralRG flow (Li &amp; Wang 2018, Fig. 4a): the response E_x[∂z_i/∂x] of latent
/// variables z_i to the physical field, by autograd through the inverse flow z = G^{-1}(x) over samples x ~ pi. With
/// the symmetrised model the latent vector is inferred as in supplement eq. S5: the sign eta = ±1 is drawn with
/// posterior weights q(eta x) / (2 q_sym(x)) and z = G^{-1}(eta x); the physical variables are flipped accordingly
/// (the gradient is taken with respect to eta x).
/// </summary>
public static class ResponseMaps
{
    /// <summary>x → eta x with eta drawn per sample from eq. S5 (all +1 when <paramref name="symmetrized"/> is false).</summary>
    public static Tensor InferSigns(NormalizingFlow flow, Tensor x, bool symmetrized, Generator generator)
    {
        if (!symmetrized) return x.detach().clone();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var plus = flow.LogProb(x);
        var minus = flow.LogProb(x.neg());
        var pPlus = plus.sub(minus).sigmoid();
        var u = rand(pPlus.shape, pPlus.dtype, generator: generator);
        var eta = u.lt(pPlus).to_type(x.dtype).Times(2.0).PlusConstant(-1.0).reshape(x.shape[0], 1, 1);
        return x.mul(eta).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// E[∂z_(r,c)/∂x] for each latent site (r, c) in <paramref name="sites"/> over the (sign-inferred) samples
    /// <paramref name="x"/> [batch, L, L] → one L x L map per site, row-major.
    /// </summary>
    public static double[][] Compute(NormalizingFlow flow, Tensor x, IReadOnlyList<(int Row, int Col)> sites)
    {
        var maps = new double[sites.Count][];
        for (int k = 0; k < sites.Count; k++)
        {
            using var scope = NewDisposeScope();
            var input = x.detach().clone().requires_grad_(true);
            var (z, _) = flow.Inverse(input);
            var selected = z.select(1, sites[k].Row).select(1, sites[k].Col).sum();
            var gradient = autograd.grad([selected], [input])[0];
            maps[k] = gradient.mean(new long[] { 0 }).reshape(-1).to_type(ScalarType.Float64).data<double>().ToArray();
        }
        return maps;
    }

    /// <summary>The four top-level latent variables of a MERA with <paramref name="scales"/> scales on L x L: the
    /// outputs of the coarsest decimator block at the origin, spacing 2^(scales−1).</summary>
    public static (int Row, int Col)[] TopLevelSites(int scales)
    {
        int d = 1 << (scales - 1);
        return [(0, 0), (0, d), (d, 0), (d, d)];
    }
}
