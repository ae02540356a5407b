using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Arnn.Ising;

/// <summary>Parses the comma-separated architecture list of the Ising stages: paper names (MADE_dw, PixelCNN_d_w_k,
/// 1L, 1P, SK_*), each once; CW_N and CW_inf exist only for the Curie-Weiss model and are rejected.</summary>
internal static class IsingArchitectures
{
    public static string[] Parse(ParameterReader r, string key)
    {
        string text = r.String(key);
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var archs = new List<string>();
        foreach (var name in names)
        {
            try
            {
                var a = AutoregressiveArchitecture.Parse(name);
                if (a.RequiresCurieWeiss) r.Error(key, $"{a.Name} exists only for the Curie-Weiss model; use e.g. MADE_21 or PixelCNN_3_8_2 for the Ising lattice");
                else archs.Add(a.Name);
            }
            catch (FormatException e) { r.Error(key, e.Message); }
        }
        if (names.Length == 0) r.Error(key, "no architecture given; must be a comma-separated list such as \"MADE_21, PixelCNN_3_8_2\"");
        if (archs.Distinct().Count() != archs.Count) r.Error(key, "an architecture is listed twice");
        return archs.ToArray();
    }
}
