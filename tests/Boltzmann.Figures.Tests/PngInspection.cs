using SkiaSharp;

namespace Boltzmann.Figures.Tests;

/// <summary>Decodes rendered PNGs (SkiaSharp, independent of ScottPlot's own encoder path) and counts pixels.</summary>
internal sealed class PngInspection
{
    private readonly SKColor[] _pixels;

    public PngInspection(byte[] png)
    {
        Assert.True(png.Length > 8 && png[0] == 0x89 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', "not a PNG signature");
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Width = bitmap.Width;
        Height = bitmap.Height;
        _pixels = bitmap.Pixels;
    }

    public int Width { get; }
    public int Height { get; }

    public SKColor this[int x, int y] => _pixels[y * Width + x];

    /// <summary>Pixels in the rectangle [x0, x1) x [y0, y1) within <paramref name="tolerance"/> (per channel) of <paramref name="hex"/>.</summary>
    public int Count(string hex, int tolerance = 12, int x0 = 0, int y0 = 0, int x1 = int.MaxValue, int y1 = int.MaxValue)
    {
        var target = SKColor.Parse(hex);
        var count = 0;
        for (var y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
        {
            for (var x = Math.Max(0, x0); x < Math.Min(Width, x1); x++)
            {
                var c = this[x, y];
                if (Math.Abs(c.Red - target.Red) <= tolerance && Math.Abs(c.Green - target.Green) <= tolerance && Math.Abs(c.Blue - target.Blue) <= tolerance)
                    count++;
            }
        }
        return count;
    }

    /// <summary>Fraction of pixels that differ visibly from white.</summary>
    public double NonWhiteFraction()
    {
        var count = 0;
        foreach (var c in _pixels)
        {
            if (c.Red < 245 || c.Green < 245 || c.Blue < 245) count++;
        }
        return count / (double)_pixels.Length;
    }
}
