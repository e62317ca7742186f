using BenchmarkDotNet.Running;
using ChatonsFed.Benchmarks;

// Run: dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ProofBenchmarks).Assembly).Run(args);
