using System.Reflection;
using Boltzmann.Data.Cache;

namespace Boltzmann.Data.Tests.Cache;

public sealed class PackageVersionsTests
{
    [Fact]
    public void Loaded_assemblies_are_reported_with_their_informational_version()
    {
        var xunitCore = typeof(FactAttribute).Assembly;
        // Only loaded assemblies are reported: make sure System.Text.Json is loaded whatever ran before.
        _ = typeof(System.Text.Json.JsonSerializer).Assembly;
        var expected = xunitCore.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var versions = PackageVersions.FromLoadedAssemblies(["XUNIT.CORE", "System.Text.Json", "No.Such.Assembly"]);
        Assert.Equal(expected, versions["xunit.core"]);
        Assert.StartsWith("10.", versions["System.Text.Json"]);
        Assert.False(versions.ContainsKey("No.Such.Assembly"));
        Assert.Equal(2, versions.Count);
    }

    [Fact]
    public void Trailing_star_matches_a_prefix()
    {
        _ = typeof(ArtifactCache);
        var versions = PackageVersions.FromLoadedAssemblies(["Boltzmann.*"]);
        Assert.Contains("Boltzmann.Data", versions.Keys);
        Assert.Contains("Boltzmann.Data.Tests", versions.Keys);
        Assert.All(versions.Keys, k => Assert.StartsWith("Boltzmann.", k));
    }

    [Fact]
    public void Runtime_version_names_dotnet()
    {
        Assert.StartsWith(".NET ", PackageVersions.RuntimeVersion);
        Assert.Contains(Environment.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture), PackageVersions.RuntimeVersion);
    }
}
