using System.Globalization;
using Boltzmann.IO;

namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// The online producer's state files beside the trainer's checkpoints: <c>producer-STEPS.bin</c> holds the producer
/// state after the minibatch of step STEPS−1, i.e. what a run resumed from the trainer checkpoint of STEPS completed
/// steps must continue from. Written atomically after the trainer's checkpoint, so a kill in between leaves a newest
/// checkpoint without a state file; resuming then falls back to the previous checkpoint that has one.
/// </summary>
internal sealed class OnlineProducerStates(string directory, int keep = 3)
{
    public string Directory { get; } = directory;

    public string PathOf(long completedSteps) =>
        Path.Combine(Directory, $"producer-{completedSteps.ToString("D10", CultureInfo.InvariantCulture)}.bin");

    public bool Has(long completedSteps) => File.Exists(PathOf(completedSteps));

    public byte[] Read(long completedSteps) => File.ReadAllBytes(PathOf(completedSteps));

    public void Write(long completedSteps, byte[] state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteAllBytes(PathOf(completedSteps), state);
        var old = System.IO.Directory.GetFiles(Directory, "producer-*.bin").Order(StringComparer.Ordinal).ToList();
        for (int k = 0; k < old.Count - keep; k++) File.Delete(old[k]);
    }
}
