namespace ChatonsFed.Architecture.Tests;

/// <summary>The checkers themselves, on made-up graphs: each rule is reported when broken, directly or through a chain.</summary>
public sealed class RuleCheckerTests
{
    private static Dictionary<string, IReadOnlyCollection<string>> Layered() => new(StringComparer.Ordinal)
    {
        ["chatonsfed"] = ["ChatonsFed.Node", "ChatonsFed.Aggregator", "ChatonsFed.Hosting"],
        ["ChatonsFed.Node"] = ["ChatonsFed.Hosting", "ChatonsFed.Directory", "Microsoft.AspNetCore.Http"],
        ["ChatonsFed.Aggregator"] = ["ChatonsFed.Hosting", "ChatonsFed.Directory"],
        ["ChatonsFed.Hosting"] = ["ChatonsFed.Federation", "Microsoft.AspNetCore.Hosting"],
        ["ChatonsFed.Federation"] = ["ChatonsFed.Protocol"],
        ["ChatonsFed.Directory"] = ["ChatonsFed.Protocol"],
        ["ChatonsFed.Protocol"] = ["System.Runtime"],
    };

    [Fact]
    public void LayeredGraphBreaksNoRule() => Assert.Empty(DependencyRules.Violations(Layered()));

    [Theory]
    [InlineData("ChatonsFed.Node", "ChatonsFed.Aggregator", "the node never depends on the aggregator")]
    [InlineData("ChatonsFed.Aggregator", "ChatonsFed.Node", "the aggregator never depends on the node")]
    [InlineData("ChatonsFed.Hosting", "ChatonsFed.Node", "hosting depends on neither role")]
    [InlineData("ChatonsFed.Hosting", "ChatonsFed.Aggregator", "hosting depends on neither role")]
    [InlineData("ChatonsFed.Protocol", "Microsoft.AspNetCore.Http.Abstractions", "ChatonsFed.Protocol uses no ASP.NET Core")]
    [InlineData("ChatonsFed.Directory", "Microsoft.AspNetCore.App", "ChatonsFed.Directory uses no ASP.NET Core")]
    [InlineData("ChatonsFed.Federation", "ChatonsFed.Server", "ChatonsFed.Server is gone")]
    public void DirectReferenceBreaksTheRule(string from, string to, string rule)
    {
        var graph = Layered();
        graph[from] = [.. graph[from], to];
        Assert.Contains(DependencyRules.Violations(graph), v => v.StartsWith(rule, StringComparison.Ordinal) && v.Contains($"{from} -> {to}", StringComparison.Ordinal));
    }

    [Fact]
    public void ChainOfReferencesBreaksTheRule()
    {
        // Node -> Hosting -> Federation -> Aggregator: the node reaches the aggregator without naming it.
        var graph = Layered();
        graph["ChatonsFed.Federation"] = [.. graph["ChatonsFed.Federation"], "ChatonsFed.Aggregator"];
        var violations = DependencyRules.Violations(graph);
        Assert.Contains("the node never depends on the aggregator, but ChatonsFed.Node -> ChatonsFed.Hosting -> ChatonsFed.Federation -> ChatonsFed.Aggregator", violations);
        Assert.Contains("hosting depends on neither role, but ChatonsFed.Hosting -> ChatonsFed.Federation -> ChatonsFed.Aggregator", violations);
    }

    [Fact]
    public void AspNetCoreReachedThroughAnotherProjectBreaksTheRule()
    {
        var graph = Layered();
        graph["ChatonsFed.Directory"] = [.. graph["ChatonsFed.Directory"], "ChatonsFed.Hosting"];
        Assert.Contains("ChatonsFed.Directory uses no ASP.NET Core, but ChatonsFed.Directory -> ChatonsFed.Hosting -> Microsoft.AspNetCore.Hosting", DependencyRules.Violations(graph));
    }

    [Fact]
    public void CyclesEndTheSearch()
    {
        var graph = Layered();
        graph["ChatonsFed.Protocol"] = ["ChatonsFed.Directory"];
        Assert.Empty(DependencyRules.Violations(graph));
    }

    [Fact]
    public void DiagramEdgesAreReadByLabel()
    {
        const string markdown = """
            Text before.

            ```mermaid
            graph TD
              %% a comment
              Cli[ChatonsFed.Cli] --> Node[ChatonsFed.Node]
              Node --> Hosting[ChatonsFed.Hosting]
              Protocol[ChatonsFed.Protocol]
              Hosting --> Protocol
            ```
            """;
        Assert.Equal(
            new HashSet<string>(["ChatonsFed.Cli --> ChatonsFed.Node", "ChatonsFed.Node --> ChatonsFed.Hosting", "ChatonsFed.Hosting --> ChatonsFed.Protocol"]),
            DependencyGraphs.MermaidEdges(markdown));
    }

    [Fact]
    public void DiagramThatDiffersFromTheProjectsIsSeen()
    {
        var projects = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            ["ChatonsFed.Node"] = ["ChatonsFed.Hosting", "Microsoft.AspNetCore.App"],
            ["ChatonsFed.Hosting"] = ["ChatonsFed.Protocol"],
            ["ChatonsFed.Protocol"] = [],
        };
        var drawn = DependencyGraphs.MermaidEdges("```mermaid\ngraph TD\n  ChatonsFed.Node --> ChatonsFed.Protocol\n  ChatonsFed.Hosting --> ChatonsFed.Protocol\n```\n");
        var actual = DependencyGraphs.ProjectEdges(projects);
        Assert.Equal(["ChatonsFed.Node --> ChatonsFed.Hosting"], actual.Except(drawn));
        Assert.Equal(["ChatonsFed.Node --> ChatonsFed.Protocol"], drawn.Except(actual));
    }

    [Fact]
    public void DocumentWithoutDiagramIsRefused() =>
        Assert.Throws<InvalidDataException>(() => DependencyGraphs.MermaidEdges("# Architecture\n\nNo diagram here.\n"));
}
