namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// A stage's input is invalid (a couplings file, a corrupt upstream dataset): the message names what
/// and where. The CLI exits with code 2 and nothing is committed to the cache.
/// </summary>
public sealed class StageInputException(string message, Exception? inner = null) : Exception(message, inner);
