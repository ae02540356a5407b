using System.Xml;
using System.Xml.Linq;

namespace Boltzmann.Figures.Tests;

public sealed class FigureIndexTests
{
    private const string Hostile = "<script>alert('x')</script> & | [link](javascript:1) *bold*";

    private static List<FigureIndexEntry> Entries(string dir) =>
    [
        new("energy", "Energy vs T", "sk-pt", "energy.png", ["energy.parquet", "energy.csv", "energy.json"],
            new Dictionary<string, string> { ["pipeline"] = "sk-pt", ["profile"] = "smoke", ["key"] = "abc123", ["beta"] = "0.5" }, "energy.svg"),
        new("swap", "Swap acceptance", "ising-pt", Path.Combine(dir, "sub dir", "swap (1).png"), [Path.Combine(dir, "sub dir", "swap#1.csv")],
            new Dictionary<string, string> { ["pipeline"] = "ising-pt" }),
        new("evil", Hostile, "", "evil.png", [], new Dictionary<string, string> { ["note"] = Hostile }),
    ];

    [Fact]
    public void Write_ListsEveryEntry_InBothFiles()
    {
        using var dir = new TempDirectory();
        var files = FigureIndex.Write(dir.Path, Entries(dir.Path));
        Assert.Equal(dir.Combine("index.md"), files.MarkdownPath);
        Assert.Equal(dir.Combine("index.html"), files.HtmlPath);
        var md = File.ReadAllText(files.MarkdownPath);
        var html = File.ReadAllText(files.HtmlPath);
        foreach (var text in new[] { md, html })
        {
            Assert.Contains("Energy vs T", text);
            Assert.Contains("Swap acceptance", text);
            Assert.Contains("energy.png", text);
            Assert.Contains("energy.svg", text);
            Assert.Contains("energy.parquet", text);
            Assert.Contains("energy.csv", text);
            Assert.Contains("energy.json", text);
            Assert.Contains("abc123", text);
            // Absolute paths become relative, and special characters are percent-encoded in links.
            Assert.Contains("sub%20dir/swap%20%281%29.png", text);
            Assert.Contains("sub%20dir/swap%231.csv", text);
            Assert.DoesNotContain(dir.Path, text);
        }
    }

    [Fact]
    public void Write_GroupsByPipeline_SortedWithUngroupedLast()
    {
        using var dir = new TempDirectory();
        var files = FigureIndex.Write(dir.Path, Entries(dir.Path));
        var md = File.ReadAllText(files.MarkdownPath);
        var ising = md.IndexOf("## Pipeline: ising\\-pt", StringComparison.Ordinal);
        var ising2 = md.IndexOf("## Pipeline: ising-pt", StringComparison.Ordinal);
        var isingAt = Math.Max(ising, ising2);
        var sk = md.IndexOf("## Pipeline: sk-pt", StringComparison.Ordinal);
        var none = md.IndexOf("## Pipeline: (no pipeline)", StringComparison.Ordinal);
        Assert.True(isingAt >= 0 && sk > isingAt && none > sk, md);
        Assert.True(md.IndexOf("Swap acceptance", StringComparison.Ordinal) < sk);
        Assert.True(md.IndexOf("Energy vs T", StringComparison.Ordinal) > sk);
    }

    [Fact]
    public void Html_IsWellFormed_AndEscapesEverything()
    {
        using var dir = new TempDirectory();
        var html = File.ReadAllText(FigureIndex.Write(dir.Path, Entries(dir.Path)).HtmlPath);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; |", html);

        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        var doc = XDocument.Load(reader);
        var articles = doc.Descendants("article").ToList();
        Assert.Equal(3, articles.Count);
        Assert.Contains(articles, a => a.Element("h3")!.Value == Hostile);
        Assert.Equal(3, doc.Descendants("img").Count());
        var metadataCells = doc.Descendants("td").Select(td => td.Value).ToList();
        Assert.Contains(Hostile, metadataCells);
        Assert.Contains("smoke", metadataCells);
        // Metadata in display order: pipeline, profile, key, then the rest.
        var energy = articles.Single(a => a.Element("h3")!.Value == "Energy vs T");
        Assert.Equal(["pipeline", "profile", "key", "beta"], energy.Descendants("tr").Skip(1).Select(tr => tr.Elements("td").First().Value));
    }

    [Fact]
    public void Markdown_EscapesHtmlAndTableBreakingCharacters()
    {
        using var dir = new TempDirectory();
        var md = File.ReadAllText(FigureIndex.Write(dir.Path, Entries(dir.Path)).MarkdownPath);
        Assert.DoesNotContain("<script>", md);
        Assert.Contains("&lt;script&gt;", md);
        Assert.Contains("| note | &lt;script&gt;alert('x')&lt;/script&gt; &amp; \\| \\[link\\](javascript:1) \\*bold\\* |", md);
        // Every table row has exactly three unescaped pipes.
        foreach (var line in md.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
            Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(line, @"(?<!\\)\|").Count);
    }

    [Fact]
    public void Write_IsDeterministic_AndAtomic()
    {
        using var dir = new TempDirectory();
        FigureIndex.Write(dir.Path, Entries(dir.Path));
        var first = File.ReadAllBytes(dir.Combine("index.html"));
        FigureIndex.Write(dir.Path, Entries(dir.Path));
        Assert.Equal(first, File.ReadAllBytes(dir.Combine("index.html")));
        Assert.Equal(["index.html", "index.md"], Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    [Fact]
    public void Write_RejectsBadEntries()
    {
        using var dir = new TempDirectory();
        var e = Entries(dir.Path);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => FigureIndex.Write(dir.Path, [e[0], e[0]])).Message);
        Assert.Contains("image path", Assert.Throws<ArgumentException>(() => FigureIndex.Write(dir.Path, [e[0] with { ImagePath = "" }])).Message);
        Assert.Contains("DataFiles", Assert.Throws<ArgumentException>(() => FigureIndex.Write(dir.Path, [e[0] with { DataFiles = null! }])).Message);
        Assert.Contains("empty figure id", Assert.Throws<ArgumentException>(() => FigureIndex.Write(dir.Path, [e[0] with { Figure = " " }])).Message);
    }

    [Fact]
    public void FromTable_TakesPipelineAndMetadataFromTheTable()
    {
        var table = DemoFigures.SwapAcceptance();
        var entry = FigureIndexEntry.FromTable(table, "swap.png", ["swap.parquet"]);
        Assert.Equal("sk-pt", entry.Pipeline);
        Assert.Equal(table.Title, entry.Title);
        Assert.Equal("swap", entry.Figure);
        Assert.Same(table.Metadata, entry.Metadata);
    }
}
