using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// ln Z at one ladder point: <paramref name="StatisticalError"/> from the energies, variances and the anchor;
/// <paramref name="QuadratureError"/> the accumulated Hermite-rule remainder estimate; <paramref name="StdError"/>
/// both in quadrature.
/// </summary>
public readonly record struct ThermodynamicIntegrationPoint(double Beta, double LnZ, double StatisticalError, double QuadratureError, double StdError)
{
    public Estimate ToEstimate() => new(LnZ, StdError, double.NaN, double.NaN, 0);
}
