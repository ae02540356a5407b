namespace Boltzmann.Core.Tests.Estimators;

/// <summary>Per-sample ln p~, ln q and the first coordinate x_0 (an observable) of samples of a <see cref="GaussianCase"/>.</summary>
internal sealed record GaussianSamples(double[] LogTarget, double[] LogQ, double[] X0)
{
    public void Record(int i, GaussianCase g, ReadOnlySpan<double> x)
    {
        LogTarget[i] = g.LogTarget(x);
        LogQ[i] = g.LogQ(x);
        X0[i] = x[0];
    }
}
