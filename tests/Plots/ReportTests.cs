using System.Xml.Linq;
using Mixtures.Shell.Output.Plots;
using Mixtures.Shell.Output.Reports;

namespace Mixtures.Tests.Plots;

/// <summary>Checks shared by every report: strict XML parse, every chart embedded as a PNG, nothing fetched from outside.</summary>
public static class ReportCheck
{
    public static readonly XNamespace H = "http://www.w3.org/1999/xhtml";

    /// <summary>Parses the page strictly (as XML) and returns it.</summary>
    public static XDocument Parse(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html);
        var doc = XDocument.Parse(html, LoadOptions.None);
        Assert.Equal(H + "html", doc.Root!.Name);
        Assert.Single(doc.Descendants(H + "title"));
        Assert.Empty(doc.Descendants(H + "script"));
        Assert.Empty(doc.Descendants(H + "link"));
        foreach (var a in doc.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href"))
            Assert.StartsWith("data:", a.Value);
        // Non-void elements keep an end tag (an HTML parser reads <td/> as an open cell).
        Assert.DoesNotMatch(@"<(?!img|meta|br)[a-z]+[^>]*/>", html);
        return doc;
    }

    /// <summary>The embedded images, by plot name, each a PNG of its stated size.</summary>
    public static IReadOnlyDictionary<string, byte[]> Images(XDocument doc)
    {
        var images = new Dictionary<string, byte[]>();
        foreach (var img in doc.Descendants(H + "img"))
        {
            var src = img.Attribute("src")!.Value;
            Assert.StartsWith("data:image/png;base64,", src);
            var png = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
            ImageCheck.AssertPng(png, int.Parse(img.Attribute("width")!.Value), int.Parse(img.Attribute("height")!.Value));
            Assert.False(string.IsNullOrWhiteSpace(img.Attribute("alt")?.Value));
            images[img.Attribute("data-plot")!.Value] = png;
        }
        return images;
    }
}

public class ReportTests
{
    private static Chart Bars(string name) => GroupedBarChart.Render(name, "t", "c", "y", ["a", "b"], ["s"], [[1.0, 2.0]]);

    [Fact]
    public void Report_is_well_formed_escapes_text_and_embeds_every_chart()
    {
        var charts = new[] { Bars("one"), Bars("two") };
        var doc = new ReportDocument("A <title> & more", "Summary with <b>markup</b> & ampersands.", [("data", "x.csv")],
        [
            new ReportSection("Tables", [
                new ReportParagraph("text"),
                new ReportTable("caption", ["name", "value"], [["a", "1.5"], ["", ""]], new HashSet<int> { 0 }),
                new ReportList(["item"]),
                new ReportFigure(charts[0]),
            ]),
            new ReportSection("More", [new ReportFigure(charts[1])]),
        ]);
        var html = HtmlReport.Render(doc);
        var x = ReportCheck.Parse(html);
        Assert.Equal("A <title> & more", x.Descendants(ReportCheck.H + "h1").Single().Value);
        Assert.Contains("&lt;b&gt;markup", html);
        var images = ReportCheck.Images(x);
        Assert.Equal(["one", "two"], images.Keys.Order());
        Assert.Equal(charts[0].Png, images["one"]);
        Assert.Equal(2, x.Descendants(ReportCheck.H + "tr").Count(tr => tr.Parent!.Name.LocalName == "tbody"));
        Assert.Single(x.Descendants(ReportCheck.H + "tr"), tr => tr.Attribute("class")?.Value == "highlight");
        Assert.Equal(charts.Select(c => c.Name), doc.Charts.Select(c => c.Name));
    }
}
