using BenchmarkDotNet.Running;
using ChatonsFed.Benchmarks;

// Run: dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- --filter '*'
// The aggregator store's size: dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- aggregator-store [count]
if (args is ["aggregator-store", ..])
{
    AggregatorStoreMeasurement.Run(args);
    return;
}

// The store's part of a rebuild, without the network: dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- aggregator-apply [count] [batch]
if (args is ["aggregator-apply", ..])
{
    AggregatorStoreMeasurement.RunApply(args);
    return;
}

// What verifying one document costs, step by step: dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- verify-parts [count]
if (args is ["verify-parts", ..])
{
    VerifyPartsMeasurement.Run(args);
    return;
}

// The rebuild of a loopback fleet: dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- aggregator-rebuild [count] [rounds]
if (args is ["aggregator-rebuild", ..])
{
    await AggregatorRebuildMeasurement.RunAsync(args);
    return;
}

// What membership adds to that rebuild: dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- aggregator-membership [count] [rounds]
if (args is ["aggregator-membership", ..])
{
    await AggregatorMembershipMeasurement.RunAsync(args);
    return;
}

// One round of the service observatory over loopback hosts: dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- observatory [count] [hosts] [rounds]
if (args is ["observatory", ..])
{
    await ObservatoryMeasurement.RunAsync(args);
    return;
}

// The static fleet of fleet.sh, its Ed25519 floor and the check of what an aggregator made of it (see FleetFiles):
//   fleet-generate DIR COUNT http://HOST:PORT [TAMPERED] | fleet-verify-floor SIGNATURES [THREADS] | fleet-check DIR AGGREGATOR_URL
if (args is ["fleet-generate", ..])
{
    Environment.ExitCode = await FleetFiles.GenerateAsync(args);
    return;
}

if (args is ["fleet-verify-floor", ..])
{
    Environment.ExitCode = FleetFiles.VerifyFloor(args);
    return;
}

if (args is ["fleet-check", ..])
{
    Environment.ExitCode = await FleetFiles.CheckAsync(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ProofBenchmarks).Assembly).Run(args);
