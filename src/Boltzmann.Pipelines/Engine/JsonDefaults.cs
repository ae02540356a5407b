using System.Text.Json;
using System.Text.Json.Serialization;

namespace Boltzmann.Pipelines.Engine;

public static class JsonDefaults
{
    /// <summary>Indented snake_case JSON for human-readable outputs; NaN/Infinity allowed as literals.</summary>
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
