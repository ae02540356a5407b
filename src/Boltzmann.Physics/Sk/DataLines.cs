namespace Boltzmann.Physics.Sk;

/// <summary>One non-empty, non-comment line of a numeric text file, split into fields.</summary>
internal readonly record struct DataLine(int LineNumber, string[] Tokens);

/// <summary>
/// Splits the numeric text files of <see cref="CouplingsFile"/> into fields. Rules (shared by all formats, so
/// they are stated once): everything from '#' to the end of a line is a comment; blank lines are skipped; a line
/// containing a comma is split on commas (each field trimmed, so "1, 2" works; an empty field is kept as "" and
/// reported by the caller), otherwise on runs of spaces and tabs.
/// </summary>
internal static class DataLines
{
    public static List<DataLine> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<DataLine>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (line.Length == 0) continue;
            string[] tokens = line.Contains(',')
                ? Array.ConvertAll(line.Split(','), t => t.Trim())
                : line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            result.Add(new DataLine(i + 1, tokens));
        }
        return result;
    }
}
