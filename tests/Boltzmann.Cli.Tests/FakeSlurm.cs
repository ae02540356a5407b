using Boltzmann.Cli.Slurm;

namespace Boltzmann.Cli.Tests;

/// <summary>
/// An <see cref="ISlurmClient"/> that records submissions and answers queries from a state table the test sets, so
/// the executor's submission order, dependencies and failure handling are checked without a cluster.
/// </summary>
public sealed class FakeSlurm : ISlurmClient
{
    public List<IReadOnlyList<string>> Submitted { get; } = [];
    public List<string> Cancelled { get; } = [];

    /// <summary>Job id -> (state, reason); a submitted job starts PENDING.</summary>
    public Dictionary<string, (string State, string Reason)> States { get; } = new(StringComparer.Ordinal);

    /// <summary>Called before every query, e.g. to let the scripted "cluster" advance.</summary>
    public Action<FakeSlurm>? OnQuery { get; set; }

    public string Submit(IReadOnlyList<string> sbatchArguments)
    {
        Submitted.Add(sbatchArguments);
        var id = (100 + Submitted.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        States[id] = (SlurmJobState.Pending, "None");
        return id;
    }

    public IReadOnlyList<SlurmTaskState> Query(IReadOnlyCollection<string> jobIds)
    {
        OnQuery?.Invoke(this);
        return [.. jobIds.Select(id => States.TryGetValue(id, out var s)
            ? new SlurmTaskState(id, null, s.State, s.Reason is "None" ? "" : s.Reason)
            : new SlurmTaskState(id, null, SlurmJobState.Unknown, ""))];
    }

    public void Cancel(IReadOnlyCollection<string> jobIds)
    {
        foreach (var id in jobIds)
        {
            Cancelled.Add(id);
            if (States.TryGetValue(id, out var s) && s.State is SlurmJobState.Pending or SlurmJobState.Running)
                States[id] = (SlurmJobState.Cancelled, s.Reason);
        }
    }

    /// <summary>The value of an sbatch option (--name=value) of the n-th submission.</summary>
    public string? Option(int submission, string name) =>
        Submitted[submission].FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
}
