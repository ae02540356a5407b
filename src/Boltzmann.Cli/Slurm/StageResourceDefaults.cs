using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli.Slurm;

/// <summary>
/// What a stage asks SLURM for when its pipeline file gives no <c>resources</c>: by phase, and one GPU for the tensor
/// stages (training and evaluation of learned samplers) when the run uses <c>--device cuda</c>. Monte Carlo and the
/// estimators use both CPUs of a chain pair; training runs one libtorch thread (BOLTZMANN_TORCH_THREADS) plus a data
/// thread; figures are light.
/// </summary>
public static class StageResourceDefaults
{
    public static StageResources For(IStageKind kind, string device)
    {
        var byPhase = kind.Phase switch
        {
            StagePhase.Generate => new StageResources(Cpus: 2, Memory: "2G", Time: "04:00:00"),
            StagePhase.Train => new StageResources(Cpus: 2, Memory: "4G", Time: "24:00:00"),
            StagePhase.Evaluate => new StageResources(Cpus: 2, Memory: "4G", Time: "04:00:00"),
            _ => new StageResources(Cpus: 1, Memory: "2G", Time: "01:00:00"),
        };
        return byPhase with { Gpus = device == "cuda" && IsTensor(kind) ? 1 : 0 };
    }

    /// <summary>A stage kind that runs libtorch: its project builds on Boltzmann.Learning, and it is not a figure stage.</summary>
    public static bool IsTensor(IStageKind kind) =>
        kind.Phase is StagePhase.Train or StagePhase.Evaluate &&
        kind.GetType().Assembly.GetReferencedAssemblies().Any(a => a.Name is "Boltzmann.Learning" or "TorchSharp");

    /// <summary>The resources a stage's job requests: the pipeline file's values over the kind's defaults, then --time-limit.</summary>
    public static StageResources Resolve(ResolvedStage stage, SlurmSettings settings)
    {
        var resources = (stage.Resources ?? new StageResources()).Over(For(stage.Kind, settings.Device));
        return settings.TimeLimit is { } t ? resources with { Time = t } : resources;
    }
}
