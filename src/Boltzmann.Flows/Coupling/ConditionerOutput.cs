namespace Boltzmann.Flows.Coupling;

/// <summary>
/// Final activation of a coupling conditioner (Hartnett &amp; Mohseni 2020, Appendix A.1): tanh for the log-scale
/// network s, so every scale factor lies in (e^-1, e); the identity for the shift network t.
/// </summary>
public enum ConditionerOutput
{
    Tanh,
    Identity,
}
