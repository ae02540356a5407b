using Boltzmann.Data.Figures;

namespace Boltzmann.Figures.Tests;

public sealed class MarkupTextTests
{
    [Fact]
    public void Html_EscapesTheFiveSpecialCharacters() =>
        Assert.Equal("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt; β", MarkupText.Html("<a href=\"x\">&'</a> β"));

    [Fact]
    public void Markdown_EscapesInlineSyntax_AndLineBreaks() =>
        Assert.Equal("a \\*b\\* \\_c\\_ \\`d\\` \\[e\\] \\| f &lt;g&gt; &amp; \\\\ \\~ h i", MarkupText.Markdown("a *b* _c_ `d` [e] | f <g> & \\ ~ h\ni"));

    [Fact]
    public void UrlPath_EncodesSegments_KeepsSeparators() =>
        Assert.Equal("../figs/a%20b/c%23%3F%28%29%C3%A9.png", MarkupText.UrlPath("../figs\\a b/c#?()é.png"));

    [Fact]
    public void Caption_ListsPriorityKeysFirst_ThenOthersSorted()
    {
        var table = new FigureTable("fig", "t", [], [], new Dictionary<string, string>
        {
            ["zeta"] = "1", ["key"] = "k", ["alpha"] = "2", ["pipeline"] = "p", ["profile"] = "smoke",
        });
        Assert.Equal("figure: fig  ·  pipeline: p  ·  profile: smoke  ·  key: k  ·  alpha: 2  ·  zeta: 1", FigureCaption.Compose(table));
    }
}
