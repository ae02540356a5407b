namespace Boltzmann.Pipelines.Config;

/// <summary>One problem in a pipeline file: where (JSON path), what value, and what is allowed.</summary>
public sealed record ConfigError(string File, string Path, string Message)
{
    public override string ToString() => $"{File}: {Path}: {Message}";
}

/// <summary>Thrown when a pipeline file is invalid; carries every error found, not just the first.</summary>
public sealed class PipelineConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(FormatMessage(errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    private static string FormatMessage(IReadOnlyList<ConfigError> errors) =>
        $"{errors.Count} error(s) in pipeline configuration:" + Environment.NewLine +
        string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
