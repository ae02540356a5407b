namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// One online minibatch (Hartnett &amp; Mohseni 2020, section 6): B fresh configurations x ~ p(x|s) (eq. 6) of PT
/// configurations s at the training temperature, row-major B × N; where each s came from (the PT sweep count after
/// which it was read, and its chain), for provenance and freshness checks; and the producer's complete state after
/// building this batch, so a checkpoint taken after consuming it can resume the producer exactly.
/// </summary>
public sealed record OnlineMinibatch(long Index, double[] X, long[] Sweeps, int[] Chains, byte[] ProducerState);
