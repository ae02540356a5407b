namespace Boltzmann.Figures;

/// <summary>
/// Pixel layout of one figure: a header strip with the figure title, a grid of equally sized
/// panels (row-major, at most three columns so each panel keeps a readable aspect ratio), and a
/// footer strip with the metadata caption.
/// </summary>
public sealed record FigureLayout(int PanelCount, int Columns, int Rows, int PanelWidth, int PanelHeight, int HeaderHeight, int FooterHeight)
{
    /// <summary>Smallest panel side that still leaves room for tick labels, axis labels and a title.</summary>
    public const int MinimumPanelSide = 160;

    /// <summary>Largest picture side; Skia raster surfaces beyond this are impractical.</summary>
    public const int MaximumSide = 16384;

    /// <summary>Height of the title strip above the panels.</summary>
    public const int DefaultHeaderHeight = 48;

    /// <summary>Height of the caption strip below the panels.</summary>
    public const int DefaultFooterHeight = 30;

    /// <summary>Total picture width in pixels.</summary>
    public int Width => Columns * PanelWidth;

    /// <summary>Total picture height in pixels.</summary>
    public int Height => HeaderHeight + Rows * PanelHeight + FooterHeight;

    /// <summary>
    /// Columns for <paramref name="panelCount"/> panels: 1, 2, 3 side by side; 4 as 2x2; more in rows of 3.
    /// </summary>
    public static int ColumnsFor(int panelCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(panelCount, 1);
        return panelCount switch { <= 3 => panelCount, 4 => 2, _ => 3 };
    }

    /// <summary>Lays out <paramref name="panelCount"/> panels of the given size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No panels, panels smaller than <see cref="MinimumPanelSide"/>, or a picture larger than <see cref="MaximumSide"/>.</exception>
    public static FigureLayout Compute(int panelCount, int panelWidth, int panelHeight)
    {
        if (panelCount < 1)
            throw new ArgumentOutOfRangeException(nameof(panelCount), panelCount, "A figure needs at least one panel.");
        if (panelWidth < MinimumPanelSide)
            throw new ArgumentOutOfRangeException(nameof(panelWidth), panelWidth, $"Panel width must be at least {MinimumPanelSide} px.");
        if (panelHeight < MinimumPanelSide)
            throw new ArgumentOutOfRangeException(nameof(panelHeight), panelHeight, $"Panel height must be at least {MinimumPanelSide} px.");
        var columns = ColumnsFor(panelCount);
        var rows = (panelCount + columns - 1) / columns;
        var layout = new FigureLayout(panelCount, columns, rows, panelWidth, panelHeight, DefaultHeaderHeight, DefaultFooterHeight);
        if ((long)columns * panelWidth > MaximumSide || (long)DefaultHeaderHeight + (long)rows * panelHeight + DefaultFooterHeight > MaximumSide)
            throw new ArgumentOutOfRangeException(nameof(panelCount),
                $"{panelCount} panels of {panelWidth}x{panelHeight} px make a picture larger than {MaximumSide} px on a side; use smaller panels.");
        return layout;
    }

    /// <summary>Left, top, right, bottom pixel edges of panel <paramref name="index"/> (row-major).</summary>
    public (int Left, int Top, int Right, int Bottom) PanelRect(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PanelCount);
        var left = index % Columns * PanelWidth;
        var top = HeaderHeight + index / Columns * PanelHeight;
        return (left, top, left + PanelWidth, top + PanelHeight);
    }
}
