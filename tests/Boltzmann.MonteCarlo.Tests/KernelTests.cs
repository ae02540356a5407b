using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Tests;

/// <summary>The field update gives the same bits at every SIMD width, so the chain does not depend on the hardware.</summary>
public unsafe class KernelTests
{
    [Fact]
    public void AddScaledRow_AllWidths_AreBitIdentical()
    {
        const int stride = 64;
        var rng = new RandomStream(3);
        var row = new AlignedBuffer<double>(stride);
        var start = new double[stride];
        for (int k = 0; k < stride; k++) { row.Span[k] = 2 * rng.NextGaussian() / 8; start[k] = rng.NextGaussian(); }
        foreach (double scale in new[] { 1.0, -1.0 })
        {
            var results = new List<double[]>();
            for (int path = 0; path < 4; path++)
            {
                var target = new AlignedBuffer<double>(stride);
                start.CopyTo(target.Span);
                for (int rep = 0; rep < 5; rep++)
                {
                    switch (path)
                    {
                        case 0: SkMetropolisKernel.AddScaledRowScalar(target.Pointer, row.Pointer, scale, stride); break;
                        case 1: SkMetropolisKernel.AddScaledRow128(target.Pointer, row.Pointer, scale, stride); break;
                        case 2: SkMetropolisKernel.AddScaledRow256(target.Pointer, row.Pointer, scale, stride); break;
                        default: SkMetropolisKernel.AddScaledRow512(target.Pointer, row.Pointer, scale, stride); break;
                    }
                }
                results.Add(target.Span.ToArray());
            }
            for (int k = 0; k < stride; k++)
            {
                double expected = start[k];
                for (int rep = 0; rep < 5; rep++) expected += row.Span[k] * scale;
                foreach (var r in results) Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(r[k]));
            }
        }
    }

    [Fact]
    public void AlignedBuffer_Is64ByteAligned_AndZeroed()
    {
        for (int len = 1; len < 40; len += 7)
        {
            var b = new AlignedBuffer<double>(len);
            Assert.Equal(0, (long)b.Pointer % 64);
            Assert.All(b.Span.ToArray(), x => Assert.Equal(0.0, x));
            var s = new AlignedBuffer<sbyte>(len);
            Assert.Equal(0, (long)s.Pointer % 64);
        }
    }
}
