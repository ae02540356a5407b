using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training;

/// <summary>
/// Unnormalised target p̃(x) = exp(−Σ_i (x_i − m_i)²/(2 s_i²)) with Z = Π_i √(2π) s_i, and the reverse-KL
/// loss L = E_q[ln q − ln p̃] = KL(q‖p) − ln Z, whose minimum −ln Z is attained at q = p (where ln q − ln p̃ is
/// the same constant for every sample, so the minimum is exact, not only in expectation).
/// </summary>
internal sealed record GaussianTarget(double[] Mean, double[] Std)
{
    public double LnZ => Std.Sum(s => Math.Log(Math.Sqrt(2 * Math.PI) * s));

    public Tensor LogDensity(Tensor x)
    {
        var m = tensor(Mean, dtype: x.dtype, device: x.device);
        var s = tensor(Std, dtype: x.dtype, device: x.device);
        return ((x - m) / s).Squared().Times(-0.5).sum(1); // no temporary Scalars (docs/platform.md)
    }

    /// <summary>The reverse-KL training closure for <paramref name="model"/> with batch <paramref name="batch"/>.</summary>
    public Func<long, Boltzmann.Learning.Training.StepResult> ReverseKl(DiagonalGaussian model, Generator generator, long batch, bool withExtras = false) =>
        step =>
        {
            var (x, logQ) = model.Sample(batch, generator);
            var loss = (logQ - LogDensity(x)).mean();
            if (!withExtras) return loss;
            var mu = model.MuValues();
            var sigma = model.SigmaValues();
            var extras = new List<(string, double)>();
            for (int i = 0; i < mu.Length; i++) extras.Add(($"mu{i}", mu[i]));
            for (int i = 0; i < sigma.Length; i++) extras.Add(($"sigma{i}", sigma[i]));
            return new Boltzmann.Learning.Training.StepResult(loss, extras);
        };
}
