using Boltzmann.Physics.Sk;
using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// Paramagnetic (high-temperature) values of ln Z_s for an SK instance without field, with an honest error model.
/// <para>
/// <b>Instance anchor</b> (<see cref="Anchor"/>). The high-temperature (loop) expansion
/// Z = 2^N prod_{i&lt;j} cosh(beta J_ij) sum_{even subgraphs} prod tanh(beta J_ij) gives
/// ln Z = N ln 2 + sum_{i&lt;j} ln cosh(beta J_ij) + X, where X is, to leading order, the sum over simple cycles of
/// length k &gt;= 3 of the product of t_ij = tanh(beta J_ij). Because E[t] = 0 the cycle sum has mean 0 and, distinct
/// cycles being uncorrelated, variance sum_{k&gt;=3} (number of k-cycles) (mean t^2)^k ~ sum_{k&gt;=3} b^k / (2k) =
/// -(1/2) ln(1 - b) - b/2 - b^2/4 with b = N mean_{i&lt;j} t_ij^2 (~ beta^2 J^2 for SK). That is the standard error
/// reported (it matches the Aizenman-Lebowitz-Ruelle fluctuations of ln Z once the k = 2 term, the fluctuation of
/// sum J_ij^2, is taken from the instance itself). Valid for b &lt; 1, i.e. above T_c = J; used to anchor the
/// thermodynamic integration of parallel-tempering energies at the ladder's highest temperature.
/// </para>
/// <para>
/// <b>Replica-symmetric value</b> (<see cref="ReplicaSymmetric"/>): the paper's F_s = -N beta J^2/4 - N ln 2 / beta
/// (Hartnett &amp; Mohseni, section 4.3), i.e. ln Z_s = N ln 2 + N beta^2 J^2 / 4, exact for T &gt; T_c as N -&gt; infinity.
/// For one finite instance it misses O(1) terms: the ALR fluctuation (variance -(1/2) ln(1 - beta^2 J^2) - beta^2 J^2/2)
/// and the finite-N offset beta^2 J^2/4 of the annealed value N ln 2 + beta^2 J^2 (N - 1)/4 (physics notes); the
/// reported error is the square root of the sum of their squares.
/// </para>
/// </summary>
public static class HighTemperatureLnZ
{
    /// <summary>ln Z_s(beta) ~ N ln 2 + sum_{i&lt;j} ln cosh(beta J_ij), error from the cycle sum (see the class remarks).</summary>
    public static Estimate Anchor(SkInstance instance, double beta)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!double.IsFinite(beta) || beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and > 0.");
        foreach (double h in instance.Fields)
            if (h != 0)
                throw new ArgumentException("The high-temperature anchor assumes h = 0 (with a field the first loop term no longer vanishes); use exact enumeration instead.", nameof(instance));
        int n = instance.N;
        double sum = n * Math.Log(2), t2 = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double x = beta * instance.J(i, j);
                sum += LnCosh(x);
                double t = Math.Tanh(x);
                t2 += t * t;
                pairs++;
            }
        double b = pairs == 0 ? 0 : n * t2 / pairs;
        if (b >= 1)
            throw new ArgumentException($"beta = {beta} is too low a temperature for the high-temperature anchor (b = N <tanh^2(beta J)> = {b:G4} >= 1); anchor above T_c.", nameof(beta));
        double variance = -0.5 * Math.Log(1 - b) - b / 2 - b * b / 4;
        return new Estimate(sum, Math.Sqrt(Math.Max(0, variance)), double.NaN, double.NaN, 0);
    }

    /// <summary>The paper's replica-symmetric ln Z_s = N ln 2 + N beta^2 J^2 / 4 for beta J &lt; 1, with the O(1) error of the class remarks.</summary>
    public static Estimate ReplicaSymmetric(int n, double beta, double j)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Spin count must be >= 1.");
        if (!double.IsFinite(beta) || beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and > 0.");
        if (!double.IsFinite(j) || j <= 0) throw new ArgumentOutOfRangeException(nameof(j), j, "J must be finite and > 0.");
        double b = beta * beta * j * j;
        if (b >= 1) throw new ArgumentException($"The replica-symmetric free energy holds above T_c = J only; T = {1 / beta:G6}, J = {j:G6}.", nameof(beta));
        double fluctuation = -0.5 * Math.Log(1 - b) - b / 2;
        double offset = b / 4;
        return new Estimate(n * Math.Log(2) + n * b / 4, Math.Sqrt(fluctuation + offset * offset), double.NaN, double.NaN, 0);
    }

    private static double LnCosh(double x)
    {
        double a = Math.Abs(x);
        return a + Math.Log(0.5 * (1 + Math.Exp(-2 * a)));
    }
}
