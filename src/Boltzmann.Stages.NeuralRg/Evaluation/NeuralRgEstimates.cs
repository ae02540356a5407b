using Boltzmann.Learning.Models;
using Boltzmann.Stages.NeuralRg.Training;
using Boltzmann.Targets.Relaxation;
using static TorchSharp.torch;

namespace Boltzmann.Stages.NeuralRg.Evaluation;

/// <summary>
/// Samples of a trained NeuralRG model for the free-energy estimators: x ~ q (the flow, then a random global sign
/// when the density is the Z2 mixture q_sym), with ln pi(x) and ln q(x) in float64 on the host, drawn in batches.
/// </summary>
public static class NeuralRgEstimates
{
    public const int BatchSize = 2048;

    public static (double[] LogTarget, double[] LogQ) Sample(NeuralRgTraining training, int count, ulong seed) =>
        Sample(training.Density, training.Target, count, seed);

    public static (double[] LogTarget, double[] LogQ) Sample(IExactSampler density, IsingDualFieldTarget target, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(density);
        ArgumentNullException.ThrowIfNull(target);
        var logTarget = new double[count];
        var logQ = new double[count];
        using var generator = new Generator(seed, CPU);
        using var _ = no_grad();
        for (int start = 0; start < count; start += BatchSize)
        {
            int n = Math.Min(BatchSize, count - start);
            using var scope = NewDisposeScope();
            var (x, lq) = density.Sample(n, generator);
            var lt = target.LogProb(x);
            lt.to_type(ScalarType.Float64).data<double>().CopyTo(logTarget.AsSpan(start, n));
            lq.to_type(ScalarType.Float64).data<double>().CopyTo(logQ.AsSpan(start, n));
        }
        return (logTarget, logQ);
    }
}
