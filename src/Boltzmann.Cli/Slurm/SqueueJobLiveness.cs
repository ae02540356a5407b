using Boltzmann.Data.Cache;

namespace Boltzmann.Cli.Slurm;

/// <summary>
/// <see cref="IJobLivenessProbe"/> over <c>squeue -h -j ID -o %T</c>: a job squeue lists in an end state, or no longer
/// knows (it ended more than MinJobAge ago), is dead; any other listed state (pending, running, completing, suspended,
/// stopped, requeued, ...) may still have processes and is alive. When squeue cannot be run or fails for another reason
/// (controller unreachable), the answer is <see cref="JobLiveness.Unknown"/>, so the holder counts as alive as before.
/// </summary>
public sealed class SqueueJobLiveness(string tool = "squeue") : IJobLivenessProbe
{
    /// <summary>SLURM's end states (squeue %T): the job's processes have been ended.</summary>
    private static readonly HashSet<string> EndStates = new(StringComparer.Ordinal)
    {
        "BOOT_FAIL", "CANCELLED", "COMPLETED", "DEADLINE", "FAILED", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "TIMEOUT",
    };

    public JobLiveness Probe(string jobId)
    {
        try
        {
            var (code, stdout, stderr) = SlurmCommands.Run(tool, ["-h", "-j", jobId, "-o", "%T"]);
            return Interpret(code, stdout, stderr);
        }
        catch (SlurmException) { return JobLiveness.Unknown; }
    }

    /// <summary>What one squeue answer says (exit code and output).</summary>
    public static JobLiveness Interpret(int exitCode, string stdout, string stderr)
    {
        if (exitCode != 0)
            return stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? JobLiveness.Dead : JobLiveness.Unknown;
        var state = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return state is null || EndStates.Contains(state) ? JobLiveness.Dead : JobLiveness.Alive;
    }
}
