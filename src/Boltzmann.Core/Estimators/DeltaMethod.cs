using Boltzmann.Statistics;

namespace Boltzmann.Estimators;

/// <summary>
/// Error of a smooth function f of sample means by linearisation (the delta method; for autocorrelated
/// series this is Wolff's projection of a derived quantity, Comput. Phys. Commun. 156 (2004) 143, sec. 3.3):
/// the caller forms the series y_i = sum_k (df/dmean_k) x_{k,i}; the error of f is the error of mean(y).
/// </summary>
internal static class DeltaMethod
{
    /// <summary>Standard error of mean(y), with tau_int (1/2 and error 0 for independent samples).</summary>
    public static (double StdError, double TauInt, double TauIntError) ErrorOfMean(ReadOnlySpan<double> y, SampleDependence dependence)
    {
        int n = y.Length;
        if (n < 2) throw new ArgumentException($"An error estimate needs at least 2 samples, got {n}.", nameof(y));
        switch (dependence)
        {
            case SampleDependence.Independent:
            {
                double mean = IntegratedAutocorrelation.Mean(y);
                double ss = 0;
                foreach (double v in y) ss += (v - mean) * (v - mean);
                return (Math.Sqrt(ss / (n - 1.0) / n), 0.5, 0.0);
            }
            case SampleDependence.MarkovChain:
            {
                var r = IntegratedAutocorrelation.Compute(y);
                return (r.StdErrorOfMean, r.TauInt, r.TauIntError);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(dependence), dependence, "Unknown sample dependence.");
        }
    }
}
