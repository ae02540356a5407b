using Boltzmann.Cli.Slurm;
using Boltzmann.Data.Cache;

namespace Boltzmann.Cli.Tests;

/// <summary>
/// The squeue answer behind the cache lock's dead-holder check: end states and "not found" are dead, every state a
/// job's processes may still run in is alive, and a squeue that is missing or fails otherwise is unknown (alive).
/// </summary>
public class SqueueJobLivenessTests
{
    [Theory]
    [InlineData(0, "RUNNING\n", "", JobLiveness.Alive)]
    [InlineData(0, "PENDING\n", "", JobLiveness.Alive)]
    [InlineData(0, "COMPLETING\n", "", JobLiveness.Alive)]   // processes still being cleaned up: may hold the lock
    [InlineData(0, "SUSPENDED\n", "", JobLiveness.Alive)]
    [InlineData(0, "STOPPED\n", "", JobLiveness.Alive)]      // stopped processes still hold their locks
    [InlineData(0, "COMPLETED\n", "", JobLiveness.Dead)]
    [InlineData(0, "CANCELLED\n", "", JobLiveness.Dead)]
    [InlineData(0, "NODE_FAIL\n", "", JobLiveness.Dead)]
    [InlineData(0, "TIMEOUT\n", "", JobLiveness.Dead)]
    [InlineData(0, "", "", JobLiveness.Dead)]                // no longer listed (ended more than MinJobAge ago)
    [InlineData(1, "", "slurm_load_jobs error: Invalid job id specified\n", JobLiveness.Dead)]
    [InlineData(1, "", "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n", JobLiveness.Unknown)]
    public void AnAnswerMeansWhatItSays(int code, string stdout, string stderr, JobLiveness expected) =>
        Assert.Equal(expected, SqueueJobLiveness.Interpret(code, stdout, stderr));

    [Fact]
    public void AMissingSqueueIsUnknownSoTheHolderCountsAsAlive() =>
        Assert.Equal(JobLiveness.Unknown, new SqueueJobLiveness("/nonexistent/bin/squeue").Probe("777"));

    [Fact]
    public void SqueueIsAskedForTheOneJobsStateWithoutAHeader()
    {
        if (OperatingSystem.IsWindows()) return; // a shell-script stand-in for squeue; SLURM runs on Unix only
        using var dir = new TempDirectory();
        var args = dir.Combine("args");
        var squeue = dir.Combine("squeue");
        File.WriteAllText(squeue, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{args}'\necho FAILED\n");
        File.SetUnixFileMode(squeue, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(JobLiveness.Dead, new SqueueJobLiveness(squeue).Probe("777"));
        Assert.Equal(["-h", "-j", "777", "-o", "%T"], File.ReadAllLines(args));
    }
}
