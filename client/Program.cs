using GrantSim.Client.Commands;
using Spectre.Console.Cli;

var app = new CommandApp<SimulateCommand>();
app.Configure(config =>
{
    config.SetApplicationName("grantsim");
    config.AddCommand<SimulateCommand>("simulate")
        .WithDescription("Run a seeded multi-tenant simulation on an embedded silo and check every invariant (the default).");
    config.AddCommand<DemoCommand>("demo")
        .WithDescription("A narrated walk through the ECR and KMS grant lifecycle, showing every KMS call as it happens.")
        .WithExample("demo")
        .WithExample("demo", "--lesson", "4", "--no-pause")
        .WithExample("demo", "--no-pause", "--markdown", "walkthrough.md");
    config.AddCommand<TrailCommand>("trail")
        .WithDescription("Print the audit trail of an account and region (filters: --repository, --key, --event, --errors), as a table or --json.")
        .WithExample("trail", "--repository", "demo/app")
        .WithExample("trail", "--event", "CreateGrant", "--json");
    config.AddCommand<BenchCommand>("bench")
        .WithDescription("Measure GrantSim against the ceilings of this machine (grain calls, AES-256-GCM): KMS through grants, the data path, scale. Use -c Release.")
        .WithExample("bench", "--json", "bench.json")
        .WithExample("bench", "--part", "kms,data", "--runs", "5");
    config.AddCommand<ChaosCommand>("chaos")
        .WithDescription("Break things on purpose (silos, KMS, grants, keys) in named, seeded scenarios; report what was lost (nothing) and leaked (nothing).")
        .WithExample("chaos", "--scenario", "all", "--seed", "7")
        .WithExample("chaos", "--scenario", "kms-throttle", "--operations", "1000", "--report", "reports/throttle");
});
return await app.RunAsync(args);
