using System.CommandLine;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

/// <summary>The options and arguments several commands share, so each is spelled, validated and completed once.</summary>
internal static class CliOptions
{
    /// <summary>--profile with the default profile: values outside <see cref="Profiles.All"/> are usage errors (exit 2).</summary>
    public static Option<string> Profile() => new Option<string>("--profile")
    {
        Description = $"pipeline profile: {string.Join(", ", Profiles.All)}",
        HelpName = "P",
        DefaultValueFactory = _ => Profiles.Default,
    }.AcceptOnlyFromAmong([.. Profiles.All]);

    /// <summary>--profile without a default, for commands that otherwise cover every profile.</summary>
    public static Option<string?> OptionalProfile(string description) => new Option<string?>("--profile")
    {
        Description = description,
        HelpName = "P",
    }.AcceptOnlyFromAmong([.. Profiles.All]);

    public static Option<string> Device() => new Option<string>("--device")
    {
        Description = "torch device for the learning stages",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnlyFromAmong("auto", "cpu", "cuda");

    /// <summary>A pipeline name (pipelines/NAME.json), with the repository's pipelines and "all" as tab completions.</summary>
    public static Argument<string> Pipeline(string description)
    {
        var argument = new Argument<string>("pipeline") { Description = description, HelpName = "pipeline" };
        argument.CompletionSources.Add(_ => KnownPipelines());
        return argument;
    }

    private static IEnumerable<string> KnownPipelines()
    {
        try
        {
            return [.. RepoLayout.Discover().PipelineNames(), "all"];
        }
        catch (UsageException)
        {
            // Completing outside a repository: nothing to offer, and completion must never fail the shell.
            return [];
        }
    }
}
