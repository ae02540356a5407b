using Boltzmann.Learning.Models;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>
/// Integrals ∫ f(x) q(x) dx of a model density on a uniform grid over [−R, R]^N for N ≤ 2 (Riemann sum with
/// spacing h; equal to the trapezoid rule because q is negligible at the box edge). Evaluated in chunks so the
/// million-point grid never sits in memory at once. Returns the integrals of 1, x_0, x_0², x_0 x_{N−1}.
/// </summary>
public static class GridQuadrature
{
    public static double[] Moments(IExactSampler q, ScalarType dtype, double radius, int points)
    {
        int n = q.Dimension;
        if (n is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(q), n, "GridQuadrature handles N = 1 or 2.");
        double h = 2 * radius / (points - 1);
        var axis = Enumerable.Range(0, points).Select(i => -radius + i * h).ToArray();
        var sums = new double[4];
        int rowsPerChunk = Math.Max(1, 250_000 / (n == 1 ? points : points));
        int outer = n == 1 ? 1 : points;
        for (int start = 0; start < outer; start += rowsPerChunk)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(rowsPerChunk, outer - start);
            Tensor grid;
            var line = tensor(axis, ScalarType.Float64);
            if (n == 1)
                grid = line.unsqueeze(1);
            else
            {
                var first = tensor(axis.AsSpan(start, count).ToArray(), ScalarType.Float64);
                grid = stack([first.unsqueeze(1).expand(count, points).reshape(-1), line.repeat(count)], 1);
            }
            Tensor density;
            using (no_grad())
                density = q.LogProb(grid.to_type(dtype)).to_type(ScalarType.Float64).exp();
            var x0 = grid.select(1, 0);
            var xl = grid.select(1, n - 1);
            sums[0] += density.sum().item<double>();
            sums[1] += density.mul(x0).sum().item<double>();
            sums[2] += density.mul(x0.square()).sum().item<double>();
            sums[3] += density.mul(x0).mul(xl).sum().item<double>();
        }
        double cell = Math.Pow(h, n);
        return sums.Select(s => s * cell).ToArray();
    }
}
