using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Training;

public class PairwiseEnergyTests
{
    [Fact]
    public void MatchesTheInstanceEnergyAndTheCurieWeissFormula()
    {
        var rng = RandomStreams.For(5, "pairwise-energy");
        var sk = SkInstance.Generate(9, ref rng, h: 0.3);
        using var energy = new PairwiseEnergy(sk);
        using var x = ExactReference.ConfigurationTensor(9);
        var h = energy.Energy(x).data<double>().ToArray();
        var spins = new sbyte[9];
        for (long c = 0; c < 512; c++)
        {
            for (int s = 0; s < 9; s++) spins[s] = (sbyte)ExactReference.Spin(c, 9, s);
            Assert.Equal(sk.Energy(spins), h[c], 1e-12);
        }

        var cw = new CurieWeissExact(9, 1.0, j: 1.3, h: -0.2);
        using var cwEnergy = new PairwiseEnergy(CurieWeissPairwise.Create(9, 1.3, -0.2));
        var hc = cwEnergy.Energy(x).data<double>().ToArray();
        for (long c = 0; c < 512; c++)
        {
            int up = 0;
            for (int s = 0; s < 9; s++) up += ExactReference.Spin(c, 9, s) > 0 ? 1 : 0;
            Assert.Equal(cw.EnergyOfUp(up), hc[c], 1e-12);
        }
    }
}
