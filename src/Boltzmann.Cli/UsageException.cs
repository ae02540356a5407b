namespace Boltzmann.Cli;

/// <summary>A command line that parsed but cannot be carried out as asked (e.g. an unknown pipeline): message, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
