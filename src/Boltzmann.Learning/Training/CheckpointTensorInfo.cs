namespace Boltzmann.Learning.Training;

/// <summary>Name, shape and dtype of one model parameter or buffer, recorded in a checkpoint to detect a different model.</summary>
public sealed record CheckpointTensorInfo(string Name, long[] Shape, string DType)
{
    public string Describe() => $"{Name} [{string.Join(", ", Shape)}] {DType}";
}
