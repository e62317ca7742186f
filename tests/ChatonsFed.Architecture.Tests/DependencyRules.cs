namespace ChatonsFed.Architecture.Tests;

/// <summary>
/// The rules between the projects, checked on a dependency graph (name → names it references directly), whether the
/// graph comes from the compiled assemblies or from the project files. A rule holds through any chain of references.
/// </summary>
internal static class DependencyRules
{
    public const string Protocol = "ChatonsFed.Protocol";
    public const string Directory = "ChatonsFed.Directory";
    public const string Hosting = "ChatonsFed.Hosting";
    public const string Node = "ChatonsFed.Node";
    public const string Aggregator = "ChatonsFed.Aggregator";
    public const string RemovedServer = "ChatonsFed.Server";

    /// <summary>Every broken rule, one line each naming the chain of references that breaks it; empty when all hold.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<string, IReadOnlyCollection<string>> graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var violations = new List<string>();
        Forbid(graph, Node, name => name == Aggregator, "the node never depends on the aggregator", violations);
        Forbid(graph, Aggregator, name => name == Node, "the aggregator never depends on the node", violations);
        Forbid(graph, Hosting, name => name is Node or Aggregator, "hosting depends on neither role", violations);
        foreach (var pure in new[] { Protocol, Directory })
        {
            Forbid(graph, pure, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal), $"{pure} uses no ASP.NET Core", violations);
        }

        foreach (var name in graph.Keys.Order(StringComparer.Ordinal))
        {
            Forbid(graph, name, other => other == RemovedServer, $"{RemovedServer} is gone; nothing references it", violations);
        }

        return violations;
    }

    /// <summary>The shortest chain of references from <paramref name="from"/> to a name <paramref name="forbidden"/> accepts, or null.</summary>
    public static IReadOnlyList<string>? PathTo(IReadOnlyDictionary<string, IReadOnlyCollection<string>> graph, string from, Func<string, bool> forbidden)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(forbidden);
        var previous = new Dictionary<string, string>(StringComparer.Ordinal) { [from] = string.Empty };
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var next in graph.TryGetValue(current, out var references) ? references : [])
            {
                if (!previous.TryAdd(next, current))
                {
                    continue;
                }

                if (forbidden(next))
                {
                    var path = new List<string> { next };
                    for (var step = current; step.Length > 0; step = previous[step])
                    {
                        path.Insert(0, step);
                    }

                    return path;
                }

                queue.Enqueue(next);
            }
        }

        return null;
    }

    private static void Forbid(IReadOnlyDictionary<string, IReadOnlyCollection<string>> graph, string from, Func<string, bool> forbidden, string rule, List<string> violations)
    {
        if (graph.ContainsKey(from) && PathTo(graph, from, forbidden) is { } path)
        {
            violations.Add($"{rule}, but {string.Join(" -> ", path)}");
        }
    }
}
