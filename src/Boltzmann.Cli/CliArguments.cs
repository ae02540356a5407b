namespace Boltzmann.Cli;

/// <summary>
/// Minimal, strict argument parsing: positional words, "--name value", "--name=value" and flags.
/// Unknown options are errors (exit code 2), never ignored.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static CliArguments Parse(IEnumerable<string> args, IReadOnlySet<string> flagNames, IReadOnlySet<string> optionNames)
    {
        var result = new CliArguments();
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) { result.Positional.Add(a); continue; }
            var name = a[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            if (flagNames.Contains(name))
            {
                if (value is not null) throw new UsageException($"option --{name} takes no value");
                result._flags.Add(name);
            }
            else if (optionNames.Contains(name))
            {
                if (value is null)
                {
                    if (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal))
                        throw new UsageException($"option --{name} needs a value");
                    value = list[++i];
                }
                if (!result._options.TryGetValue(name, out var values)) result._options[name] = values = [];
                values.Add(value);
            }
            else
            {
                var known = flagNames.Concat(optionNames).OrderBy(n => n).Select(n => "--" + n);
                throw new UsageException($"unknown option --{name}; allowed: {string.Join(", ", known)}");
            }
        }
        return result;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Options(string name) => _options.TryGetValue(name, out var v) ? v : [];
}

/// <summary>Bad command line: message printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
