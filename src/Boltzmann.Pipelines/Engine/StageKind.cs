using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Boltzmann.Pipelines.Config;

namespace Boltzmann.Pipelines.Engine;

/// <summary>Typed base for stage kinds: parameters are an immutable record <typeparamref name="TParams"/>.</summary>
public abstract class StageKind<TParams> : IStageKind where TParams : class
{
    private static readonly JsonSerializerOptions CanonicalOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public abstract string Kind { get; }
    public abstract int Version { get; }
    public abstract StagePhase Phase { get; }
    public abstract string Description { get; }
    public virtual IReadOnlyList<UpstreamSlot> Upstream => [];

    protected abstract TParams Parse(ParameterReader reader);

    protected virtual void Validate(TParams parameters, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader reader) { }

    protected abstract Task RunAsync(StageContext context, TParams parameters);

    object IStageKind.Parse(ParameterReader reader) => Parse(reader);

    void IStageKind.Validate(object parameters, IReadOnlyDictionary<string, ResolvedStage> upstream, ParameterReader reader)
        => Validate((TParams)parameters, upstream, reader);

    public JsonNode Canonical(object parameters) =>
        JsonSerializer.SerializeToNode((TParams)parameters, CanonicalOptions) ?? new JsonObject();

    Task IStageKind.RunAsync(StageContext context, object parameters) => RunAsync(context, (TParams)parameters);

    /// <summary>The typed parameters of an upstream stage, for cross-stage validation and for reading its outputs.</summary>
    protected static TUp UpstreamParameters<TUp>(ResolvedStage stage) where TUp : class => (TUp)stage.Parameters;
}
