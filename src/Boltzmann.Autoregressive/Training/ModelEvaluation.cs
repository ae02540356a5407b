using Boltzmann.Estimators;
using Boltzmann.Physics.SpinGlass;
using Boltzmann.Statistics;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// Evaluates a network at one inverse temperature (Biazzo 2023, "Results": the free energy "estimated using 20,000
/// configurations sampled from the autoregressive neural network"): draws S ancestral samples in chunks, computes
/// ln p~ = -beta H and the exact ln Q of each, and hands the two arrays to the generic estimators of
/// <c>Boltzmann.Estimators</c> (variational free energy, NIS free energy, reverse ESS). Optionally adds the samples to an
/// <see cref="OverlapHistogram"/> as disjoint pairs of independent draws (P(q) between independent configurations,
/// never a configuration with itself).
/// </summary>
public static class ModelEvaluation
{
    /// <summary>Largest number of samples drawn at once (bounds the memory of the SK networks' ancestral state).</summary>
    public const int DefaultChunk = 5000;

    public static TemperatureEvaluation Evaluate(
        AutoregressiveModel model, PairwiseEnergy energy, double beta, int samples, Generator generator,
        OverlapHistogram? overlaps = null, int chunk = DefaultChunk)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(energy);
        ArgumentNullException.ThrowIfNull(generator);
        if (energy.N != model.N) throw new ArgumentException($"Evaluation: the model has N = {model.N}, the Hamiltonian N = {energy.N}.", nameof(energy));
        if (!double.IsFinite(beta) || beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "Evaluation: beta must be finite and > 0.");
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Evaluation: at least 2 samples are needed for an error bar.");
        if (chunk < 2) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, "Evaluation: the chunk must be >= 2.");
        if (overlaps is not null && overlaps.N != model.N) throw new ArgumentException($"Evaluation: the overlap histogram has N = {overlaps.N}, the model N = {model.N}.", nameof(overlaps));
        chunk -= chunk % 2; // even chunks keep the overlap pairs disjoint and inside one chunk

        int n = model.N;
        var logTarget = new double[samples];
        var logQ = new double[samples];
        var energies = new double[samples];
        using (no_grad())
        {
            for (int start = 0; start < samples; start += chunk)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(chunk, samples - start);
                var (x, lq) = model.Sample(count, generator);
                var h = energy.Energy(x).cpu();
                var hv = h.data<double>();
                var qv = lq.cpu().data<double>();
                for (int b = 0; b < count; b++)
                {
                    energies[start + b] = hv[b] / n;
                    logTarget[start + b] = -beta * hv[b];
                    logQ[start + b] = qv[b];
                }
                if (overlaps is not null)
                {
                    var rows = x.to_type(ScalarType.Int8).cpu().data<sbyte>().ToArray();
                    overlaps.AddDisjointPairs(rows);
                }
            }
        }

        var gibbs = VariationalFreeEnergy.Gibbs(logTarget, logQ, beta);
        var nis = NeuralImportanceSampling.FreeEnergy(logTarget, logQ, beta);
        var nisEstimate = nis.ToEstimate(biasCorrected: true);
        var ess = EffectiveSampleSize.Reverse(logTarget, logQ);
        double meanE = energies.Average();
        double varE = energies.Sum(e => (e - meanE) * (e - meanE)) / (samples - 1);
        return new TemperatureEvaluation(
            beta, samples,
            PerSpin(gibbs, n),
            PerSpin(nisEstimate, n),
            nis.Bias / n,
            ess,
            new Estimate(meanE, Math.Sqrt(varE / samples), 0.5, 0, samples));
    }

    private static Estimate PerSpin(Estimate e, int n) => e with { Mean = e.Mean / n, StdError = e.StdError / n };
}
