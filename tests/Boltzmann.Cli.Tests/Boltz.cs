namespace Boltzmann.Cli.Tests;

/// <summary>Runs the built boltz.dll in a throwaway repository layout and captures exit code and output.</summary>
public sealed class Boltz() : ScratchRepository("boltz-cli-")
{
    public (int Code, string Out, string Err) Run(params string[] args) => RunToEnd(StartInfo(args));
}
