namespace Boltzmann.Autoregressive.Architectures;

/// <summary>The architecture families compared in Biazzo 2023 (section IV), and the PixelCNN of VAN (Wu, Wang &amp; Zhang 2019).</summary>
public enum ArchitectureKind
{
    /// <summary>CW_N: exact finite-N Curie-Weiss network, all parameters analytic.</summary>
    CwN,
    /// <summary>CW_inf: thermodynamic-limit Curie-Weiss network, N learned weights.</summary>
    CwInf,
    /// <summary>1P: one weight per conditional times the sum of the inputs.</summary>
    OneParameter,
    /// <summary>1L: one masked linear layer.</summary>
    OneLayer,
    /// <summary>MADE_dw: d masked hidden layers of width w N.</summary>
    Made,
    /// <summary>SK_RS: replica-symmetric SK network.</summary>
    SkRs,
    /// <summary>SK_kRSB: k-step replica-symmetry-breaking SK network.</summary>
    SkKRsb,
    /// <summary>PixelCNN_d_w_k: d masked convolutions (type A, then B) of w channels and kernel 2k+1 on the spins' lattice
    /// (Wu, Wang &amp; Zhang 2019; Nicoli et al. 2020).</summary>
    PixelCnn,
}
