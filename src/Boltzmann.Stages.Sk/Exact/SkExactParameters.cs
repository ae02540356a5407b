namespace Boltzmann.Stages.Sk.Exact;

/// <summary>
/// Parameters of <see cref="SkExactStage"/>: the temperatures at which P(q) and all observables are
/// tabulated (the PT ladder, so each PT point has its exact partner), and an optional grid for curves.
/// </summary>
public sealed record SkExactParameters(double[] Temperatures, TemperatureGrid? Grid);
