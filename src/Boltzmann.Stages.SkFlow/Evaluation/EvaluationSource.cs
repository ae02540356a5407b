namespace Boltzmann.Stages.SkFlow.Evaluation;

/// <summary>
/// Numeric codes of the "source" column of the evaluation tables (tables hold numbers only):
/// exact enumeration, parallel tempering, and the flows by training objective.
/// </summary>
public static class EvaluationSource
{
    public const int Exact = 0;
    public const int ParallelTempering = 1;
    public const int Forward = 2;
    public const int Reverse = 3;
    public const int Online = 4;

    public static int Of(FlowObjective objective) => objective switch
    {
        FlowObjective.Forward => Forward,
        FlowObjective.Reverse => Reverse,
        FlowObjective.Online => Online,
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, "unknown objective"),
    };

    public static string Name(int source) => source switch
    {
        Exact => "exact",
        ParallelTempering => "PT",
        Forward => "forward",
        Reverse => "reverse",
        Online => "online",
        _ => $"source {source}",
    };

    /// <summary>Codes of the "ref_method" column: where the reference ln Z_s came from.</summary>
    public const int ReferenceNone = -1;
    public const int ReferenceExact = 0;
    public const int ReferenceReplicaSymmetric = 1;
    public const int ReferenceThermodynamicIntegration = 2;
}
