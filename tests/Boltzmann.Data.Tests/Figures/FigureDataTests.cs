using System.Text;
using Boltzmann.Data.Figures;
using Boltzmann.Data.Tests.Support;

namespace Boltzmann.Data.Tests.Figures;

public class FigureDataTests
{
    /// <summary>A figure with every awkward value: non-finite and signed-zero numbers, extreme magnitudes, and strings that need CSV quoting.</summary>
    private static FigureTable Sample(IReadOnlyDictionary<string, string>? metadata = null)
    {
        const string f = "pt_sk_n64";
        var panels = new List<FigurePanel>
        {
            new("energy", "Energy per spin", "T", "e(T)", PlotKind.Line),
            new("swap", "Swap acceptance", "pair k", "A(k)", PlotKind.Bar),
            new("pq", "Overlap distribution, \"P(q)\"", "q", "P(q)", PlotKind.Histogram, LogY: true),
            new("tau", "tau_int", "T", "tau", PlotKind.Scatter, LogX: true, LogY: true),
        };
        var points = new List<FigurePoint>
        {
            new(f, "energy", "N=64", 0.1, -0.7630000000000001, 0.0012),
            new(f, "energy", "N=64", 1.0 / 3.0, double.NaN, 0.0),
            new(f, "energy", "paramagnet, annealed", 2.0, -0.125, double.NaN),
            new(f, "swap", "a,b \"quoted\"", 0, 1e-300, double.Epsilon),
            new(f, "swap", "", 1, double.MaxValue, -0.0),
            new(f, "pq", " leading space", -1.0, double.PositiveInfinity, double.NegativeInfinity),
            new(f, "pq", "multi\nline\r\nseries", 0.5, 123456789.123456789, 5e-324),
            new(f, "tau", "β≈1.5 naïve ∑", 1.5, Math.PI, Math.E),
        };
        metadata ??= new Dictionary<string, string> { ["stage"] = "pt-sk", ["profile"] = "smoke", ["key"] = "sha256:abc,\"def\"" };
        return new FigureTable(f, "SK parallel tempering, N = 64", panels, points, metadata);
    }

    private static void AssertSameTable(FigureTable expected, FigureTable actual)
    {
        Assert.Equal(expected.Figure, actual.Figure);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.Panels, actual.Panels);
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Points.Count, actual.Points.Count);
        for (int i = 0; i < expected.Points.Count; i++)
        {
            var e = expected.Points[i];
            var a = actual.Points[i];
            Assert.Equal((e.Figure, e.Panel, e.Series), (a.Figure, a.Panel, a.Series));
            // Bit-exact: distinguishes -0.0 from 0.0 and keeps NaN payload-free NaN.
            Assert.Equal(BitConverter.DoubleToInt64Bits(e.X), BitConverter.DoubleToInt64Bits(a.X));
            Assert.Equal(BitConverter.DoubleToInt64Bits(e.Y), BitConverter.DoubleToInt64Bits(a.Y));
            Assert.Equal(BitConverter.DoubleToInt64Bits(e.YErr), BitConverter.DoubleToInt64Bits(a.YErr));
        }
    }

    [Theory]
    [InlineData(".parquet")]
    [InlineData(".csv")]
    [InlineData(".json")]
    public void Figure_data_round_trips_exactly(string extension)
    {
        using var tmp = new TempDirectory();
        var table = Sample();
        var files = FigureDataWriter.Write(table, tmp.Path);
        Assert.Equal(tmp.Combine("pt_sk_n64.parquet"), files.Parquet);
        AssertSameTable(table, FigureDataReader.Read(tmp.Combine("pt_sk_n64" + extension)));
        Assert.Equal(3, Directory.GetFiles(tmp.Path).Length); // no temporary files left behind
    }

    [Fact]
    public void An_empty_figure_round_trips()
    {
        using var tmp = new TempDirectory();
        var table = new FigureTable("empty", "Nothing yet", [new FigurePanel("a", "A", "x", "y")], [], new Dictionary<string, string>());
        var files = FigureDataWriter.Write(table, tmp.Path);
        AssertSameTable(table, FigureDataReader.Read(files.Parquet));
        AssertSameTable(table, FigureDataReader.Read(files.Csv));
        Assert.Equal(0L, DuckDb.ToInt64(DuckDb.Query($"SELECT count(*) FROM read_parquet({DuckDb.Literal(files.Parquet)})")[0][0]));
    }

    [Fact]
    public void Output_bytes_depend_only_on_the_table()
    {
        using var tmp = new TempDirectory();
        var meta = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2", ["m"] = "3" };
        var reordered = new Dictionary<string, string> { ["m"] = "3", ["a"] = "2", ["z"] = "1" };
        var first = FigureDataWriter.Write(Sample(meta), tmp.Combine("one"));
        var second = FigureDataWriter.Write(Sample(reordered), tmp.Combine("two"));
        Assert.Equal(File.ReadAllBytes(first.Parquet), File.ReadAllBytes(second.Parquet));
        Assert.Equal(File.ReadAllBytes(first.Csv), File.ReadAllBytes(second.Csv));
        Assert.Equal(File.ReadAllBytes(first.Json), File.ReadAllBytes(second.Json));

        var third = FigureDataWriter.Write(Sample(meta) with { Title = "other" }, tmp.Combine("three"));
        Assert.NotEqual(File.ReadAllBytes(first.Parquet), File.ReadAllBytes(third.Parquet));
        Assert.NotEqual(File.ReadAllBytes(first.Json), File.ReadAllBytes(third.Json));
    }

    [Fact]
    public void Csv_is_tidy_invariant_and_quoted()
    {
        string csv = Encoding.UTF8.GetString(FigureDataWriter.ToCsvBytes(Sample()));
        var lines = csv.Split('\n');
        Assert.Equal("figure,panel,series,x,y,y_err", lines[0]);
        Assert.Equal("pt_sk_n64,energy,N=64,0.1,-0.7630000000000001,0.0012", lines[1]);
        Assert.Equal("pt_sk_n64,energy,N=64,0.3333333333333333,NaN,0", lines[2]);
        Assert.Equal("pt_sk_n64,swap,\"a,b \"\"quoted\"\"\",0,1E-300,5E-324", lines[4]);
        Assert.Equal("pt_sk_n64,swap,\"\",1,1.7976931348623157E+308,-0", lines[5]);
        Assert.Equal("pt_sk_n64,pq,\" leading space\",-1,Infinity,-Infinity", lines[6]);
        Assert.False(csv.StartsWith('\uFEFF'));
    }

    [Fact]
    public void DuckDb_reads_the_figure_parquet_and_its_metadata()
    {
        using var tmp = new TempDirectory();
        var table = Sample();
        var files = FigureDataWriter.Write(table, tmp.Path);
        string lit = DuckDb.Literal(files.Parquet);

        var rows = DuckDb.Query($"SELECT figure, panel, series, x, y, y_err FROM read_parquet({lit}, file_row_number = true) ORDER BY file_row_number");
        Assert.Equal(table.Points.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var p = table.Points[i];
            Assert.Equal(p.Figure, rows[i][0]);
            Assert.Equal(p.Panel, rows[i][1]);
            Assert.Equal(p.Series, rows[i][2]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(p.X), BitConverter.DoubleToInt64Bits((double)rows[i][3]!));
            Assert.Equal(double.IsNaN(p.Y), double.IsNaN((double)rows[i][4]!));
            if (!double.IsNaN(p.Y))
                Assert.Equal(p.Y, (double)rows[i][4]!);
        }

        var kv = DuckDb.Query($"SELECT key, value FROM parquet_kv_metadata({lit})")
            .ToDictionary(r => Encoding.UTF8.GetString((byte[])r[0]!), r => Encoding.UTF8.GetString((byte[])r[1]!));
        Assert.Equal("pt_sk_n64", kv["boltzmann.figure.name"]);
        Assert.Equal(table.Title, kv["boltzmann.figure.title"]);
        Assert.StartsWith("[{\"panel\":\"energy\"", kv["boltzmann.figure.panels"]);
        Assert.Contains("\"kind\":\"Histogram\"", kv["boltzmann.figure.panels"]);
        Assert.Equal("{\"key\":\"sha256:abc,\\\"def\\\"\",\"profile\":\"smoke\",\"stage\":\"pt-sk\"}", kv["boltzmann.figure.metadata"]);

        // Aggregation through SQL agrees with the table.
        var mean = DuckDb.Query($"SELECT avg(x) FROM read_parquet({lit}) WHERE panel = 'energy'")[0][0];
        Assert.Equal(table.Points.Where(p => p.Panel == "energy").Average(p => p.X), (double)mean!, 14);
    }

    [Fact]
    public void ToDataFrame_has_the_tidy_columns()
    {
        var table = Sample();
        var frame = FigureTableFrame.ToDataFrame(table);
        Assert.Equal(["figure", "panel", "series", "x", "y", "y_err"], frame.Columns.Select(c => c.Name));
        Assert.Equal(table.Points.Count, frame.Rows.Count);
        for (int i = 0; i < table.Points.Count; i++)
        {
            Assert.Equal(table.Points[i].Series, (string)frame.Columns["series"][i]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(table.Points[i].YErr), BitConverter.DoubleToInt64Bits((double)frame.Columns["y_err"][i]));
        }
        var counts = frame.GroupBy("panel").Count();
        Assert.Equal(4, counts.Rows.Count);
    }

    [Fact]
    public void Inconsistent_tables_are_rejected_with_the_offending_point()
    {
        using var tmp = new TempDirectory();
        var table = Sample();
        var badPanel = table with { Points = [.. table.Points, new FigurePoint(table.Figure, "nope", "s", 0, 0, 0)] };
        var e = Assert.Throws<ArgumentException>(() => FigureDataWriter.Write(badPanel, tmp.Path));
        Assert.Contains("point 8", e.Message);
        Assert.Contains("'nope'", e.Message);

        var badFigure = table with { Points = [new FigurePoint("other", "energy", "s", 0, 0, 0)] };
        Assert.Throws<ArgumentException>(() => FigureDataWriter.Write(badFigure, tmp.Path));
        Assert.Throws<ArgumentException>(() => FigureDataWriter.Write(table with { Figure = "../escape" }, tmp.Path));
        Assert.Throws<ArgumentException>(() => FigureDataWriter.Write(table with { Panels = [.. table.Panels, table.Panels[0]] }, tmp.Path));
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Reading_a_csv_without_its_json_or_a_damaged_file_fails_clearly()
    {
        using var tmp = new TempDirectory();
        var files = FigureDataWriter.Write(Sample(), tmp.Path);
        File.Delete(files.Json);
        var missing = Assert.Throws<FileNotFoundException>(() => FigureDataReader.Read(files.Csv));
        Assert.Contains("pt_sk_n64.json", missing.Message);

        File.WriteAllBytes(files.Parquet, File.ReadAllBytes(files.Parquet)[..100]);
        var bad = Assert.Throws<InvalidDataException>(() => FigureDataReader.Read(files.Parquet));
        Assert.Contains("pt_sk_n64.parquet", bad.Message);
    }
}
