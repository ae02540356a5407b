namespace Boltzmann.Learning.Training;

/// <summary>
/// How the Adam learning rate changes over a training stage. The rate is a pure function of the step index
/// (no state), so a resumed run uses exactly the rates of an uninterrupted one.
/// </summary>
public enum LearningRateSchedule
{
    /// <summary>lr(t) = lr₀ for every step.</summary>
    Constant,

    /// <summary>
    /// Cosine annealing (Loshchilov &amp; Hutter 2017, Eq. 5 without restarts) from lr₀ at t = 0 down to
    /// f·lr₀ at t = T−1: lr(t) = lr₀ [f + (1 − f)(1 + cos(π t/(T−1)))/2]. Annealing removes most of the
    /// stationary jitter that stochastic (reparameterised) gradients leave at a constant rate.
    /// </summary>
    Cosine,
}

/// <summary>Evaluates a <see cref="LearningRateSchedule"/>.</summary>
public static class LearningRateSchedules
{
    /// <summary>The learning rate of 0-based step <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public static double At(LearningRateSchedule schedule, double initial, double finalFraction, long step, long totalSteps)
    {
        if (step < 0 || step >= totalSteps)
            throw new ArgumentOutOfRangeException(nameof(step), step, $"step must be in [0, {totalSteps}).");
        return schedule switch
        {
            LearningRateSchedule.Constant => initial,
            LearningRateSchedule.Cosine => totalSteps == 1
                ? initial
                : initial * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.Cos(Math.PI * step / (totalSteps - 1)))),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "unknown learning-rate schedule."),
        };
    }
}
