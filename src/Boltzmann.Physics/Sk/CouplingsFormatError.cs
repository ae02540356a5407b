namespace Boltzmann.Physics.Sk;

/// <summary>
/// One problem found while reading a couplings or fields file. <paramref name="Line"/> is the 1-based line
/// number in the file and <paramref name="Column"/> the 1-based field (value) position within that line;
/// either is null when the problem is not tied to one place (e.g. an empty file or a wrong count).
/// </summary>
public sealed record CouplingsFormatError(string Source, int? Line, int? Column, string Message)
{
    public override string ToString()
    {
        if (Line is null) return $"{Source}: {Message}";
        if (Column is null) return $"{Source}, line {Line}: {Message}";
        return $"{Source}, line {Line}, column {Column}: {Message}";
    }
}
