namespace Boltzmann.Physics.Sk;

/// <summary>
/// A couplings (or fields) file could not be turned into an <see cref="SkInstance"/>. All problems found are
/// collected before throwing, so one run reports everything that needs fixing; <see cref="Exception.Message"/>
/// lists the first <see cref="MaxListedInMessage"/> of them, <see cref="Errors"/> holds all.
/// </summary>
public sealed class CouplingsFormatException : Exception
{
    /// <summary>How many errors the message spells out before summarising the rest.</summary>
    public const int MaxListedInMessage = 20;

    public IReadOnlyList<CouplingsFormatError> Errors { get; }

    public CouplingsFormatException(IReadOnlyList<CouplingsFormatError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    private static string BuildMessage(IReadOnlyList<CouplingsFormatError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) throw new ArgumentException("A format exception needs at least one error.", nameof(errors));
        var sb = new System.Text.StringBuilder();
        sb.Append("Invalid couplings input: ").Append(errors.Count).Append(errors.Count == 1 ? " problem" : " problems").Append(':');
        for (int i = 0; i < errors.Count && i < MaxListedInMessage; i++)
            sb.Append('\n').Append("  - ").Append(errors[i]);
        if (errors.Count > MaxListedInMessage)
            sb.Append('\n').Append("  ... and ").Append(errors.Count - MaxListedInMessage).Append(" more (see Errors).");
        return sb.ToString();
    }
}
