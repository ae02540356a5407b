namespace Boltzmann.Learning.Training;

/// <summary>
/// State of a training job outside the model, the optimizer and the registered random sources (e.g. the online
/// parallel-tempering producer of Hartnett &amp; Mohseni 2020, Sec. 6) that a resumed run needs to reproduce an
/// uninterrupted one bit for bit. Registered with <see cref="Trainer.RegisterState"/>, it is saved into every
/// checkpoint (hashed and written atomically with the rest) and restored by <see cref="Trainer.Resume()"/> from the
/// same checkpoint, so the two can never disagree.
/// </summary>
public interface ICheckpointState
{
    /// <summary>Unique among the trainer's registered states, generators and streams; names the checkpoint file.</summary>
    string Name { get; }

    /// <summary>The state after <paramref name="completedSteps"/> completed steps (called while writing a checkpoint).</summary>
    byte[] Save(long completedSteps);

    /// <summary>
    /// Restores what <see cref="Save"/> returned at <paramref name="completedSteps"/>. Throws
    /// <see cref="InvalidDataException"/> if the bytes are unusable (the checkpoint is then treated as corrupt).
    /// </summary>
    void Load(byte[] state, long completedSteps);
}
