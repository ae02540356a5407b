using Boltzmann.Flows.Lattice;
using Boltzmann.Pipelines.Config;
using Boltzmann.Stages.Nis.Training;

namespace Boltzmann.Stages.Nis.Gradients;

/// <summary>
/// Parameters of <see cref="Phi4NisGradientsStage"/>: square L x L lattices, one (kappa, lambda), the flow
/// architecture, and an equal training budget (steps, batch, learning rate) for the path and the total gradient.
/// </summary>
public sealed record Phi4NisGradientsParameters(int[] Sizes, double Kappa, double Lambda, NisFlowArchitecture Flow, long Steps, int Batch, double LearningRate, int Samples)
{
    public static Phi4NisGradientsParameters Read(ParameterReader r)
    {
        var sizes = r.OptionalDoubleList("sizes", min: 2) ?? [];
        if (sizes.Length == 0) r.Error("sizes", "give at least one lattice size L (the lattices are L x L)");
        if (sizes.Any(s => s != Math.Floor(s))) r.Error("sizes", "lattice sizes must be integers");
        double kappa = r.Double("kappa", min: 0);
        double lambda = r.Double("lambda", min: 0);
        var flow = NisFlowArchitecture.Read(r);
        foreach (double s in sizes)
            if (LatticeShape.Problem((long)s, (long)s, flow.Kernel) is string why) r.Error("sizes", $"the lattice flow cannot take L = {s}: {why}");
        return new Phi4NisGradientsParameters(sizes.Select(s => (int)s).ToArray(), kappa, lambda, flow,
            r.Long("steps", 1000, min: 1), r.Int("batch", 256, min: 2), r.Double("learning_rate", 1e-3, greaterThan: 0), r.Int("samples", 20000, min: 64));
    }
}
