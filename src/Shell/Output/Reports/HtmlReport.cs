using System.Xml.Linq;
using LanguageExt;

namespace Mixtures.Shell.Output.Reports;

/// <summary>
/// One self-contained HTML page: no scripts, no external style sheets, fonts or images (every plot is
/// embedded as a base64 PNG data URI), so it opens offline and can be mailed as one file. The page is
/// also well-formed XML (XHTML syntax), built with System.Xml.Linq so that every text is escaped.
/// </summary>
public static class HtmlReport
{
    private static readonly XNamespace H = "http://www.w3.org/1999/xhtml";

    private const string Style = """
        body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
        p.summary { font-size: 1.05em; background: #f5f7fa; border-left: 4px solid #1f77b4; padding: 0.6em 1em; }
        dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        dl.facts code { font-size: 0.9em; overflow-wrap: anywhere; }
        div.table-scroll { overflow-x: auto; max-width: 100%; margin: 0.8em 0 1.4em 0; }
        div.table-scroll table { margin: 0; }
        table { border-collapse: collapse; margin: 0.8em 0 1.4em 0; font-size: 0.92em; }
        caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
        th { background: #eef1f5; }
        td.text, th.text { text-align: left; }
        tr.highlight td { background: #e8f4e8; font-weight: 600; }
        figure { margin: 1em 0 2em 0; }
        figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
        figcaption { font-size: 0.92em; color: #444; margin-top: 0.3em; }
        """;

    /// <summary>The page as text: a doctype line and the XHTML document.</summary>
    public static string Render(ReportDocument doc)
    {
        var body = new XElement(H + "body",
            E("h1", doc.Title),
            new XElement(H + "p", new XAttribute("class", "summary"), doc.Summary));
        var made = new List<XElement>();
        if (doc.Made is { } m)
        {
            made.AddRange([E("dt", "made with"), E("dd", "mixtures " + m.Version)]);
            if (m.CommandLine is not null)
                made.AddRange([E("dt", "command"), E("dd", new XElement(H + "code", new XAttribute("class", "command"), m.CommandLine))]);
        }
        if (doc.Facts.Count > 0 || doc.Made is not null)
            body.Add(new XElement(H + "dl", new XAttribute("class", "facts"),
                doc.Facts.SelectMany(f => new[] { E("dt", f.Term), E("dd", f.Value) }).Concat(made)));
        foreach (var section in doc.Sections)
        {
            body.Add(E("h2", section.Heading));
            foreach (var block in section.Blocks) body.Add(Block(block));
        }
        var html = new XElement(H + "html", new XAttribute("lang", "en"),
            new XElement(H + "head",
                new XElement(H + "meta", new XAttribute("charset", "utf-8")),
                new XElement(H + "meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                E("title", doc.Title),
                E("style", Style)),
            body);
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.None) + "\n";
    }

    /// <summary>Writes the page atomically.</summary>
    public static Fin<Unit> Write(string path, ReportDocument doc) => AtomicFile.WriteText(path, Render(doc));

    private static XElement Block(ReportBlock block) => block switch
    {
        ReportParagraph p => E("p", p.Text),
        ReportList l => E("ul", l.Items.Select(i => E("li", i))),
        ReportTable t => Table(t),
        ReportFigure f => E("figure",
            new XElement(H + "img",
                new XAttribute("src", "data:image/png;base64," + Convert.ToBase64String(f.Chart.Png)),
                new XAttribute("alt", f.Chart.Title),
                new XAttribute("width", f.Chart.Width),
                new XAttribute("height", f.Chart.Height),
                new XAttribute("data-plot", f.Chart.Name)),
            E("figcaption", f.Chart.Caption)),
        _ => throw new ArgumentOutOfRangeException(nameof(block)),
    };

    private static XElement Table(ReportTable t)
    {
        // The first column holds labels (left-aligned); the others hold numbers unless they do not parse as one.
        static XAttribute? Align(int j, string cell) =>
            j == 0 || !double.TryParse(cell.TrimEnd('%'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? new XAttribute("class", "text") : null;
        var table = E("table",
            E("caption", t.Caption),
            E("thead", E("tr", t.Header.Select((h, j) => new XElement(H + "th", j == 0 ? new XAttribute("class", "text") : null, h)))));
        var tbody = E("tbody");
        for (var i = 0; i < t.Rows.Count; i++)
            tbody.Add(new XElement(H + "tr", t.Highlight?.Contains(i) == true ? new XAttribute("class", "highlight") : null,
                t.Rows[i].Select((cell, j) => new XElement(H + "td", Align(j, cell), cell))));
        table.Add(tbody);
        // wide tables (one column per feature or cluster) scroll sideways inside the page instead of overflowing it
        return new XElement(H + "div", new XAttribute("class", "table-scroll"), table);
    }

    /// <summary>An element that always has an end tag (an empty XElement would print as &lt;x /&gt;, which
    /// HTML parsers read as an unclosed start tag).</summary>
    private static XElement E(string name, params object?[] content)
    {
        var e = new XElement(H + name, content);
        if (e.IsEmpty) e.Value = "";
        return e;
    }
}
