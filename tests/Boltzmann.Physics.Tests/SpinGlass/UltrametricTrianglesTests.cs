using Boltzmann.Physics.SpinGlass;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.SpinGlass;

public class UltrametricTrianglesTests
{
    [Fact]
    public void AxesPutEquilateralAtTheOriginAndAcuteIsoscelesOnTheXAxis()
    {
        var eq = TriangleSides.FromDistances(0.3, 0.3, 0.3);
        Assert.Equal((0.0, 0.0), (eq.X, eq.Y));
        Assert.Equal(TriangleShape.Equilateral, eq.Classify(0));
        var acute = TriangleSides.FromDistances(0.4, 0.1, 0.4);
        Assert.Equal(0.0, acute.Y);
        Assert.True(acute.X > 0);
        Assert.Equal(TriangleShape.AcuteIsosceles, acute.Classify(0));
        var obtuse = TriangleSides.FromDistances(0.1, 0.1, 0.4); // two short sides equal: not ultrametric
        Assert.Equal(0.0, obtuse.X);
        Assert.True(obtuse.Y > 0);
        Assert.Equal(TriangleShape.Other, obtuse.Classify(0));
        Assert.Equal(TriangleShape.Equilateral, TriangleSides.FromDistances(0.30, 0.31, 0.32).Classify(0.02));
    }

    /// <summary>
    /// An exactly ultrametric set of A x B states: segment 1 of the spins carries pattern a (block a of size k1 flipped),
    /// segment 2 carries pattern (a, b) (block (a, b) of size k2 flipped). Then d = 2 k2 / N within a cluster and
    /// 2 (k1 + k2) / N across clusters: every triangle is equilateral or acute isosceles, never other.
    /// </summary>
    [Fact]
    public void UltrametricTreeOfStatesGivesOnlyEquilateralAndAcuteIsoscelesInTheExactProportion()
    {
        const int a = 4, b = 6, k1 = 5, k2 = 2;
        int n1 = a * k1, n2 = a * b * k2, n = n1 + n2;
        var root = new sbyte[n];
        var rng = RandomStreams.For(3, "tree-root");
        for (int i = 0; i < n; i++) root[i] = rng.NextDouble() < 0.5 ? (sbyte)1 : (sbyte)-1;
        var distinct = new sbyte[a * b][];
        for (int x = 0; x < a; x++)
            for (int y = 0; y < b; y++)
            {
                var s = (sbyte[])root.Clone();
                for (int i = x * k1; i < (x + 1) * k1; i++) s[i] = (sbyte)-s[i];
                int start = n1 + (x * b + y) * k2;
                for (int i = start; i < start + k2; i++) s[i] = (sbyte)-s[i];
                distinct[x * b + y] = s;
            }
        // Exact fractions for three distinct states drawn uniformly: equilateral if all in one cluster or all in
        // different clusters, acute isosceles if exactly two share a cluster.
        double total = 0, equilateral = 0;
        for (int i = 0; i < a * b; i++)
            for (int j = i + 1; j < a * b; j++)
                for (int k = j + 1; k < a * b; k++)
                {
                    int ci = i / b, cj = j / b, ck = k / b;
                    total++;
                    if ((ci == cj && cj == ck) || (ci != cj && cj != ck && ci != ck)) equilateral++;
                }
        double pEq = equilateral / total;

        // Many independent uniform draws of states (the states list repeats each state many times, with random
        // energies so the low-energy cut keeps a uniform subset); identical states give d = 0 sides, so draw
        // distinct states per triple by building the list as a shuffled concatenation of permutations.
        const int rounds = 1500;
        var list = new List<sbyte>();
        var energies = new List<double>();
        var prng = RandomStreams.For(4, "tree-draws");
        for (int r = 0; r < rounds; r++)
        {
            // Three distinct states per round, so the disjoint triples below are triangles of distinct states.
            int i0 = prng.NextInt(a * b), i1, i2;
            do i1 = prng.NextInt(a * b); while (i1 == i0);
            do i2 = prng.NextInt(a * b); while (i2 == i0 || i2 == i1);
            foreach (int idx in new[] { i0, i1, i2 }) { list.AddRange(distinct[idx]); energies.Add(r); }
        }
        // Energies equal to the round index keep each round's triple together after sorting; shuffling is avoided
        // by cutting with fraction 1 and a stream whose shuffle we undo: use Analyze on each round's triple.
        long eq = 0, iso = 0, other = 0;
        var states = list.ToArray();
        for (int r = 0; r < rounds; r++)
        {
            var t = TriangleSides.FromOverlaps(
                UltrametricTriangles.Overlap(states.AsSpan((3 * r) * n, n), states.AsSpan((3 * r + 1) * n, n)),
                UltrametricTriangles.Overlap(states.AsSpan((3 * r) * n, n), states.AsSpan((3 * r + 2) * n, n)),
                UltrametricTriangles.Overlap(states.AsSpan((3 * r + 1) * n, n), states.AsSpan((3 * r + 2) * n, n)), absoluteOverlap: false);
            switch (t.Classify(0)) { case TriangleShape.Equilateral: eq++; break; case TriangleShape.AcuteIsosceles: iso++; break; default: other++; break; }
        }
        Assert.Equal(0, other);
        double f = (double)eq / rounds, se = Math.Sqrt(pEq * (1 - pEq) / rounds);
        Assert.True(Math.Abs(f - pEq) < 4 * se, $"equilateral fraction {f:F4} vs exact {pEq:F4} (se {se:F4})");

        // The full Analyze path on the same states (fraction 1): still nothing but ultrametric triangles, except
        // triangles with a repeated state (d = 0 side), which are acute isosceles (0, d, d) or equilateral (0, 0, 0).
        var stream = RandomStreams.For(5, "tree-analyze");
        var stats = UltrametricTriangles.Analyze(states, n, energies.ToArray(), 1.0, 0.0, absoluteOverlap: false, ref stream);
        Assert.Equal(0, stats.Other.Mean);
        Assert.Equal(rounds, stats.Count);
        Assert.Equal(1.0, stats.Equilateral.Mean + stats.AcuteIsosceles.Mean, 12);
    }

    /// <summary>
    /// Independent uniformly random states: for a triple, u = a xor b and v = a xor c are independent uniform bit
    /// strings and b xor c = u xor v. With per-bit counts (n00, n01, n10, n11) of (u_i, v_i) (multinomial, 1/4 each),
    /// the Hamming distances are n10 + n11, n01 + n11 and n10 + n01: the exact shape probabilities follow by summing
    /// the multinomial over all counts.
    /// </summary>
    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(false, 0.1)]
    public void RandomIndependentSpinsMatchTheExactMultinomialShapeDistribution(bool absolute, double tolerance)
    {
        const int n = 24, m = 30_000;
        var exact = new double[3];
        var logFact = new double[n + 1];
        for (int i = 1; i <= n; i++) logFact[i] = logFact[i - 1] + Math.Log(i);
        for (int n11 = 0; n11 <= n; n11++)
            for (int n10 = 0; n10 + n11 <= n; n10++)
                for (int n01 = 0; n01 + n10 + n11 <= n; n01++)
                {
                    int n00 = n - n11 - n10 - n01;
                    double lp = logFact[n] - logFact[n00] - logFact[n01] - logFact[n10] - logFact[n11] - n * Math.Log(4);
                    double q1 = 1 - 2.0 * (n10 + n11) / n, q2 = 1 - 2.0 * (n01 + n11) / n, q3 = 1 - 2.0 * (n10 + n01) / n;
                    exact[(int)TriangleSides.FromOverlaps(q1, q2, q3, absolute).Classify(tolerance)] += Math.Exp(lp);
                }
        Assert.Equal(1.0, exact.Sum(), 10);

        var rng = RandomStreams.For(6, "random-spins");
        var states = new sbyte[3 * m * n];
        for (int i = 0; i < states.Length; i++) states[i] = rng.NextDouble() < 0.5 ? (sbyte)1 : (sbyte)-1;
        var energies = new double[3 * m];
        for (int i = 0; i < energies.Length; i++) energies[i] = rng.NextDouble();
        var stream = RandomStreams.For(7, "random-analyze");
        var stats = UltrametricTriangles.Analyze(states, n, energies, 1.0, tolerance, absolute, ref stream);
        Assert.Equal(m, stats.Count);
        var measured = new[] { stats.Equilateral, stats.AcuteIsosceles, stats.Other };
        for (int s = 0; s < 3; s++)
        {
            double se = Math.Sqrt(exact[s] * (1 - exact[s]) / m);
            Assert.True(Math.Abs(measured[s].Mean - exact[s]) < 4 * se + 1e-12, $"{(TriangleShape)s}: {measured[s].Mean:F5} vs exact {exact[s]:F5} (se {se:F5})");
        }
        // Every side is marginally Binomial(N, 1/2) / N: its mean is 1/2 for signed overlaps.
        if (!absolute)
        {
            double mean = stats.Triangles.Average(t => (t.DMin + t.DMid + t.DMax) / 3);
            Assert.True(Math.Abs(mean - 0.5) < 4 * Math.Sqrt(0.25 / n / (3.0 * m)) * 2, $"mean side {mean:F5}");
        }
    }

    [Fact]
    public void LowEnergySelectionKeepsTheLowestFraction()
    {
        const int n = 8, count = 30;
        var states = new sbyte[count * n];
        var energies = new double[count];
        for (int k = 0; k < count; k++)
        {
            energies[k] = count - k; // the last states have the lowest energy
            for (int i = 0; i < n; i++) states[k * n + i] = k >= 21 ? (sbyte)1 : (sbyte)(i % 2 == 0 ? 1 : -1);
        }
        var rng = RandomStreams.For(8, "low-energy");
        var stats = UltrametricTriangles.Analyze(states, n, energies, 0.3, 0.0, false, ref rng);
        Assert.Equal(9, stats.StatesUsed);
        Assert.Equal(3, stats.Count);
        Assert.All(stats.Triangles, t => Assert.Equal(0.0, t.DMax)); // only the identical low-energy states
    }
}
