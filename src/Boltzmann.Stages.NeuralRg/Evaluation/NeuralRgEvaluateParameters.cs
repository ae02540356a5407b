namespace Boltzmann.Stages.NeuralRg.Evaluation;

/// <summary>
/// Parameters of <see cref="NeuralRgEvaluateStage"/>. HMC defaults are the paper's public code: 512 persistent chains
/// in the paper profile (64 by default here), eps = 0.2, 10 leapfrog steps, 10 trajectories per 100-epoch snapshot.
/// </summary>
/// <param name="NisSamples">Samples of q for the NIS ln Z_x and the variational free energy of the final flow.</param>
/// <param name="Chains">Persistent HMC chains (latent and physical alike).</param>
/// <param name="StepSize">Leapfrog step size eps (both spaces).</param>
/// <param name="LeapfrogSteps">Leapfrog steps per trajectory (both spaces).</param>
/// <param name="TrajectoriesPerSnapshot">Trajectories run on each training snapshot (HMC alongside training, Fig. 3b).</param>
/// <param name="BurnIn">Trajectories discarded at the start of the final comparison run.</param>
/// <param name="Trajectories">Trajectories of the final comparison run (structure factor, energy, tau_int).</param>
/// <param name="InterpretSize">L of the MERA model analysed for Fig. 4 (null = the largest trained L; 0 = none).</param>
/// <param name="MiSamples">Samples per pair for the KSG mutual information.</param>
/// <param name="ResponseSamples">Samples averaged in the response maps.</param>
/// <param name="BurnInTau">Minimum burn-in of the final HMC runs in units of the measured tau_int (<see cref="TauBasedBurnIn"/>).</param>
/// <param name="NisBatches">Independent batches of the NIS reliability diagnostics (<see cref="Boltzmann.Estimators.NisReliability"/>).</param>
public sealed record NeuralRgEvaluateParameters(
    int NisSamples,
    int Chains,
    double StepSize,
    int LeapfrogSteps,
    int TrajectoriesPerSnapshot,
    int BurnIn,
    int Trajectories,
    int? InterpretSize,
    int MiSamples,
    int ResponseSamples,
    double BurnInTau = TauBasedBurnIn.DefaultMultiple,
    int NisBatches = Boltzmann.Estimators.NisReliability.DefaultBatches);
