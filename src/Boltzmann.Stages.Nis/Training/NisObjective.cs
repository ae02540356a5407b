namespace Boltzmann.Stages.Nis.Training;

/// <summary>
/// How a lattice flow is trained (Nicoli 2024 talk, "Reverse-KL Div." vs "Forward-KL Div."): reverse KL by
/// self-sampling with the total (reparametrisation) gradient, reverse KL with the path gradient (Vaitl et al. 2022),
/// or forward KL (maximum likelihood) on HMC configurations.
/// </summary>
public enum NisObjective { Reverse, Path, Forward }

public static class NisObjectives
{
    public static readonly string[] Names = ["reverse", "path", "forward"];

    public static NisObjective Parse(string name) => name switch
    {
        "reverse" => NisObjective.Reverse,
        "path" => NisObjective.Path,
        "forward" => NisObjective.Forward,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"objective must be one of {string.Join(", ", Names)}"),
    };

    public static string Name(this NisObjective o) => Names[(int)o];
}
