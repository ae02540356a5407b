namespace Boltzmann.Physics.Exact;

/// <summary>
/// Row-to-row transfer matrix of the 2D Ising model H = −Σ_⟨ij⟩ s_i s_j on a periodic L × T torus (rows of L spins,
/// T rows, 2LT bonds), evaluated exactly by matrix powers: Z = Tr 𝒯^T with the symmetric
/// 𝒯[a,b] = e^{(K/2) E_row(a)} e^{K Σ_i a_i b_i} e^{(K/2) E_row(b)}, E_row(a) = Σ_i a_i a_{i+1}. Derivatives come
/// from the cyclic product rule, Tr(A₁…A_T) with one or two factors replaced by their derivatives, so ⟨H⟩, Var H
/// and the magnetisation moment ⟨m²⟩ = ⟨(Σ s / N)²⟩ (the structure-factor reference of Li and Wang, "Neural Network
/// Renormalization Group", arXiv:1802.02840) are exact without finite differences. ⟨m²⟩ uses the field
/// generating function Z(h) = Tr (D_h 𝒯)^T, D_h = diag(e^{h M_row}), and ⟨M²⟩ = Z''(0)/Z(0) since Z'(0) = 0.
/// It is the independent check of Kaufman's formula (<see cref="IsingExact"/>) at L ≤ 8: cost O(T 8^L).
/// </summary>
public static class IsingTransferMatrix
{
    public const int MaxRowLength = 10;

    /// <summary>Exact ln Z, ⟨H⟩/N, C/N and ⟨m²⟩ of the periodic L × L lattice.</summary>
    public static IsingTransferMatrixResult Evaluate(int l, double beta) => Evaluate(l, l, beta);

    /// <summary>Exact ln Z, ⟨H⟩/N, C/N and ⟨m²⟩ of the periodic L × T lattice (rows of length L, T rows).</summary>
    public static IsingTransferMatrixResult Evaluate(int l, int t, double beta)
    {
        if (l < 1 || l > MaxRowLength) throw new ArgumentOutOfRangeException(nameof(l), l, $"Row length must be in 1..{MaxRowLength}.");
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), t, "Number of rows must be positive.");
        int d = 1 << l;
        var rowBond = new double[d];   // Σ_i a_i a_{i+1}, periodic in the row
        var rowMag = new double[d];    // Σ_i a_i
        for (int a = 0; a < d; a++)
        {
            int e = 0, mag = 0;
            for (int i = 0; i < l; i++)
            {
                int si = Spin(a, i), sj = Spin(a, (i + 1) % l);
                e += si * sj; mag += si;
            }
            rowBond[a] = e; rowMag[a] = mag;
        }
        // Bond count per transfer step (−H contribution): B[a,b] = E_row(a)/2 + E_row(b)/2 + Σ a_i b_i.
        var bonds = new double[d * d];
        double maxBond = double.NegativeInfinity;
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                int inter = l - 2 * System.Numerics.BitOperations.PopCount((uint)(a ^ b));
                double v = 0.5 * (rowBond[a] + rowBond[b]) + inter;
                bonds[a * d + b] = v;
                maxBond = Math.Max(maxBond, v);
            }
        // 𝒯 scaled by e^{−K maxBond} so powers stay O(1); ln Z gets back T K maxBond.
        var tm = new double[d * d];
        var tm1 = new double[d * d]; // ∂𝒯/∂K
        var tm2 = new double[d * d]; // ∂²𝒯/∂K²
        for (int i = 0; i < d * d; i++)
        {
            double w = Math.Exp(beta * (bonds[i] - maxBond));
            tm[i] = w; tm1[i] = bonds[i] * w; tm2[i] = bonds[i] * bonds[i] * w;
        }
        // Powers P_k = 𝒯^k, k = 0..t.
        var powers = new double[t + 1][];
        powers[0] = Identity(d);
        for (int k = 1; k <= t; k++) powers[k] = Multiply(powers[k - 1], tm, d);
        double z = Trace(powers[t], d);

        // Z' = T Tr(𝒯' P_{T−1});  Z'' = T Tr(𝒯'' P_{T−1}) + T Σ_{j=1}^{T−1} Tr(𝒯' P_{j−1} 𝒯' P_{T−1−j}).
        double z1 = t * TraceOfProduct(tm1, powers[t - 1], d);
        double z2 = t * TraceOfProduct(tm2, powers[t - 1], d);
        if (t > 1)
        {
            for (int j = 1; j <= t - 1; j++)
            {
                var a = Multiply(tm1, powers[j - 1], d);
                var b = Multiply(tm1, powers[t - 1 - j], d);
                z2 += t * TraceOfProduct(a, b, d);
            }
        }
        // Field: A' = M 𝒯, A'' = M² 𝒯 with M = diag(row magnetisation).
        // Z_h'' = T Tr(M² P_T) + T Σ_{j=1}^{T−1} Tr(M P_j M P_{T−j}).
        double zh2 = 0;
        for (int a = 0; a < d; a++) zh2 += rowMag[a] * rowMag[a] * powers[t][a * d + a];
        zh2 *= t;
        for (int j = 1; j <= t - 1; j++)
        {
            var pj = powers[j]; var pr = powers[t - j];
            double s = 0;
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                    s += rowMag[a] * pj[a * d + b] * rowMag[b] * pr[b * d + a];
            zh2 += t * s;
        }

        double n = (double)l * t;
        double lnZ = Math.Log(z) + t * beta * maxBond;
        // tm1, tm2 carry the full bond count (not the shifted one), so z1/z = Z'/Z and z2/z = Z''/Z exactly.
        double dLn = z1 / z;
        double var = z2 / z - (z1 / z) * (z1 / z);
        double m2 = zh2 / z / (n * n);
        return new IsingTransferMatrixResult(lnZ, -dLn / n, beta * beta * var / n, m2);
    }

    private static int Spin(int state, int i) => ((state >> i) & 1) == 0 ? 1 : -1;

    private static double[] Identity(int d)
    {
        var m = new double[d * d];
        for (int i = 0; i < d; i++) m[i * d + i] = 1;
        return m;
    }

    private static double[] Multiply(double[] a, double[] b, int d)
    {
        var c = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            var ci = c.AsSpan(i * d, d);
            for (int k = 0; k < d; k++)
            {
                double aik = a[i * d + k];
                if (aik == 0) continue;
                var bk = b.AsSpan(k * d, d);
                for (int j = 0; j < d; j++) ci[j] += aik * bk[j];
            }
        }
        return c;
    }

    private static double Trace(double[] a, int d)
    {
        double s = 0;
        for (int i = 0; i < d; i++) s += a[i * d + i];
        return s;
    }

    // Tr(A B) = Σ_ij A_ij B_ji.
    private static double TraceOfProduct(double[] a, double[] b, int d)
    {
        double s = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                s += a[i * d + j] * b[j * d + i];
        return s;
    }
}
