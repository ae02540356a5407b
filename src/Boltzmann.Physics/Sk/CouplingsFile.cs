using System.Globalization;
using System.Text;

namespace Boltzmann.Physics.Sk;

/// <summary>
/// Reads and writes SK instances as plain text, so instances from other codes (or published benchmark sets) can
/// be loaded and ours can be inspected and shared.
/// </summary>
/// <remarks>
/// <para><b>Common rules.</b> UTF-8 text; '#' starts a comment that runs to the end of the line; blank lines are
/// ignored; fields are separated by commas (when the line has one) or by spaces/tabs. Numbers use the invariant
/// culture ('.' decimal point, exponents allowed); NaN and infinities are rejected.</para>
/// <para><b>Matrix format</b> (<see cref="CouplingsFormat.Matrix"/>): N lines of N numbers, row i holding J_i0 ..
/// J_i,N-1. The matrix must be square, symmetric to <see cref="Tolerance"/> (the upper triangle J_ij, i &lt; j, is
/// the value kept) and have a zero diagonal (|J_ii| &lt;= <see cref="Tolerance"/>, stored as exactly 0). No header;
/// the file holds couplings only.</para>
/// <para><b>Triplet format</b> (<see cref="CouplingsFormat.Triplets"/>): lines <c>i,j,J</c> with 0-based integer
/// spin indices. A first data line in which no field is a number is a header and skipped. Each unordered pair may
/// appear once or several times (e.g. in both orders) if all its values agree to <see cref="Tolerance"/>; the first
/// value is kept. Pairs not listed are zero. A diagonal triplet i,i must carry 0. N is, in this order: the
/// explicit <c>n</c> argument, the number of values in the fields file, or 1 + the largest index present. (The
/// writer lists every pair i &lt; j, zeros included, so N is always recovered.) When N comes from the largest index,
/// every index 0 .. N-1 must appear on some line: a spin with no couplings is reported as a likely 1-based file.</para>
/// <para><b>Fields</b> (one convention only): an optional separate file holding the N values h_0 .. h_{N-1}, in
/// order, in any arrangement of lines and separators (the writer puts one per line). Without it all h_i = 0.</para>
/// <para><b>Auto-detection</b>: see <see cref="DetectFormat"/>.</para>
/// <para>Every problem found is collected and reported together in one <see cref="CouplingsFormatException"/>,
/// each naming the file, line and field position. Writing uses round-trip ("R") formatting in the invariant
/// culture, so Save followed by Load gives back bit-identical couplings and fields.</para>
/// </remarks>
public static class CouplingsFile
{
    /// <summary>Absolute tolerance for symmetry, zero diagonal and agreement of repeated triplets.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>The header line the triplet writer emits.</summary>
    public const string TripletHeader = "i,j,J";

    /// <summary>Reads an instance from a couplings file and an optional fields file.</summary>
    /// <param name="couplingsPath">Matrix or triplet file.</param>
    /// <param name="fieldsPath">Optional file with the N fields h_i.</param>
    /// <param name="format">Layout of the couplings file, or <see cref="CouplingsFormat.Auto"/>.</param>
    /// <param name="n">Optional explicit number of spins (checked against a matrix; defines N for triplets).</param>
    /// <exception cref="CouplingsFormatException">The content is invalid; lists every problem found.</exception>
    public static SkInstance Load(string couplingsPath, string? fieldsPath = null, CouplingsFormat format = CouplingsFormat.Auto, int? n = null)
    {
        ArgumentNullException.ThrowIfNull(couplingsPath);
        string text = File.ReadAllText(couplingsPath);
        string? fieldsText = fieldsPath is null ? null : File.ReadAllText(fieldsPath);
        return Parse(text, couplingsPath, format, fieldsText, fieldsPath, n);
    }

    /// <summary>
    /// Parses couplings (and optional fields) from text. <paramref name="source"/> and
    /// <paramref name="fieldsSource"/> are the names used in error messages (normally the file paths).
    /// </summary>
    public static SkInstance Parse(string text, string source, CouplingsFormat format = CouplingsFormat.Auto,
        string? fieldsText = null, string? fieldsSource = null, int? n = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        if (n is <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "N must be positive.");
        if (!Enum.IsDefined(format)) throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown couplings format.");
        fieldsSource ??= "fields";

        var errors = new List<CouplingsFormatError>();
        var lines = DataLines.Read(text);
        double[]? fields = null;
        if (fieldsText is not null) fields = ParseFields(fieldsText, fieldsSource, errors);

        if (lines.Count == 0)
        {
            errors.Insert(0, new CouplingsFormatError(source, null, null, "empty file: no data lines (blank lines and '#' comments are ignored)."));
            throw new CouplingsFormatException(errors);
        }

        string? detection = null;
        if (format == CouplingsFormat.Auto)
        {
            var detected = Detect(lines, source, out detection);
            if (detected is null)
            {
                errors.Insert(0, new CouplingsFormatError(source, null, null, detection));
                throw new CouplingsFormatException(errors);
            }
            format = detected.Value;
        }

        double[]? couplings;
        int size;
        if (format == CouplingsFormat.Matrix)
            couplings = ParseMatrix(lines, source, n, errors, detection, out size);
        else
            couplings = ParseTriplets(lines, source, n, fields?.Length, fieldsSource, errors, out size);

        if (fields is not null && size > 0 && fields.Length != size)
            errors.Add(new CouplingsFormatError(fieldsSource, null, null,
                $"has {fields.Length} field values but the couplings in {source} define N = {size}."));

        if (errors.Count > 0 || couplings is null) throw new CouplingsFormatException(errors);
        return new SkInstance(size, couplings, fields);
    }

    /// <summary>
    /// Decides the layout of a couplings text: (1) if the first data line has no numeric field it is a header,
    /// which only the triplet format allows; (2) if every data line has exactly three fields whose first two are
    /// integers, it is triplets - except when there are exactly three such lines, which a 3 x 3 matrix would look
    /// like too, so that case is refused as ambiguous (add the header <c>i,j,J</c> or pass the format); (3)
    /// otherwise it is a matrix.
    /// </summary>
    /// <exception cref="CouplingsFormatException">Empty or ambiguous text.</exception>
    public static CouplingsFormat DetectFormat(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var lines = DataLines.Read(text);
        if (lines.Count == 0)
            throw new CouplingsFormatException([new CouplingsFormatError(source, null, null, "empty file: no data lines (blank lines and '#' comments are ignored).")]);
        var detected = Detect(lines, source, out string reason);
        if (detected is null) throw new CouplingsFormatException([new CouplingsFormatError(source, null, null, reason)]);
        return detected.Value;
    }

    /// <summary>
    /// Writes the couplings in the given format and, when <paramref name="fieldsPath"/> is given, the fields.
    /// Refuses to drop non-zero fields silently: an instance with any h_i != 0 needs a fields path.
    /// </summary>
    public static void Save(SkInstance instance, string couplingsPath, CouplingsFormat format = CouplingsFormat.Matrix, string? fieldsPath = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(couplingsPath);
        bool hasFields = false;
        foreach (double h in instance.Fields) hasFields |= h != 0;
        if (hasFields && fieldsPath is null)
            throw new ArgumentException("The instance has non-zero fields h_i; pass a fields path so they are not lost.", nameof(fieldsPath));
        string couplingsText = FormatCouplings(instance, format);
        File.WriteAllText(couplingsPath, couplingsText);
        if (fieldsPath is not null) File.WriteAllText(fieldsPath, FormatFields(instance));
    }

    /// <summary>The couplings as text in <paramref name="format"/> (Matrix or Triplets), round-trip exact.</summary>
    public static string FormatCouplings(SkInstance instance, CouplingsFormat format)
    {
        ArgumentNullException.ThrowIfNull(instance);
        int n = instance.N;
        var sb = new StringBuilder();
        switch (format)
        {
            case CouplingsFormat.Matrix:
                sb.Append("# SK couplings J_ij, N = ").Append(n.ToString(CultureInfo.InvariantCulture))
                  .Append(", symmetric matrix, H = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i\n");
                for (int i = 0; i < n; i++)
                {
                    var row = instance.Row(i);
                    for (int j = 0; j < n; j++)
                    {
                        if (j > 0) sb.Append(',');
                        sb.Append(Format(i == j ? 0.0 : row[j]));
                    }
                    sb.Append('\n');
                }
                break;
            case CouplingsFormat.Triplets:
                if (n < 2)
                    throw new ArgumentException("The triplet format infers N from the largest index, so it needs N >= 2; use the matrix format.", nameof(instance));
                sb.Append("# SK couplings J_ij, N = ").Append(n.ToString(CultureInfo.InvariantCulture))
                  .Append(", every pair i<j listed, H = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i\n");
                sb.Append(TripletHeader).Append('\n');
                for (int i = 0; i < n; i++)
                    for (int j = i + 1; j < n; j++)
                        sb.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',')
                          .Append(j.ToString(CultureInfo.InvariantCulture)).Append(',')
                          .Append(Format(instance.J(i, j))).Append('\n');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Choose Matrix or Triplets to write.");
        }
        return sb.ToString();
    }

    /// <summary>The fields h_0 .. h_{N-1}, one per line, round-trip exact.</summary>
    public static string FormatFields(SkInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var sb = new StringBuilder();
        sb.Append("# SK fields h_i, N = ").Append(instance.N.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (double h in instance.Fields) sb.Append(Format(h)).Append('\n');
        return sb.ToString();
    }

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static bool TryParseNumber(string token, out double value) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryParseIndex(string token, out int value) =>
        int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses one value; on failure records an error and returns false.</summary>
    private static bool ReadValue(string token, string source, int line, int column, List<CouplingsFormatError> errors, out double value)
    {
        if (token.Length == 0)
        {
            errors.Add(new CouplingsFormatError(source, line, column, "empty field."));
            value = 0;
            return false;
        }
        if (!TryParseNumber(token, out value))
        {
            errors.Add(new CouplingsFormatError(source, line, column, $"'{token}' is not a number."));
            return false;
        }
        if (!double.IsFinite(value))
        {
            errors.Add(new CouplingsFormatError(source, line, column, $"'{token}' is not finite."));
            return false;
        }
        return true;
    }

    private static CouplingsFormat? Detect(List<DataLine> lines, string source, out string reason)
    {
        var first = lines[0];
        if (Array.TrueForAll(first.Tokens, t => !TryParseNumber(t, out _)))
        {
            reason = $"auto-detected triplets: line {first.LineNumber} is a header";
            return CouplingsFormat.Triplets;
        }
        bool tripletShaped = lines.TrueForAll(l =>
            l.Tokens.Length == 3 && TryParseIndex(l.Tokens[0], out _) && TryParseIndex(l.Tokens[1], out _));
        if (tripletShaped && lines.Count == 3)
        {
            reason = $"cannot tell the format of {source}: its three lines of three numbers could be a 3 x 3 matrix or three i,j,J triplets; "
                   + $"add the header line '{TripletHeader}' for triplets or pass the format explicitly.";
            return null;
        }
        if (tripletShaped)
        {
            reason = "auto-detected triplets: every line is i,j,J with integer indices";
            return CouplingsFormat.Triplets;
        }
        reason = "auto-detected matrix: the lines are not all i,j,J triplets";
        return CouplingsFormat.Matrix;
    }

    private static double[]? ParseMatrix(List<DataLine> lines, string source, int? n, List<CouplingsFormatError> errors, string? detection, out int size)
    {
        int rows = lines.Count;
        size = rows;
        string note = detection is null ? "" : $" ({detection})";
        bool shapeOk = true;
        if (n is int expected && expected != rows)
        {
            errors.Add(new CouplingsFormatError(source, null, null, $"matrix has {rows} rows but N = {expected} was requested{note}."));
            shapeOk = false;
        }
        int firstWidth = lines[0].Tokens.Length;
        if (lines.TrueForAll(l => l.Tokens.Length == firstWidth))
        {
            if (firstWidth > rows)
            {
                errors.Add(new CouplingsFormatError(source, lines[0].LineNumber, rows + 1,
                    $"matrix is {rows} x {firstWidth}, not square: rows have {firstWidth} values but there are only {rows} rows{note}."));
                shapeOk = false;
            }
            else if (firstWidth < rows)
            {
                errors.Add(new CouplingsFormatError(source, lines[firstWidth].LineNumber, null,
                    $"matrix is {rows} x {firstWidth}, not square: each row has {firstWidth} values, so this row ({firstWidth + 1} of {rows}) is one too many{note}."));
                shapeOk = false;
            }
        }
        else
        {
            foreach (var l in lines)
                if (l.Tokens.Length != rows)
                {
                    errors.Add(new CouplingsFormatError(source, l.LineNumber, null,
                        $"row has {l.Tokens.Length} values; a square matrix with {rows} rows needs {rows}{note}."));
                    shapeOk = false;
                }
        }

        var values = new double[rows * rows];
        var valid = new bool[rows * rows];
        for (int i = 0; i < rows; i++)
        {
            var l = lines[i];
            for (int c = 0; c < l.Tokens.Length; c++)
            {
                bool ok = ReadValue(l.Tokens[c], source, l.LineNumber, c + 1, errors, out double v);
                if (ok && c < rows)
                {
                    values[i * rows + c] = v;
                    valid[i * rows + c] = true;
                }
            }
        }
        if (!shapeOk) return null;

        for (int i = 0; i < rows; i++)
        {
            int d = i * rows + i;
            if (valid[d] && Math.Abs(values[d]) > Tolerance)
                errors.Add(new CouplingsFormatError(source, lines[i].LineNumber, i + 1,
                    $"diagonal entry J[{i},{i}] = {Format(values[d])} must be zero."));
            values[d] = 0.0;
        }
        for (int i = 0; i < rows; i++)
            for (int j = i + 1; j < rows; j++)
            {
                int a = i * rows + j, b = j * rows + i;
                if (!valid[a] || !valid[b]) continue;
                if (Math.Abs(values[a] - values[b]) > Tolerance)
                    errors.Add(new CouplingsFormatError(source, lines[i].LineNumber, j + 1,
                        $"not symmetric: J[{i},{j}] = {Format(values[a])} (line {lines[i].LineNumber}, column {j + 1}) but "
                        + $"J[{j},{i}] = {Format(values[b])} (line {lines[j].LineNumber}, column {i + 1}); they differ by more than {Tolerance:R}."));
                values[b] = values[a];
            }
        return values;
    }

    private static double[]? ParseTriplets(List<DataLine> lines, string source, int? n, int? fieldsCount, string fieldsSource,
        List<CouplingsFormatError> errors, out int size)
    {
        int start = 0;
        if (Array.TrueForAll(lines[0].Tokens, t => !TryParseNumber(t, out _))) start = 1; // header
        if (start == lines.Count)
        {
            errors.Add(new CouplingsFormatError(source, null, null, $"empty file: only the header (line {lines[0].LineNumber}), no i,j,J lines."));
            size = 0;
            return null;
        }

        // Unordered pair (min, max) -> value and where it was first given.
        var pairs = new Dictionary<(int, int), (double Value, int Line)>();
        var indexUses = new List<(int Index, int Line, int Column)>();
        int maxIndex = -1;
        for (int k = start; k < lines.Count; k++)
        {
            var l = lines[k];
            if (l.Tokens.Length != 3)
            {
                errors.Add(new CouplingsFormatError(source, l.LineNumber, null, $"expected 3 fields i,j,J, got {l.Tokens.Length}."));
                continue;
            }
            bool ok = true;
            var idx = new int[2];
            for (int c = 0; c < 2; c++)
            {
                string t = l.Tokens[c];
                if (!TryParseIndex(t, out idx[c]))
                {
                    errors.Add(new CouplingsFormatError(source, l.LineNumber, c + 1, $"index '{t}' is not an integer."));
                    ok = false;
                }
                else if (idx[c] < 0)
                {
                    errors.Add(new CouplingsFormatError(source, l.LineNumber, c + 1, $"index {idx[c]} is out of range: indices are 0-based and non-negative."));
                    ok = false;
                }
            }
            ok &= ReadValue(l.Tokens[2], source, l.LineNumber, 3, errors, out double value);
            if (!ok) continue;
            int i = idx[0], j = idx[1];
            indexUses.Add((i, l.LineNumber, 1));
            indexUses.Add((j, l.LineNumber, 2));
            maxIndex = Math.Max(maxIndex, Math.Max(i, j));
            if (i == j)
            {
                if (Math.Abs(value) > Tolerance)
                    errors.Add(new CouplingsFormatError(source, l.LineNumber, 3, $"diagonal coupling J[{i},{i}] = {Format(value)} must be zero."));
                continue;
            }
            var key = (Math.Min(i, j), Math.Max(i, j));
            if (pairs.TryGetValue(key, out var previous))
            {
                if (Math.Abs(previous.Value - value) > Tolerance)
                    errors.Add(new CouplingsFormatError(source, l.LineNumber, 3,
                        $"conflicting duplicate: pair ({key.Item1},{key.Item2}) is {Format(value)} here but {Format(previous.Value)} on line {previous.Line}."));
            }
            else
            {
                pairs[key] = (value, l.LineNumber);
            }
        }

        string origin;
        if (n is int explicitN) { size = explicitN; origin = "the requested N"; }
        else if (fieldsCount is int fc && fc > 0) { size = fc; origin = $"the {fc} values in {fieldsSource}"; }
        else { size = maxIndex + 1; origin = "the largest index"; }
        if (size <= 0)
        {
            if (errors.Count == 0) errors.Add(new CouplingsFormatError(source, null, null, "no valid i,j,J lines."));
            return null;
        }
        if (size > SkInstance.MaxN)
        {
            errors.Add(new CouplingsFormatError(source, null, null,
                $"N = {size} (from {origin}) is too large: at most {SkInstance.MaxN} spins are supported (dense N x N couplings)."));
            return null;
        }
        foreach (var (index, line, column) in indexUses)
            if (index >= size)
                errors.Add(new CouplingsFormatError(source, line, column, $"index {index} is out of range for N = {size} (from {origin})."));
        // Only an N inferred from the largest index is checked for gaps: an explicit n or a fields file declares N.
        if (n is null && fieldsCount is not > 0 && errors.Count == 0) ReportUnusedIndices(indexUses, size, source, errors);
        if (errors.Count > 0) return null;

        var values = new double[size * size];
        foreach (var ((i, j), (value, _)) in pairs)
        {
            values[i * size + j] = value;
            values[j * size + i] = value;
        }
        return values;
    }

    /// <summary>
    /// A spin index that no line mentions would be a decoupled spin. That is almost always a numbering mistake (a
    /// 1-based file read as 0-based gains a spurious spin 0), and the writer lists every pair, so a gap is an error
    /// unless N was declared (explicit n, or the length of a fields file).
    /// </summary>
    private static void ReportUnusedIndices(List<(int Index, int Line, int Column)> indexUses, int size, string source,
        List<CouplingsFormatError> errors)
    {
        var seen = new bool[size];
        foreach (var (index, _, _) in indexUses) seen[index] = true;
        var missing = new List<int>();
        for (int i = 0; i < size; i++) if (!seen[i]) missing.Add(i);
        if (missing.Count == 0) return;
        const int Shown = 5;
        string list = string.Join(", ", missing.Take(Shown)) + (missing.Count > Shown ? $" and {missing.Count - Shown} more" : "");
        string hint = missing is [0] ? " The file looks 1-based: triplet indices are 0-based, so renumber the spins from 0." : "";
        errors.Add(new CouplingsFormatError(source, null, null,
            $"spin index {list} never appears, so N = {size} would include {(missing.Count == 1 ? "a spin" : "spins")} with no couplings.{hint} "
            + "Indices are 0-based (0 .. N-1); if such spins are intended, declare n explicitly."));
    }

    private static double[]? ParseFields(string text, string source, List<CouplingsFormatError> errors)
    {
        var lines = DataLines.Read(text);
        if (lines.Count == 0)
        {
            errors.Add(new CouplingsFormatError(source, null, null, "empty file: no field values (blank lines and '#' comments are ignored)."));
            return null;
        }
        // Unreadable values keep their slot (as NaN) so the count check against N still means something;
        // the recorded errors prevent the instance from being built.
        var values = new List<double>();
        foreach (var l in lines)
            for (int c = 0; c < l.Tokens.Length; c++)
                values.Add(ReadValue(l.Tokens[c], source, l.LineNumber, c + 1, errors, out double v) ? v : double.NaN);
        return values.ToArray();
    }
}
