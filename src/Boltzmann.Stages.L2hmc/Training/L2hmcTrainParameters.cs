using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.L2hmc.Training;

/// <summary>
/// Parameters of <see cref="L2hmcTrainStage"/>: an L x L lattice (even L: checkerboard masks), the betas of the
/// annealing eras (ascending; one era of <see cref="StepsPerEra"/> steps each, the chains carried over), the
/// architecture (N_LF layers, initial eps, conv width and depth), the batch of persistent chains and Adam with a
/// linear warm-up. <see cref="RetrainSteps"/>: a model snapshot after that many steps of every era after the first
/// (the "short retraining" of the transfer study). <see cref="PlaquetteWeight"/> = 0 switches the plaquette term off.
/// </summary>
public sealed record L2hmcTrainParameters(int L, double[] Betas, long StepsPerEra, long RetrainSteps, int NLf, double Eps, int Width, int HiddenLayers,
    int Chains, double LearningRate, long WarmupSteps, string Dtype, long CheckpointInterval, long LogInterval, double PlaquetteWeight, double InitGain)
{
    public static readonly string[] Dtypes = ["float64", "float32"];

    public static L2hmcTrainParameters Read(ParameterReader r)
    {
        int l = r.Int("l", min: 2, max: 4096);
        if (l % 2 != 0) r.Error("l", $"value {l} is not allowed; the checkerboard masks need an even lattice size >= 2");
        var betas = r.OptionalDoubleList("betas", greaterThan: 0);
        if (betas is null && !r.Has("betas")) r.Error("betas", "required key is missing; give the ascending list of betas of the training eras");
        if (betas is not null)
            for (int i = 1; i < betas.Length; i++)
                if (!(betas[i] > betas[i - 1])) r.Error($"betas[{i}]", $"value {betas[i]} is not allowed; the eras anneal beta upward, so the list must be strictly ascending");
        long stepsPerEra = r.Long("steps_per_era", 200, min: 1);
        long retrain = r.Long("retrain_steps", Math.Max(1, stepsPerEra / 10), min: 1);
        if (retrain >= stepsPerEra) r.Error("retrain_steps", $"value {retrain} is not allowed; must be < steps_per_era = {stepsPerEra}");
        int nlf = r.Int("n_lf", 4, min: 1, max: 1000);
        double eps = r.Double("eps", 0.2, greaterThan: 0);
        int width = r.Int("width", 8, min: 1, max: 4096);
        int hidden = r.Int("hidden_layers", 2, min: 1, max: 16);
        int chains = r.Int("chains", 64, min: 1, max: 1 << 20);
        double lr = r.Double("learning_rate", 1e-3, greaterThan: 0);
        long warmup = r.Long("warmup_steps", 50, min: 0);
        string dtype = r.String("dtype", "float64", Dtypes);
        long checkpoint = r.Long("checkpoint_interval", 200, min: 1);
        long log = r.Long("log_interval", 10, min: 1);
        double plaquette = r.Double("plaquette_weight", 0, min: 0);
        double gain = r.Double("init_gain", 0.5, min: 0);
        return new L2hmcTrainParameters(l, betas ?? [1], stepsPerEra, retrain, nlf, eps, width, hidden, chains, lr, warmup, dtype, checkpoint, log, plaquette, gain);
    }

    public long TotalSteps => StepsPerEra * Betas.Length;
}
