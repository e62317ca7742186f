using ChatonsFed.Protocol.Tests;

namespace ChatonsFed.Architecture.Tests;

/// <summary>The projects as built and as documented follow the dependency rules of docs/architecture.md.</summary>
public sealed class ArchitectureTests
{
    private static string SrcFolder => RepositoryFiles.InRepository("src");

    private static string ArchitectureDocument => RepositoryFiles.InRepository("docs", "architecture.md");

    [Fact]
    public void CompiledAssembliesFollowTheRules()
    {
        var graph = DependencyGraphs.Assemblies();
        Assert.Contains(DependencyRules.Node, graph.Keys);
        Assert.Contains(DependencyRules.Aggregator, graph.Keys);
        Assert.Contains(DependencyRules.Hosting, graph.Keys);
        Assert.Empty(DependencyRules.Violations(graph));
    }

    [Fact]
    public void ProjectFilesFollowTheRules()
    {
        var graph = DependencyGraphs.Projects(SrcFolder);
        Assert.Contains(DependencyRules.Protocol, graph.Keys);
        Assert.Contains(DependencyRules.Directory, graph.Keys);
        Assert.DoesNotContain(DependencyRules.RemovedServer, graph.Keys);
        Assert.Empty(DependencyRules.Violations(graph));
    }

    [Fact]
    public void DiagramShowsExactlyTheProjectReferences()
    {
        var actual = DependencyGraphs.ProjectEdges(DependencyGraphs.Projects(SrcFolder));
        var drawn = DependencyGraphs.MermaidEdges(File.ReadAllText(ArchitectureDocument));
        Assert.Empty(actual.Except(drawn).Select(e => "missing from docs/architecture.md: " + e).Concat(drawn.Except(actual).Select(e => "drawn but not referenced: " + e)));
    }
}
