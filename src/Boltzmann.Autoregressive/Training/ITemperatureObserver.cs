namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// Receives the network at the end of each temperature of an annealing run (to evaluate it there). Results must be
/// persisted by the observer if the run is to survive a kill: after a resume, <see cref="VariationalAnnealing"/> asks
/// <see cref="HasResult"/> and re-evaluates only the temperature whose trained state the restored checkpoint holds.
/// </summary>
public interface ITemperatureObserver
{
    /// <summary>Whether the result of temperature <paramref name="index"/> is already stored.</summary>
    bool HasResult(int index);

    /// <summary>Called once training at temperature <paramref name="index"/> (inverse temperature <paramref name="beta"/>)
    /// is complete; the model is set to that beta and must not be modified.</summary>
    void OnTemperatureCompleted(int index, double beta, AutoregressiveModel model);
}
