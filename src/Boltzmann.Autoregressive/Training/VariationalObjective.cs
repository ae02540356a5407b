using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Targets;
using Boltzmann.Learning.Training;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// One step of variational training (Biazzo 2023, eqs. 1-2; Wu, Wang &amp; Zhang, PRL 122, 080602 (2019)): minimise
/// beta F[Q] = sum_x Q(x) (ln Q(x) + beta H(x)) over the network's parameters from a batch x^(1..B) drawn by ancestral
/// sampling. With the per-sample signal s_b = ln Q(x^b) + beta H(x^b), the score-function (REINFORCE) estimator of the
/// gradient is
/// <code>
/// grad beta F ~ (1/B) sum_b (s_b - sbar) grad ln Q(x^b),   sbar = (1/B) sum_b s_b,
/// </code>
/// (the term E_Q[grad ln Q] = 0 is dropped; the batch-mean baseline sbar lowers the variance). The returned loss is
/// the surrogate (1/(N B)) sum_b (s_b - sbar) ln Q(x^b) plus a detached constant that makes its value the batch estimate
/// of beta F / N (so the loss log reads as beta times the variational free energy per spin); its gradient is the
/// REINFORCE estimate divided by N. Extras logged: the variational free energy per spin F/N of the batch.
/// The Hamiltonian comes from the β = 1 Boltzmann target, H(x) = −ln p~_1(x), so any spin target plugs in.
/// </summary>
public sealed class VariationalObjective
{
    /// <param name="energy">The β = 1 Boltzmann target, ln p~_1(x) = −H(x), over [batch, N] spins.</param>
    public VariationalObjective(AutoregressiveModel model, ITarget energy, long batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(energy);
        SpinTargets.RequireSameSpins(energy, model.N, "Variational objective");
        if (batch < 2) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Variational objective: the batch must hold >= 2 samples (the baseline is the batch mean).");
        Model = model;
        Energy = energy;
        Batch = batch;
    }

    public AutoregressiveModel Model { get; }

    public ITarget Energy { get; }

    public long Batch { get; }

    /// <summary>Extra column of the loss log: the batch's variational free energy per spin F/N.</summary>
    public const string FreeEnergyExtra = "f_variational";

    /// <summary>Builds the loss of one step at inverse temperature <paramref name="beta"/>, sampling with <paramref name="generator"/>.</summary>
    public StepResult Step(double beta, Generator generator)
    {
        if (!double.IsFinite(beta) || beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "Variational objective: beta must be finite and > 0.");
        var (x, _) = Model.Sample(Batch, generator);
        var logQ = Model.LogProb(x);
        Tensor signal, advantage;
        using (no_grad())
        {
            signal = logQ.detach().to_type(ScalarType.Float64).Plus(Energy.LogProb(x.to_type(Energy.Dtype)).to_type(ScalarType.Float64).neg().Times(beta)); // the signal in float64 whatever the model dtype
            advantage = signal.Minus(signal.mean());
        }
        var surrogate = advantage.mul(logQ).mean().DividedBy(Model.N);
        double betaFPerSpin = signal.mean().item<double>() / Model.N;
        var loss = surrogate.Plus(surrogate.detach().neg().PlusConstant(betaFPerSpin));
        return new StepResult(loss, [(FreeEnergyExtra, betaFPerSpin / beta)]);
    }
}
