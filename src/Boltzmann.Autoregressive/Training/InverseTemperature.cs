using Boltzmann.Autoregressive.Models;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// Moves a model to a new inverse temperature during annealing while keeping every learned parameter. The fixed
/// parameters of some architectures depend on beta (Biazzo 2023, sections III-IV):
/// <list type="bullet">
/// <item>CW_N: every parameter is analytic in beta (eqs. 11-14); setting <see cref="CwN.Beta"/> recomputes them.</item>
/// <item>CW_inf: b0 = 2 beta h and w0 = 2 beta J / N (after eq. 14); the learned w1_i are kept.</item>
/// <item>SK_RS / SK_kRSB: the skip connection 2 beta (h_i + x^1_i) of eq. 20 (the coupling first layer x^1 itself is
/// beta-free); the learned branch parameters are kept.</item>
/// </list>
/// 1P, 1L and MADE have no fixed parameters: their weights absorb beta and are simply trained on.
/// </summary>
public static class InverseTemperature
{
    /// <summary>Whether the model carries fixed parameters that follow beta.</summary>
    public static bool DependsOnBeta(AutoregressiveModel model) => model is CwN or CwInf or SkReplicaNetwork;

    /// <summary>Sets beta on the architectures whose fixed parameters depend on it; a no-op for the others.</summary>
    public static void Set(AutoregressiveModel model, double beta)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!double.IsFinite(beta) || beta < 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and >= 0.");
        switch (model)
        {
            case CwN cw:
                if (cw.Beta != beta) cw.Beta = beta; // recomputing the analytic table costs O(N^3)
                break;
            case CwInf ci:
                ci.Beta = beta;
                break;
            case SkReplicaNetwork sk:
                sk.Beta = beta;
                break;
        }
    }
}
