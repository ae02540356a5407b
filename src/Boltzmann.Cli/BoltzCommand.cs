using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

/// <summary>The commands of <c>boltz</c>; each parses its options strictly and calls tested library code.</summary>
public static class BoltzCommand
{
    public const string Usage = """
        usage: boltz <command> [options]

          run <pipeline|all> [--stage S]... [--until generate|train|evaluate|figures]
                             [--profile smoke|default|paper] [--force] [--device auto|cpu|cuda]
                             run stages (cached ones are reused); --force recomputes the selected stages
          list               pipelines, their stages and stage kinds
          status <pipeline|all> [--profile P]
                             which stages are cached, their keys and sizes
          validate <pipeline|all|file.json> [--profile P]
                             check a pipeline file (all profiles unless --profile)
          clean [--work] [--all]
                             --work: only interrupted work directories; default: cache + artifacts
          bench [--quick]    throughput figures (spin flips/s, Parquet bytes/spin, read/write rates, RealNVP, ARNN)
          bench --pipeline NAME [--profile P]
                             end-to-end wall time of a pipeline from an empty (temporary) cache
          doctor             environment check: TorchSharp native library, device, fonts, cache
        """;

    public static async Task<int> MainAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help") { stdout.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
            var rest = args[1..];
            return args[0] switch
            {
                "run" => await RunCommand.ExecuteAsync(rest, stdout, cts.Token),
                "list" => ListCommand.Execute(rest, stdout),
                "status" => StatusCommand.Execute(rest, stdout),
                "validate" => ValidateCommand.Execute(rest, stdout),
                "clean" => CleanCommand.Execute(rest, stdout),
                "bench" => BenchCommand.Execute(rest, stdout, cts.Token),
                "doctor" => DoctorCommand.Execute(rest, stdout),
                _ => throw new UsageException($"unknown command \"{args[0]}\""),
            };
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"boltz: {ex.Message}");
            stderr.WriteLine(Usage);
            return 2;
        }
        catch (PipelineConfigException ex)
        {
            stderr.WriteLine($"boltz: invalid pipeline configuration ({ex.Errors.Count} error(s)); nothing was run or written:");
            foreach (var e in ex.Errors) stderr.WriteLine($"  {e}");
            return 2;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            stderr.WriteLine("boltz: cancelled; completed stages stay cached and an interrupted stage resumes from its last checkpoint on the next run.");
            return 130;
        }
        catch (StageInputException ex)
        {
            stderr.WriteLine($"boltz: {ex.Message}");
            return 2;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"boltz: failed: {ex.Message}");
            if (Environment.GetEnvironmentVariable("BOLTZMANN_DEBUG") is { Length: > 0 }) stderr.WriteLine(ex);
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    internal static string Profile(CliArguments a)
    {
        var p = a.Option("profile") ?? Profiles.Default;
        if (!Profiles.All.Contains(p)) throw new UsageException($"--profile \"{p}\" is not allowed; must be one of {string.Join(", ", Profiles.All)}");
        return p;
    }

    internal static string Single(CliArguments a, string what)
    {
        if (a.Positional.Count != 1) throw new UsageException($"expected exactly one {what}, got {a.Positional.Count}");
        return a.Positional[0];
    }

    internal static PipelineLoader Loader() => new(StageCatalog.CreateRegistry());

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
