using Boltzmann.Learning.Symmetry;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>q_sym(x) = (q(x) + q(−x))/2 of Hartnett &amp; Mohseni 2020, Appendix A.1.</summary>
public class Z2SymmetrizedTests
{
    [Fact]
    public void LogDensityIsTheLogOfTheAverageOfQAtXAndMinusX()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 5, Seed = 21 });
        var sym = new Z2Symmetrized(flow);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn([100, 5], ScalarType.Float64, generator: new Generator(1, CPU)).mul(1.5);
        var plus = flow.LogProb(x).data<double>().ToArray();
        var minus = flow.LogProb(x.neg()).data<double>().ToArray();
        var actual = sym.LogProb(x).data<double>().ToArray();
        var mirrored = sym.LogProb(x.neg()).data<double>().ToArray();
        for (int b = 0; b < 100; b++)
        {
            // Moderate values: the direct formula is accurate in double precision here.
            double expected = Math.Log(0.5 * (Math.Exp(plus[b]) + Math.Exp(minus[b])));
            Assert.Equal(expected, actual[b], 1e-12);
            Assert.Equal(actual[b], mirrored[b], 1e-13);
        }
        // The unsymmetrised flow is not Z2-symmetric, so the symmetrisation does something.
        Assert.True(plus.Zip(minus, (a, b) => Math.Abs(a - b)).Max() > 1e-2);
    }

    [Fact]
    public void LogDensityStaysFiniteWhereTheDirectFormulaUnderflows()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 3, Seed = 22 });
        var sym = new Z2Symmetrized(flow);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var far = full([2, 3], 60.0, ScalarType.Float64);
        var lq = flow.LogProb(far);
        var lsym = sym.LogProb(far);
        Assert.True(lq.max().item<double>() < -745); // exp underflows to 0 in double
        Assert.True(lsym.isfinite().all().item<bool>());
        Assert.True(lsym.sub(lq.add(flow.LogProb(far.neg())).mul(0.5)).ge(-1e-9).all().item<bool>()); // log-mean >= mean-log
    }

    [Fact]
    public void SamplingFlipsTheGlobalSignOfInnerSamplesWithProbabilityOneHalf()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 4, Seed = 23 });
        var sym = new Z2Symmetrized(flow);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        const int count = 4000;
        var (inner, _) = flow.Sample(count, new Generator(77, CPU));
        var (outer, logProb) = sym.Sample(count, new Generator(77, CPU));
        // The same generator first drives the inner sample, so every row is ±(the inner row).
        var same = outer.eq(inner).all(1);
        var flipped = outer.eq(inner.neg()).all(1);
        Assert.True(same.logical_or(flipped).all().item<bool>());
        long flips = flipped.sum().item<long>();
        // Binomial(4000, 1/2): mean 2000, sd 31.6; 4 sigma.
        Assert.InRange(flips, 2000 - 127, 2000 + 127);
        Assert.True(TensorCompare.Identical(sym.LogProb(outer), logProb));
        Assert.Equal(4, sym.Dimension);
        Assert.Same(flow, sym.Inner);
    }
}
