namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>
/// Dual-averaging step-size adaptation (Nesterov 2009; Hoffman &amp; Gelman 2014, JMLR 15, 1593, Algorithm 5,
/// eqs. 5-6 with gamma = 0.05, t0 = 10, kappa = 0.75, mu = ln(10 eps0)). A plain value: its five numbers are
/// the whole adaptation state, checkpointed with the chain.
/// </summary>
public readonly record struct DualAveraging(double Mu, double HBar, double LogStepSize, double LogStepSizeBar, long Count)
{
    private const double Gamma = 0.05, T0 = 10, Kappa = 0.75;

    public static DualAveraging Start(double stepSize) => new(Math.Log(10 * stepSize), 0, Math.Log(stepSize), 0, 0);

    /// <summary>The state after observing one trajectory's acceptance probability.</summary>
    public DualAveraging Update(double acceptProbability, double target)
    {
        long m = Count + 1;
        double eta = 1.0 / (m + T0);
        double hbar = (1 - eta) * HBar + eta * (target - acceptProbability);
        double logEps = Mu - Math.Sqrt(m) / Gamma * hbar;
        // Keep eps within a sane band so one pathological trajectory cannot produce 0 or infinity.
        logEps = Math.Clamp(logEps, Math.Log(1e-6), Math.Log(1e3));
        double w = Math.Pow(m, -Kappa);
        double logEpsBar = w * logEps + (1 - w) * LogStepSizeBar;
        return new DualAveraging(Mu, hbar, logEps, logEpsBar, m);
    }

    /// <summary>The step size to use during adaptation.</summary>
    public double StepSize => Math.Exp(LogStepSize);

    /// <summary>The averaged step size frozen after adaptation.</summary>
    public double FinalStepSize => Count == 0 ? Math.Exp(LogStepSize) : Math.Exp(LogStepSizeBar);
}
