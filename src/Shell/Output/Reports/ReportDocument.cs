using Mixtures.Shell.Output.Plots;

namespace Mixtures.Shell.Output.Reports;

/// <summary>A report: a title, a plain-language summary and sections of paragraphs, tables and figures.</summary>
/// <param name="Title">Page title.</param>
/// <param name="Summary">What was done and what came out, for a reader who never saw the command line.</param>
/// <param name="Facts">Key facts shown under the summary (term, value).</param>
/// <param name="Sections">The body.</param>
public sealed record ReportDocument(string Title, string Summary, IReadOnlyList<(string Term, string Value)> Facts, IReadOnlyList<ReportSection> Sections)
{
    /// <summary>The tool version and command line, shown with the facts (null for none).</summary>
    public ReportProvenance? Made { get; init; }

    /// <summary>Every chart in the report, in order.</summary>
    public IEnumerable<Chart> Charts => Sections.SelectMany(s => s.Blocks).OfType<ReportFigure>().Select(f => f.Chart);
}

/// <summary>A section with a heading.</summary>
public sealed record ReportSection(string Heading, IReadOnlyList<ReportBlock> Blocks);

/// <summary>A piece of a section.</summary>
public abstract record ReportBlock;

/// <summary>A paragraph of plain text.</summary>
public sealed record ReportParagraph(string Text) : ReportBlock;

/// <summary>A table: a caption, a header and rows of cells; <paramref name="Highlight"/> rows are emphasised (e.g. the selected K).
/// A table wider than the page scrolls sideways inside it.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlySet<int>? Highlight = null) : ReportBlock;

/// <summary>An embedded chart with its caption.</summary>
public sealed record ReportFigure(Chart Chart) : ReportBlock;

/// <summary>A list of short items.</summary>
public sealed record ReportList(IReadOnlyList<string> Items) : ReportBlock;
