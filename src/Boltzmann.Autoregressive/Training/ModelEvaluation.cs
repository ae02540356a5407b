using Boltzmann.Learning.Symmetry;
using Boltzmann.Learning.Targets;
using Boltzmann.Estimators;
using Boltzmann.Statistics;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// Evaluates a network at one inverse temperature (Biazzo 2023, "Results": the free energy "estimated using 20,000
/// configurations sampled from the autoregressive neural network"): draws S ancestral samples in chunks, computes
/// ln p~ = -beta H and the exact ln Q of each, and hands the two arrays to the generic estimators of
/// <c>Boltzmann.Estimators</c> (variational free energy, NIS free energy, reverse ESS). Optionally hands each chunk of
/// samples to the caller (an even number of rows, so the caller can histogram the overlap P(q) over disjoint pairs of
/// independent draws, never a configuration with itself; the histogram is physics and lives with the stage).
/// When every field is zero the Boltzmann distribution is Z2 symmetric (H(-x) = H(x)) and an annealed network may have
/// collapsed onto one mirror half, which neither raw NIS (then biased by ln 2/(beta N)) nor the reverse ESS detects. The
/// evaluation then also reports NIS and ESS of the symmetrised proposal q_sym(x) = (Q(x) + Q(-x))/2 (the device of
/// Hartnett &amp; Mohseni for flows): each sample of Q is flipped as a whole with probability 1/2 (a draw from the
/// evaluation's generator), so it is a draw of q_sym, and ln q_sym = logaddexp(ln Q(x), ln Q(-x)) - ln 2 with ln Q(-x)
/// from the exact autoregressive likelihood. The samples handed to the caller are the unflipped samples of Q.
/// </summary>
public static class ModelEvaluation
{
    /// <summary>Largest number of samples drawn at once (bounds the memory of the SK networks' ancestral state).</summary>
    public const int DefaultChunk = 5000;

    /// <param name="energy">The β = 1 Boltzmann target, ln p~_1 = −H.</param>
    /// <param name="z2Symmetric">Whether H(−x) = H(x) (no field): then the symmetrised NIS and ESS are reported too.</param>
    /// <param name="samplesDrawn">Null, or receives every chunk of samples of Q as a row-major [count, N] ±1 array with
    /// count even (e.g. to add them to an overlap histogram as disjoint pairs).</param>
    public static TemperatureEvaluation Evaluate(
        AutoregressiveModel model, ITarget energy, bool z2Symmetric, double beta, int samples, Generator generator,
        Action<sbyte[]>? samplesDrawn = null, int chunk = DefaultChunk)
    {
        var d = Draw(model, energy, z2Symmetric, beta, samples, generator, samplesDrawn, chunk);
        int n = model.N;
        bool symmetric = z2Symmetric;
        var logTarget = d.LogTarget;
        var logQ = d.LogQ;
        var energies = d.Energies.Select(e => e / n).ToArray();
        var logTargetSym = d.LogTargetSymmetric;
        var logQSym = d.LogQSymmetric;
        var gibbs = VariationalFreeEnergy.Gibbs(logTarget, logQ, beta);
        var nis = NeuralImportanceSampling.FreeEnergy(logTarget, logQ, beta);
        var nisEstimate = nis.ToEstimate(biasCorrected: true);
        var ess = EffectiveSampleSize.Reverse(logTarget, logQ);
        Estimate? nisSym = null, essSym = null;
        if (symmetric)
        {
            nisSym = PerSpin(NeuralImportanceSampling.FreeEnergy(logTargetSym, logQSym, beta).ToEstimate(biasCorrected: true), n);
            essSym = EffectiveSampleSize.Reverse(logTargetSym, logQSym);
        }
        double meanE = energies.Average();
        double varE = energies.Sum(e => (e - meanE) * (e - meanE)) / (samples - 1);
        return new TemperatureEvaluation(
            beta, samples,
            PerSpin(gibbs, n),
            PerSpin(nisEstimate, n),
            nis.Bias / n,
            ess,
            new Estimate(meanE, Math.Sqrt(varE / samples), 0.5, 0, samples),
            nisSym, essSym);
    }

    /// <summary>
    /// Draws <paramref name="samples"/> configurations of Q in chunks and returns, per sample, H, ln p~ = −βH and ln Q,
    /// and (when <paramref name="z2Symmetric"/>) the same for the whole-configuration flip with probability 1/2, a draw of
    /// q_sym with ln q_sym = logaddexp(ln Q(x), ln Q(−x)) − ln 2 (see the class summary). The generator is consumed in the
    /// same order by every caller, so <see cref="Evaluate"/> and the thermodynamic evaluation see the same draws.
    /// </summary>
    public static ModelDraws Draw(
        AutoregressiveModel model, ITarget energy, bool z2Symmetric, double beta, int samples, Generator generator,
        Action<sbyte[]>? samplesDrawn = null, int chunk = DefaultChunk)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(energy);
        ArgumentNullException.ThrowIfNull(generator);
        SpinTargets.RequireSameSpins(energy, model.N, "Evaluation");
        if (!double.IsFinite(beta) || beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "Evaluation: beta must be finite and > 0.");
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Evaluation: at least 2 samples are needed for an error bar.");
        if (chunk < 2) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, "Evaluation: the chunk must be >= 2.");
        chunk -= chunk % 2; // even chunks keep the overlap pairs disjoint and inside one chunk

        bool symmetric = z2Symmetric;
        var logTarget = new double[samples];
        var logQ = new double[samples];
        var energies = new double[samples];
        var logTargetSym = symmetric ? new double[samples] : [];
        var logQSym = symmetric ? new double[samples] : [];
        var z2 = new Z2Symmetrized(model);
        using (no_grad())
        {
            for (int start = 0; start < samples; start += chunk)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(chunk, samples - start);
                var (x, lq) = model.Sample(count, generator);
                var h = energy.LogProb(x.to_type(energy.Dtype)).to_type(ScalarType.Float64).neg().cpu();
                var hv = h.data<double>();
                var qv = lq.cpu().data<double>();
                for (int b = 0; b < count; b++)
                {
                    energies[start + b] = hv[b];
                    logTarget[start + b] = -beta * hv[b];
                    logQ[start + b] = qv[b];
                }
                if (symmetric)
                {
                    // Flip whole configurations with probability 1/2: x' is then a draw of q_sym; ln q_sym is even in x.
                    var (flipped, lqSym) = z2.Flip(x, lq, generator); // ln q_sym(x') = ln q_sym(x)
                    var hs = energy.LogProb(flipped.to_type(energy.Dtype)).to_type(ScalarType.Float64).neg().cpu().data<double>();
                    var ls = lqSym.to_type(ScalarType.Float64).cpu().data<double>();
                    for (int b = 0; b < count; b++)
                    {
                        logTargetSym[start + b] = -beta * hs[b];
                        logQSym[start + b] = ls[b];
                    }
                }
                if (samplesDrawn is not null)
                    samplesDrawn(x.to_type(ScalarType.Int8).cpu().data<sbyte>().ToArray());
            }
        }
        return new ModelDraws(beta, energies, logTarget, logQ, logTargetSym, logQSym);
    }

    private static Estimate PerSpin(Estimate e, int n) => e with { Mean = e.Mean / n, StdError = e.StdError / n };
}
