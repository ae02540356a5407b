using System.CommandLine;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

/// <summary>
/// The <c>boltz</c> command tree (System.CommandLine: per-command --help, typo suggestions, [suggest] completions)
/// and the one place that maps outcomes to exit codes: 0 ok, 1 failure, 2 invalid input (usage or pipeline
/// configuration), 130 cancelled.
/// </summary>
public static class BoltzCommand
{
    public static RootCommand Create() => new("boltz: the Boltzmann pipeline CLI (Monte Carlo, training, estimators, figures)")
    {
        RunCommand.Create(),
        ListCommand.Create(),
        StatusCommand.Create(),
        CancelCommand.Create(),
        ValidateCommand.Create(),
        CleanCommand.Create(),
        BenchCommand.Create(),
        DoctorCommand.Create(),
    };

    public static async Task<int> MainAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        using var cts = new CancellationTokenSource();
        // The first Ctrl+C cancels cooperatively (stages checkpoint, lock waits end); a second one means "now":
        // leaving e.Cancel false lets the runtime terminate the process at once.
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            stderr.WriteLine("boltz: cancelling (press Ctrl+C again to exit immediately)");
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // Exceptions and Ctrl+C are handled below, so they map to this CLI's exit codes rather than the library's.
        var configuration = new InvocationConfiguration
        {
            Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
        try
        {
            // "boltz help [command]" is kept as a spelling of "boltz [command] --help".
            if (args is ["help", .. var rest]) args = [.. rest, "--help"];
            var parsed = Create().Parse(args);
            if (parsed.Errors.Count > 0)
            {
                // The parse-error action prints the errors, typo suggestions and the command's help; bad input is exit 2.
                await parsed.InvokeAsync(configuration, cts.Token);
                return 2;
            }
            return await parsed.InvokeAsync(configuration, cts.Token);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"boltz: {ex.Message}");
            stderr.WriteLine("run 'boltz --help' or 'boltz <command> --help' for usage");
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
        catch (Slurm.SlurmException ex)
        {
            stderr.WriteLine($"boltz: SLURM: {ex.Message}");
            return 1;
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

    internal static PipelineLoader Loader() => new(StageCatalog.CreateRegistry());

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
