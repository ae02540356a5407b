using Boltzmann.Cli;

// boltz: the Boltzmann pipeline CLI. Exit codes: 0 ok, 1 failure, 2 invalid input (usage or
// pipeline configuration), 130 cancelled (Ctrl+C; rerun resumes from the last checkpoint).
return await BoltzCommand.MainAsync(args, Console.Out, Console.Error);
