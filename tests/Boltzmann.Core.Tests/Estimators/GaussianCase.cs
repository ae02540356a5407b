using Boltzmann.Random;

namespace Boltzmann.Core.Tests.Estimators;

/// <summary>
/// A product of independent 1D Gaussians: model q = prod_d N(muQ_d, sQ_d^2), unnormalised target
/// p~(x) = exp(logC) prod_d exp(-(x_d - muP_d)^2 / (2 sP_d^2)), so Z = exp(logC) prod_d sqrt(2 pi) sP_d exactly.
/// Every closed form used by the estimator tests lives here, with its derivation.
/// </summary>
internal sealed record GaussianCase(double[] MuQ, double[] SigmaQ, double[] MuP, double[] SigmaP, double LogC)
{
    public static GaussianCase OneD(double muQ, double sigmaQ, double muP, double sigmaP, double logC = 0) =>
        new([muQ], [sigmaQ], [muP], [sigmaP], logC);

    public int Dimension => MuQ.Length;

    public double ExactLnZ
    {
        get
        {
            double z = LogC;
            for (int d = 0; d < Dimension; d++) z += 0.5 * Math.Log(2 * Math.PI) + Math.Log(SigmaP[d]);
            return z;
        }
    }

    /// <summary>
    /// E_q[w^2] with normalised w = p/q is int p^2/q dx. Per dimension, completing the square in
    /// -(x-muP)^2/sP^2 + (x-muQ)^2/(2 sQ^2) (a Gaussian integral, finite iff 2 sQ^2 &gt; sP^2) gives
    /// sQ^2 / (sP sqrt(2 sQ^2 - sP^2)) exp((muP - muQ)^2 / (2 sQ^2 - sP^2)), i.e. 1 + chi^2(p||q); for equal means
    /// the ESS fraction is sqrt(2 r^2 - 1) / r^2 with r = sQ/sP, and for equal widths exp(-Delta^2/s^2).
    /// ESS/N is the inverse of the product over dimensions. Checked against quadrature in the tests.
    /// </summary>
    public double ExactEssFraction
    {
        get
        {
            double logSecondMoment = 0;
            for (int d = 0; d < Dimension; d++)
            {
                double sq2 = SigmaQ[d] * SigmaQ[d], sp = SigmaP[d], denom = 2 * sq2 - sp * sp;
                if (!(denom > 0)) return 0;
                double delta = MuP[d] - MuQ[d];
                logSecondMoment += Math.Log(sq2 / (sp * Math.Sqrt(denom))) + delta * delta / denom;
            }
            return Math.Exp(-logSecondMoment);
        }
    }

    /// <summary>KL(q||p) = sum_d ln(sP/sQ) + (sQ^2 + Delta^2)/(2 sP^2) - 1/2 (standard Gaussian result).</summary>
    public double ExactReverseKl => Kl(SigmaQ, SigmaP);

    /// <summary>KL(p||q) = sum_d ln(sQ/sP) + (sP^2 + Delta^2)/(2 sQ^2) - 1/2.</summary>
    public double ExactForwardKl => Kl(SigmaP, SigmaQ);

    /// <summary>Shannon entropy of p: sum_d (1/2) ln(2 pi e sP^2).</summary>
    public double ExactEntropyP
    {
        get
        {
            double h = 0;
            for (int d = 0; d < Dimension; d++) h += 0.5 * Math.Log(2 * Math.PI * Math.E * SigmaP[d] * SigmaP[d]);
            return h;
        }
    }

    private double Kl(double[] s1, double[] s2)
    {
        double kl = 0;
        for (int d = 0; d < Dimension; d++)
        {
            double delta = MuP[d] - MuQ[d];
            kl += Math.Log(s2[d] / s1[d]) + (s1[d] * s1[d] + delta * delta) / (2 * s2[d] * s2[d]) - 0.5;
        }
        return kl;
    }

    public double LogQ(ReadOnlySpan<double> x)
    {
        double l = 0;
        for (int d = 0; d < Dimension; d++)
        {
            double z = (x[d] - MuQ[d]) / SigmaQ[d];
            l += -0.5 * z * z - Math.Log(SigmaQ[d]) - 0.5 * Math.Log(2 * Math.PI);
        }
        return l;
    }

    public double LogTarget(ReadOnlySpan<double> x)
    {
        double l = LogC;
        for (int d = 0; d < Dimension; d++)
        {
            double z = (x[d] - MuP[d]) / SigmaP[d];
            l += -0.5 * z * z;
        }
        return l;
    }

    /// <summary>n independent samples of q: ln p~, ln q and the first coordinate x_0 of each.</summary>
    public GaussianSamples SampleQ(int n, ulong seed) => Sample(n, seed, MuQ, SigmaQ);

    /// <summary>n independent samples of p.</summary>
    public GaussianSamples SampleP(int n, ulong seed) => Sample(n, seed, MuP, SigmaP);

    /// <summary>
    /// n correlated samples of p: every coordinate an AR(1) chain with coefficient rho started in equilibrium
    /// (stationary law N(muP, sP^2), tau_int = (1 + rho) / (2 (1 - rho))), like Markov-chain data.
    /// </summary>
    public GaussianSamples SamplePChain(int n, double rho, ulong seed)
    {
        var rng = new RandomStream(seed);
        var z = new double[Dimension];
        for (int d = 0; d < Dimension; d++) z[d] = rng.NextGaussian();
        double c = Math.Sqrt(1 - rho * rho);
        var x = new double[Dimension];
        var s = new GaussianSamples(new double[n], new double[n], new double[n]);
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < Dimension; d++)
            {
                z[d] = rho * z[d] + c * rng.NextGaussian();
                x[d] = MuP[d] + SigmaP[d] * z[d];
            }
            s.Record(i, this, x);
        }
        return s;
    }

    private GaussianSamples Sample(int n, ulong seed, double[] mu, double[] sigma)
    {
        var rng = new RandomStream(seed);
        var x = new double[Dimension];
        var s = new GaussianSamples(new double[n], new double[n], new double[n]);
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < Dimension; d++) x[d] = mu[d] + sigma[d] * rng.NextGaussian();
            s.Record(i, this, x);
        }
        return s;
    }
}
