using Boltzmann.Physics.Lattice;

namespace Boltzmann.Physics.Tests.Lattice;

public class Lattice2DTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(64, 8)]
    [InlineData(3, 5)]
    [InlineData(2, 2)]
    public void NeighbourTablesFollowSiteConvention(int l, int t)
    {
        var lat = new Lattice2D(l, t);
        Assert.Equal(l * t, lat.Volume);
        for (int x = 0; x < l; x++)
            for (int tt = 0; tt < t; tt++)
            {
                int i = x * t + tt;
                Assert.Equal(i, lat.Site(x, tt));
                Assert.Equal(((x + 1) % l) * t + tt, lat.Forward(0)[i]);
                Assert.Equal(x * t + (tt + 1) % t, lat.Forward(1)[i]);
                for (int mu = 0; mu < 2; mu++)
                {
                    Assert.Equal(i, lat.Backward(mu)[lat.Forward(mu)[i]]);
                }
                var (a, b, c, d) = lat.PlaquetteLinks(i);
                Assert.Equal(i, a);
                Assert.Equal(l * t + lat.Forward(0)[i], b);
                Assert.Equal(lat.Forward(1)[i], c);
                Assert.Equal(l * t + i, d);
            }
    }

    [Fact]
    public void CheckerboardNeedsEvenExtentsAndAlternates()
    {
        var lat = Lattice2D.WithCheckerboard(4, 6);
        for (int i = 0; i < lat.Volume; i++)
            for (int mu = 0; mu < 2; mu++)
                Assert.NotEqual(lat.Parity(i), lat.Parity(lat.Forward(mu)[i]));
        Assert.Throws<ArgumentException>(() => Lattice2D.WithCheckerboard(4, 5));
        Assert.Throws<InvalidOperationException>(() => new Lattice2D(3, 4).Parity(0));
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(4, 1)]
    [InlineData(0, 0)]
    public void RejectsExtentsBelowTwo(int l, int t)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new Lattice2D(l, t));
}
