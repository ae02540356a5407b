namespace Boltzmann.Learning.Training;

/// <summary>
/// The optimizer of a <see cref="Trainer"/> run. Adam (Kingma &amp; Ba 2015) is what every reproduced paper trains
/// with (Hartnett &amp; Mohseni 2020, Appendix A.1; Biazzo 2023); plain SGD (no momentum: TorchSharp creates SGD's
/// momentum buffers lazily inside the step, where the step's dispose scope would free them) is for comparisons.
/// </summary>
public enum OptimizerKind
{
    Adam,
    Sgd,
}
