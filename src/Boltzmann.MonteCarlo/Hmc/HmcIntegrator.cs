namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>Molecular-dynamics integrator of an HMC trajectory.</summary>
public enum HmcIntegrator
{
    /// <summary>Leapfrog (Foreman, Jin &amp; Osborn 2021, appendix A.2): kick eps/2, drift eps, kick eps/2; one force per step.</summary>
    Leapfrog,

    /// <summary>
    /// Second-order minimum-norm integrator (Omelyan, Mryglod &amp; Folk 2003, Comput. Phys. Commun. 151, 272, eq. 31;
    /// Takaishi &amp; de Forcrand 2006, PRE 73, 036706): kick lambda eps, drift eps/2, kick (1 - 2 lambda) eps,
    /// drift eps/2, kick lambda eps with lambda = 0.1931833; two forces per step, a ~10x smaller error constant.
    /// </summary>
    Omelyan,
}
