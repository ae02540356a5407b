using System.Globalization;
using Boltzmann.Learning.Training;

namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// The online producer's state (Hartnett &amp; Mohseni 2020, Sec. 6: fresh PT samples streamed during training) as a
/// job state of the <see cref="Trainer"/>: each checkpoint of c completed steps stores the producer state after the
/// minibatch of step c − 1, i.e. what a run resumed from that checkpoint must continue from. Saved and restored with
/// the trainer's own files, so a resume never pairs a checkpoint with another step's producer.
/// </summary>
internal sealed class OnlineProducerCheckpoint : ICheckpointState
{
    private long _restoredAt = -1;

    public string Name => "online-producer";

    /// <summary>The last minibatch the training closure consumed (set every step).</summary>
    public OnlineMinibatch? Latest { get; set; }

    /// <summary>The producer state restored by the trainer's resume (null for a fresh start).</summary>
    public byte[]? Restored { get; private set; }

    public byte[] Save(long completedSteps)
    {
        if (Latest is null && Restored is not null && completedSteps == _restoredAt) return Restored;
        if (Latest is null || Latest.Index != completedSteps - 1)
            throw new InvalidOperationException(
                $"Online training: after {completedSteps} steps the last consumed minibatch is {Latest?.Index.ToString(CultureInfo.InvariantCulture) ?? "none"}.");
        return Latest.ProducerState;
    }

    public void Load(byte[] state, long completedSteps)
    {
        if (state.Length == 0) throw new InvalidDataException("the online producer state is empty");
        Restored = state;
        _restoredAt = completedSteps;
    }
}
