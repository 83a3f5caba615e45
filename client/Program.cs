using GrantSim.Client.Commands;
using Spectre.Console.Cli;

var app = new CommandApp<SimulateCommand>();
app.Configure(config =>
{
    config.SetApplicationName("grantsim");
    config.AddCommand<SimulateCommand>("simulate")
        .WithDescription("Run a seeded multi-tenant simulation on an embedded silo and check every invariant (the default).");
});
return await app.RunAsync(args);
