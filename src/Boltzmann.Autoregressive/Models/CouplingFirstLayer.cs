using Boltzmann.Physics.Sk;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Models;

/// <summary>
/// The first layer of the pairwise-Hamiltonian networks, with weights equal to the couplings (Biazzo 2023, eqs. 8-10):
/// <code>
/// x^1_i    = sum_{s&lt;i} J_{s i} x_s          (eq. 8, the local field of the prefix on spin i)
/// x^1_{il} = sum_{s&lt;i} J_{s l} x_s,  l &gt; i  (eq. 9, the same field on a later spin l)
/// x^1_{il} = x^1_{i-1,l} + J_{i-1,l} x_{i-1}  (eq. 10, the recursion shared by consecutive conditionals)
/// </code>
/// Both are entries of one prefix-field vector F^(i)_l = sum_{s&lt;i} J_{sl} x_s (x^1_i = F^(i)_i), so ancestral sampling
/// carries F [batch, N] and adds x_i J_{i,:} after each spin: O(N) per spin, O(N^2) per sample. The couplings and
/// fields are fixed (not learned); the Hamiltonian is H = -sum_{i&lt;j} J_ij x_i x_j - sum_i h_i x_i.
/// </summary>
public sealed class CouplingFirstLayer
{
    /// <summary>Copies the couplings and fields of <paramref name="instance"/> to <paramref name="device"/>.</summary>
    public CouplingFirstLayer(SkInstance instance, Device device)
    {
        ArgumentNullException.ThrowIfNull(instance);
        N = instance.N;
        Couplings = tensor(instance.Couplings.ToArray(), [N, N], dtype: ScalarType.Float64, device: device);
        Fields = tensor(instance.Fields.ToArray(), [N], dtype: ScalarType.Float64, device: device);
        using var scope = NewDisposeScope();
        ShiftedCouplings = cat([zeros(1, N, dtype: ScalarType.Float64, device: device), Couplings.slice(0, 0, N - 1, 1)], 0)
            .MoveToOuterDisposeScope();
    }

    public int N { get; }

    /// <summary>J [N, N], symmetric with zero diagonal.</summary>
    public Tensor Couplings { get; }

    /// <summary>h [N].</summary>
    public Tensor Fields { get; }

    /// <summary>J shifted down by one row (row 0 zero, row s+1 = J_{s,:}), so an inclusive cumulative sum is eq. 9's exclusive one.</summary>
    public Tensor ShiftedCouplings { get; }

    /// <summary>
    /// Teacher-forced first layer for every conditional at once: [batch, N] -> [batch, N, N] with
    /// out[b, i, l] = sum_{s&lt;i} J_{sl} x_s (eq. 9; the diagonal l = i is eq. 8). Computed as an exclusive cumulative
    /// sum over s (of x_{s-1} J_{s-1,l}, with a zero first term), so out[., i, .] involves x_s for s &lt; i only, not even
    /// through rounding.
    /// </summary>
    public Tensor PrefixFields(Tensor x)
    {
        long batch = x.shape[0];
        var shifted = cat([zeros(batch, 1, dtype: ScalarType.Float64, device: x.device), x.slice(1, 0, N - 1, 1)], 1); // x_{s-1}
        return (shifted.unsqueeze(2) * ShiftedCouplings.unsqueeze(0)).cumsum(1);
    }

    /// <summary>F^(0) = 0 for a batch: no spin observed yet.</summary>
    public Tensor Start(long batch) => zeros(batch, N, dtype: ScalarType.Float64, device: Couplings.device);

    /// <summary>F^(i+1) = F^(i) + x_i J_{i,:} in place (eq. 10).</summary>
    public void Advance(Tensor prefixFields, int i, Tensor xi) => prefixFields.add_(xi.unsqueeze(1) * Couplings[i].unsqueeze(0));
}
