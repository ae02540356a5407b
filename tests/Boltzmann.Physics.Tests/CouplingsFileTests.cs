using Boltzmann.Physics.Sk;

namespace Boltzmann.Physics.Tests;

public sealed class CouplingsFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "boltzmann-physics-tests-" + Guid.NewGuid().ToString("N"));

    public CouplingsFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertBitIdentical(SkInstance expected, SkInstance actual)
    {
        Assert.Equal(expected.N, actual.N);
        for (int k = 0; k < expected.Couplings.Length; k++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Couplings[k]), BitConverter.DoubleToInt64Bits(actual.Couplings[k]));
        for (int k = 0; k < expected.N; k++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Fields[k]), BitConverter.DoubleToInt64Bits(actual.Fields[k]));
        Assert.Equal(expected.ContentHash(), actual.ContentHash());
    }

    /// <summary>Values that only survive a text round trip with shortest round-trip formatting.</summary>
    private static SkInstance Awkward()
    {
        double[] v = [1.0 / 3, -0.1, 1e-300, double.Epsilon, -123456.789e10, 0.0, Math.PI, -Math.E, 2.0 / 7, 5e-324 * 3];
        const int n = 5;
        var c = new double[n * n];
        int t = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                c[i * n + j] = v[t];
                c[j * n + i] = v[t];
                t++;
            }
        return new SkInstance(n, c, [0.1, -7e-20, 0, 1.0 / 3, 1e300]);
    }

    [Theory]
    [InlineData(CouplingsFormat.Matrix)]
    [InlineData(CouplingsFormat.Triplets)]
    public void Save_then_load_is_bit_exact(CouplingsFormat format)
    {
        foreach (var inst in new[] { Awkward(), TestInstances.Sk(24, 3, 0.3) })
        {
            string cPath = Path.Combine(_dir, $"j-{format}.csv"), hPath = Path.Combine(_dir, "h.txt");
            CouplingsFile.Save(inst, cPath, format, hPath);
            AssertBitIdentical(inst, CouplingsFile.Load(cPath, hPath));                // auto-detected
            AssertBitIdentical(inst, CouplingsFile.Load(cPath, hPath, format));        // explicit
            Assert.Equal(format, CouplingsFile.DetectFormat(File.ReadAllText(cPath), cPath));
        }
    }

    [Fact]
    public void Instance_without_fields_round_trips_without_a_fields_file()
    {
        var inst = TestInstances.Sk(6, 4);
        string path = Path.Combine(_dir, "j.csv");
        CouplingsFile.Save(inst, path, CouplingsFormat.Triplets);
        AssertBitIdentical(inst, CouplingsFile.Load(path));
    }

    [Fact]
    public void Save_refuses_to_drop_fields_and_auto_format()
    {
        var inst = TestInstances.Sk(4, 4, 0.5);
        string path = Path.Combine(_dir, "j.csv");
        var ex = Assert.Throws<ArgumentException>(() => CouplingsFile.Save(inst, path));
        Assert.Contains("fields", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CouplingsFile.FormatCouplings(inst, CouplingsFormat.Auto));
        Assert.Throws<ArgumentException>(() => CouplingsFile.FormatCouplings(new SkInstance(1, [0.0]), CouplingsFormat.Triplets));
    }

    [Fact]
    public void Reads_whitespace_matrices_with_comments_and_crlf()
    {
        string text = "# a comment\r\n\r\n  0   0.5\t-1   # trailing comment\r\n 0.5 0 2e-1\r\n-1 0.2 0\r\n";
        var inst = CouplingsFile.Parse(text, "m.txt");
        Assert.Equal(3, inst.N);
        Assert.Equal(0.5, inst.J(0, 1));
        Assert.Equal(-1.0, inst.J(2, 0));
        Assert.Equal(0.2, inst.J(1, 2));
        Assert.Equal(0.0, inst.Fields[1]);
    }

    [Fact]
    public void Matrix_symmetry_within_tolerance_keeps_the_upper_triangle()
    {
        var inst = CouplingsFile.Parse("0,0.5\n0.5000000000001,0", "m.csv");
        Assert.Equal(0.5, inst.J(0, 1));
        Assert.Equal(0.5, inst.J(1, 0));
    }

    [Fact]
    public void Reads_triplets_in_both_orders_with_header_and_sparse_pairs()
    {
        string text = "i j J\n0 1 0.5\n1 0 0.5\n3 2 -0.25\n2 2 0\n";
        var inst = CouplingsFile.Parse(text, "t.txt");
        Assert.Equal(4, inst.N);
        Assert.Equal(0.5, inst.J(1, 0));
        Assert.Equal(-0.25, inst.J(2, 3));
        Assert.Equal(0.0, inst.J(0, 3));

        // N from the fields file (spin 4 has no couplings) and from the explicit argument.
        var withFields = CouplingsFile.Parse(text, "t.txt", fieldsText: "0.1, 0.2\n0.3 0.4\n0.5", fieldsSource: "h.txt");
        Assert.Equal(5, withFields.N);
        Assert.Equal(0.5, withFields.Fields[4]);
        Assert.Equal(6, CouplingsFile.Parse(text, "t.txt", n: 6).N);
    }

    [Fact]
    public void Detects_formats()
    {
        Assert.Equal(CouplingsFormat.Triplets, CouplingsFile.DetectFormat("0,1,0.5\n0,2,1\n1,2,3\n2,3,1\n", "t"));
        Assert.Equal(CouplingsFormat.Triplets, CouplingsFile.DetectFormat("i,j,J\n0,1,0.5\n", "t"));
        Assert.Equal(CouplingsFormat.Matrix, CouplingsFile.DetectFormat("0,0.5\n0.5,0\n", "m"));
        Assert.Equal(CouplingsFormat.Matrix, CouplingsFile.DetectFormat("0,0.5,1\n0.5,0,1\n1,1,0\n", "m"));
        Assert.Equal(CouplingsFormat.Matrix, CouplingsFile.DetectFormat("0", "m"));
        var ex = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.DetectFormat("0,1,1\n1,0,1\n1,1,0\n", "amb.csv"));
        Assert.Contains("amb.csv", ex.Message);
        Assert.Contains("i,j,J", ex.Message);
        // The same content loads once the format is explicit; as a matrix and as triplets it means different things.
        Assert.Equal(3, CouplingsFile.Parse("0,1,1\n1,0,1\n1,1,0\n", "amb.csv", CouplingsFormat.Matrix).N);
        Assert.Equal(2, CouplingsFile.Parse("0,1,1\n1,0,1\n1,1,0\n", "amb.csv", CouplingsFormat.Triplets).N);
    }

    public static TheoryData<string, string, CouplingsFormat, string[]> BadInputs() => new()
    {
        // Matrix problems.
        { "non-square wide", "0,1,2\n1,0,3\n", CouplingsFormat.Matrix, ["bad.csv, line 1, column 3", "2 x 3, not square"] },
        { "non-square tall", "# c\n0,1\n1,0\n2,3\n", CouplingsFormat.Matrix, ["bad.csv, line 4", "3 x 2, not square"] },
        { "ragged", "0,1,2\n1,0\n2,3,0\n", CouplingsFormat.Matrix, ["bad.csv, line 2", "row has 2 values"] },
        { "asymmetric", "0,0.5,1\n0.25,0,1\n1,1,0\n", CouplingsFormat.Matrix, ["bad.csv, line 1, column 2", "J[0,1] = 0.5", "J[1,0] = 0.25", "line 2, column 1"] },
        { "diagonal", "0,1\n1,0.3\n", CouplingsFormat.Matrix, ["bad.csv, line 2, column 2", "J[1,1] = 0.3", "must be zero"] },
        { "unparsable", "0,1\n1,abc\n", CouplingsFormat.Matrix, ["bad.csv, line 2, column 2", "'abc' is not a number"] },
        { "nan", "0,NaN\nNaN,0\n", CouplingsFormat.Matrix, ["bad.csv, line 1, column 2", "'NaN' is not finite"] },
        { "overflow", "0,1e400\n1e400,0\n", CouplingsFormat.Matrix, ["bad.csv, line 1, column 2", "'1e400' is not finite"] },
        { "empty field", "0,,1\n0,0,1\n1,1,0\n", CouplingsFormat.Matrix, ["bad.csv, line 1, column 2", "empty field"] },
        { "empty file", "# only a comment\n\n", CouplingsFormat.Auto, ["bad.csv", "empty file"] },
        // Triplet problems.
        { "wrong field count", "i,j,J\n0,1,0.5\n0,2\n", CouplingsFormat.Triplets, ["bad.csv, line 3", "expected 3 fields"] },
        { "non-integer index", "i,j,J\n0,1.5,0.5\n", CouplingsFormat.Triplets, ["bad.csv, line 2, column 2", "'1.5' is not an integer"] },
        { "negative index", "i,j,J\n-1,1,0.5\n", CouplingsFormat.Triplets, ["bad.csv, line 2, column 1", "index -1 is out of range"] },
        { "conflicting duplicate", "i,j,J\n0,1,0.5\n1,2,1\n1,0,0.75\n", CouplingsFormat.Triplets, ["bad.csv, line 4, column 3", "pair (0,1)", "0.75", "0.5 on line 2"] },
        { "diagonal triplet", "i,j,J\n0,1,0.5\n1,1,2\n", CouplingsFormat.Triplets, ["bad.csv, line 3, column 3", "J[1,1] = 2"] },
        { "bad value", "i,j,J\n0,1,x\n", CouplingsFormat.Triplets, ["bad.csv, line 2, column 3", "'x' is not a number"] },
        { "infinite value", "i,j,J\n0,1,-Infinity\n", CouplingsFormat.Triplets, ["bad.csv, line 2, column 3", "not finite"] },
        { "header only", "i,j,J\n", CouplingsFormat.Auto, ["bad.csv", "only the header (line 1)"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Every_problem_is_reported_with_file_and_position(string name, string text, CouplingsFormat format, string[] expected)
    {
        var ex = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(text, "bad.csv", format));
        Assert.NotEmpty(ex.Errors);
        Assert.All(ex.Errors, e => Assert.Equal("bad.csv", e.Source));
        foreach (string s in expected)
            Assert.True(ex.Message.Contains(s, StringComparison.Ordinal), $"[{name}] message lacks \"{s}\":\n{ex.Message}");
    }

    [Fact]
    public void A_one_based_triplet_file_is_rejected_unless_n_is_declared()
    {
        // Spins 1..3 numbered from 1: read as 0-based it would gain a decoupled spin 0.
        const string oneBased = "i,j,J\n1,2,0.5\n1,3,-0.5\n2,3,0.25\n";
        var ex = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(oneBased, "j1.csv"));
        var e = Assert.Single(ex.Errors);
        Assert.Contains("j1.csv", e.ToString());
        Assert.Contains("spin index 0 never appears", e.Message);
        Assert.Contains("renumber the spins from 0", e.Message);

        // A gap elsewhere is named too, and declaring n accepts the uncoupled spins.
        const string gap = "i,j,J\n0,1,0.5\n0,4,1\n1,4,1\n";
        var gapError = Assert.Single(Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(gap, "g.csv")).Errors);
        Assert.Contains("spin index 2, 3 never appears", gapError.Message);
        Assert.Contains("declare n explicitly", gapError.Message);
        Assert.Equal(4, CouplingsFile.Parse(oneBased, "j1.csv", n: 4).N);
    }

    [Fact]
    public void A_triplet_index_beyond_the_supported_n_is_an_error_not_an_overflow()
    {
        // 50001^2 overflows int: before the check this threw OverflowException instead of a format error.
        var e = Assert.Single(Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse("i,j,J\n0,50000,1.0\n", "big.csv")).Errors);
        Assert.Contains("N = 50001", e.Message);
        Assert.Contains($"at most {SkInstance.MaxN}", e.Message);
    }

    [Fact]
    public void Index_out_of_range_names_where_n_came_from()
    {
        const string text = "i,j,J\n0,1,0.5\n1,3,0.2\n";
        var explicitN = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(text, "bad.csv", n: 3));
        Assert.Contains("bad.csv, line 3, column 2: index 3 is out of range for N = 3 (from the requested N)", explicitN.Message);

        var fromFields = Assert.Throws<CouplingsFormatException>(() =>
            CouplingsFile.Parse(text, "bad.csv", fieldsText: "0 0 0", fieldsSource: "h.txt"));
        Assert.Contains("bad.csv, line 3, column 2: index 3 is out of range for N = 3 (from the 3 values in h.txt)", fromFields.Message);
    }

    [Fact]
    public void Field_file_problems_name_the_fields_file()
    {
        const string matrix = "0,1\n1,0\n";
        var count = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(matrix, "j.csv", fieldsText: "1 2 3", fieldsSource: "h.txt"));
        Assert.Contains("h.txt: has 3 field values but the couplings in j.csv define N = 2", count.Message);

        var bad = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(matrix, "j.csv", fieldsText: "# h\n0.1\nfoo\n", fieldsSource: "h.txt"));
        Assert.Contains("h.txt, line 3, column 1: 'foo' is not a number", bad.Message);

        var empty = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(matrix, "j.csv", fieldsText: "  \n# none\n", fieldsSource: "h.txt"));
        Assert.Contains("h.txt: empty file", empty.Message);

        var wrongN = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(matrix, "j.csv", n: 3));
        Assert.Contains("j.csv: matrix has 2 rows but N = 3 was requested", wrongN.Message);
    }

    [Fact]
    public void All_problems_are_collected_and_the_message_is_capped()
    {
        var ex = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse("0,1,x\n2,0.5,1\n1,1,0\n", "bad.csv", CouplingsFormat.Matrix));
        // 'x' unparsable, J[0,1] vs J[1,0] asymmetric, J[1,1] = 0.5 non-zero diagonal.
        Assert.Equal(3, ex.Errors.Count);

        var many = new System.Text.StringBuilder();
        const int n = 30;
        for (int i = 0; i < n; i++)
            many.AppendLine(string.Join(",", Enumerable.Range(0, n).Select(j => i == j ? "0" : (i < j ? "1" : "2"))));
        var big = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Parse(many.ToString(), "big.csv"));
        Assert.Equal(n * (n - 1) / 2, big.Errors.Count);
        Assert.Contains($"... and {big.Errors.Count - CouplingsFormatException.MaxListedInMessage} more", big.Message);
    }

    [Fact]
    public void Load_reports_the_real_path()
    {
        string path = Path.Combine(_dir, "broken.csv");
        File.WriteAllText(path, "0,1\n2,0\n");
        var ex = Assert.Throws<CouplingsFormatException>(() => CouplingsFile.Load(path));
        Assert.Contains($"{path}, line 1, column 2", ex.Message);
        Assert.Throws<FileNotFoundException>(() => CouplingsFile.Load(Path.Combine(_dir, "missing.csv")));
    }
}
