namespace Boltzmann.Stages.Arnn.Annealing;

/// <summary>
/// Published relative errors of the variational free energy per spin for the Curie-Weiss model (J = 1, h = 0) at
/// beta = 1.3 (Biazzo 2023, Fig. 4 A1-A3, as read from the paper's figure): N = 20: 1P 5.0e-4, 1L 4.9e-4, MADE_22 1.0e-4,
/// CW_inf 2.2e-3; N = 200: 1P 4.4e-3, 1L 1.7e-3, MADE_22 2.1e-4, CW_inf 1.7e-4. CW_N is exact ("at noise level"), so
/// it has no check value. Our measured numbers are reported next to these in the <c>check-values</c> table.
/// </summary>
public static class PaperCheckValues
{
    /// <summary>Inverse temperature of the check values.</summary>
    public const double Beta = 1.3;

    private static readonly Dictionary<(string Architecture, int N), double> Values = new()
    {
        [("1P", 20)] = 5.0e-4, [("1L", 20)] = 4.9e-4, [("MADE_22", 20)] = 1.0e-4, [("CW_inf", 20)] = 2.2e-3,
        [("1P", 200)] = 4.4e-3, [("1L", 200)] = 1.7e-3, [("MADE_22", 200)] = 2.1e-4, [("CW_inf", 200)] = 1.7e-4,
    };

    /// <summary>The paper's relative error for (architecture, N) at beta = 1.3, or NaN when it published none.</summary>
    public static double RelativeError(string architecture, int n) => Values.TryGetValue((architecture, n), out var v) ? v : double.NaN;
}
