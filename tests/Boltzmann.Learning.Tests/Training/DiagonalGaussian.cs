using Boltzmann.Learning.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training;

/// <summary>
/// The toy model of the trainer tests: q(x) = N(μ, diag σ²) with learnable μ and ln σ, sampled by
/// reparameterisation x = μ + σ z, z ~ N(0, 1) (Kingma &amp; Welling 2014). Its optima are known in closed form:
/// the reverse KL to a Gaussian target is minimised at the target's mean and standard deviations, the forward
/// KL (maximum likelihood) on a sample at the sample mean and the 1/n sample standard deviation.
/// </summary>
internal sealed class DiagonalGaussian : nn.Module
{
    private const double HalfLn2Pi = 0.91893853320467274178; // ln(2π)/2

#pragma warning disable IDE0044 // TorchSharp replaces parameter fields on dtype/device conversion, so they are not readonly.
    private Parameter mu;
    private Parameter log_sigma;
#pragma warning restore IDE0044

    public DiagonalGaussian(double[] mu0, double[] logSigma0) : base("diagonal-gaussian")
    {
        mu = new Parameter(tensor(mu0, dtype: ScalarType.Float64));
        log_sigma = new Parameter(tensor(logSigma0, dtype: ScalarType.Float64));
        RegisterComponents();
    }

    public Parameter Mu => mu;

    public Parameter LogSigma => log_sigma;

    public int Dimension => (int)mu.shape[0];

    /// <summary>Reparameterised samples [batch, D] and their log q [batch].</summary>
    public (Tensor X, Tensor LogQ) Sample(long batch, Generator generator)
    {
        var z = randn([batch, Dimension], dtype: mu.dtype, device: mu.device, generator: generator);
        var x = mu.Plus(log_sigma.exp() * z); // ScalarArithmetic: no temporary Scalars (docs/platform.md)
        var logQ = log_sigma.neg().sub(z.Squared().Times(0.5)).MinusConstant(HalfLn2Pi).sum(1);
        return (x, logQ);
    }

    /// <summary>log q(x) for x [batch, D].</summary>
    public Tensor LogProb(Tensor x)
    {
        var u = (x - mu) / log_sigma.exp();
        return log_sigma.neg().sub(u.Squared().Times(0.5)).MinusConstant(HalfLn2Pi).sum(1);
    }

    public double[] MuValues() => mu.detach().to(ScalarType.Float64).data<double>().ToArray();

    public double[] SigmaValues() => log_sigma.detach().exp().to(ScalarType.Float64).data<double>().ToArray();
}
