using System.Buffers.Binary;
using System.Xml.Linq;
using SkiaSharp;

namespace Mixtures.Tests.Plots;

/// <summary>Checks that a file is a real image of a given size.</summary>
public static class ImageCheck
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height from the PNG header: the signature, then the IHDR chunk (big-endian width, height).</summary>
    public static (int Width, int Height) PngHeaderSize(byte[] png)
    {
        Assert.True(png.Length > 33, "too short for a PNG");
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    /// <summary>The PNG decodes, has the expected size from both its header and the decoder, and is not a blank canvas.</summary>
    public static void AssertPng(byte[] png, int width, int height)
    {
        Assert.Equal((width, height), PngHeaderSize(png));
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        var colours = new HashSet<uint>();
        for (var y = 0; y < height; y += 7)
        for (var x = 0; x < width; x += 7)
            colours.Add((uint)bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 5, $"only {colours.Count} colours: the image looks blank");
    }

    public static void AssertPngFile(string path, int width, int height)
    {
        Assert.True(File.Exists(path), $"{path} missing");
        var bytes = File.ReadAllBytes(path);
        Assert.NotEmpty(bytes);
        AssertPng(bytes, width, height);
    }

    /// <summary>The SVG parses as XML, has an svg root of the expected size, and draws something.</summary>
    public static void AssertSvgFile(string path, int width, int height)
    {
        Assert.True(File.Exists(path), $"{path} missing");
        var doc = XDocument.Load(path);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        Assert.Equal(width.ToString(), doc.Root.Attribute("width")!.Value);
        Assert.Equal(height.ToString(), doc.Root.Attribute("height")!.Value);
        Assert.True(doc.Descendants().Count() > 10);
    }

    /// <summary>How many elements of this local name the SVG holds (e.g. "ellipse": ScottPlot draws a round marker as one).</summary>
    public static int SvgElements(string svg, string localName) =>
        XDocument.Parse(svg).Descendants().Count(e => e.Name.LocalName == localName);

    /// <summary>The SVG's texts (title, axis labels, ticks, legend), trimmed.</summary>
    public static IReadOnlyList<string> SvgTexts(string svg) =>
        XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
}
