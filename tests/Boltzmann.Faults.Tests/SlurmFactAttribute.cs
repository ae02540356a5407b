using Boltzmann.Cli.Slurm;

namespace Boltzmann.Faults.Tests;

/// <summary>
/// A test that needs a running SLURM cluster (sbatch, squeue, scancel on PATH). Skipped, saying why, only when sbatch is
/// not on PATH; with BOLTZMANN_REQUIRE_SLURM=1 (set by .ci/run, which brings up a single-node cluster) it always runs,
/// so a missing SLURM fails instead of skipping.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public const string RequireVariable = "BOLTZMANN_REQUIRE_SLURM";

    public SlurmFactAttribute()
    {
        if (!SlurmCommands.Available() && Environment.GetEnvironmentVariable(RequireVariable) != "1")
            Skip = $"no sbatch on PATH: these tests need a SLURM cluster (bash .ci/slurm-up.sh brings up a single-node one; {RequireVariable}=1 makes its absence a failure)";
    }
}
