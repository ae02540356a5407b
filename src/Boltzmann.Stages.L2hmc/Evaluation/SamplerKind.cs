namespace Boltzmann.Stages.L2hmc.Evaluation;

/// <summary>The samplers compared at one beta (stored as the integer column <c>sampler</c> of the result tables).</summary>
public enum SamplerKind
{
    /// <summary>Plain HMC with one (N_LF, eps) pair.</summary>
    Hmc = 0,
    /// <summary>The sampler trained up to this beta (end of its era).</summary>
    Trained = 1,
    /// <summary>The sampler trained up to the previous era's beta, applied here without retraining.</summary>
    Transfer = 2,
    /// <summary>The previous era's sampler after retrain_steps steps at this beta.</summary>
    TransferRetrained = 3,
}
