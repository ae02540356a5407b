namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Size profiles: "smoke" (seconds; tests and CI), "default" (minutes on a 2-core laptop; what the
/// README's main command runs) and "paper" (the papers' sizes, for a GPU machine). A stage's "params"
/// are the default profile; "profiles": { "smoke": {...}, "paper": {...} } override keys per profile.
/// </summary>
public static class Profiles
{
    public const string Smoke = "smoke";
    public const string Default = "default";
    public const string Paper = "paper";

    public static readonly IReadOnlyList<string> All = [Smoke, Default, Paper];
}
