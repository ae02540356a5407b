namespace Boltzmann.Stages.Sk.Pt;

/// <summary>
/// The scalar columns of an sk-pt dataset a reader asks for (<see cref="PtDataset.ReadAsync"/>). Reading only
/// what is needed skips the other column chunks on disk.
/// </summary>
[Flags]
public enum PtColumns
{
    None = 0,
    Instance = 1 << 0,
    Chain = 1 << 1,
    Slot = 1 << 2,
    Walker = 1 << 3,
    Beta = 1 << 4,
    Temperature = 1 << 5,
    Sweep = 1 << 6,
    Energy = 1 << 7,
    Magnetization = 1 << 8,
    All = Instance | Chain | Slot | Walker | Beta | Temperature | Sweep | Energy | Magnetization,
}
