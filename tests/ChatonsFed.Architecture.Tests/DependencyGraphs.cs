using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ChatonsFed.Architecture.Tests;

/// <summary>The real dependency graphs: the compiled assemblies' references, the src projects' ProjectReference items, the diagram's edges.</summary>
internal static partial class DependencyGraphs
{
    /// <summary>
    /// The references of every ChatonsFed assembly beside the tests, followed from the command line's: each to all it
    /// references, framework assemblies included (as leaves). Only references the code uses are compiled in.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Assemblies()
    {
        var graph = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        var queue = new Queue<AssemblyName>([new AssemblyName("chatonsfed")]);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (graph.ContainsKey(name.Name!))
            {
                continue;
            }

            var references = Assembly.Load(name).GetReferencedAssemblies();
            graph[name.Name!] = [.. references.Select(r => r.Name!)];
            foreach (var reference in references.Where(r => r.Name!.StartsWith("ChatonsFed.", StringComparison.Ordinal)))
            {
                queue.Enqueue(reference);
            }
        }

        return graph;
    }

    /// <summary>
    /// The src projects by name, each to the projects it references and to the shared frameworks it uses
    /// (<c>FrameworkReference</c>, e.g. Microsoft.AspNetCore.App).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Projects(string srcFolder)
    {
        var graph = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (var project in System.IO.Directory.GetFiles(srcFolder, "*.csproj", SearchOption.AllDirectories))
        {
            var xml = XDocument.Load(project);
            var projects = xml.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')));
            var frameworks = xml.Descendants("FrameworkReference").Select(r => r.Attribute("Include")!.Value);
            graph[Path.GetFileNameWithoutExtension(project)] = [.. projects.Concat(frameworks).Distinct(StringComparer.Ordinal)];
        }

        return graph;
    }

    /// <summary>The edges between ChatonsFed projects in a project graph, as "From --> To".</summary>
    public static IReadOnlySet<string> ProjectEdges(IReadOnlyDictionary<string, IReadOnlyCollection<string>> graph) =>
        graph.SelectMany(p => p.Value.Where(r => graph.ContainsKey(r)).Select(r => $"{p.Key} --> {r}")).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The edges of the first <c>mermaid</c> block holding a <c>graph</c>, as "From --> To", with each node by its label
    /// when it has one (<c>Node[ChatonsFed.Node]</c>) and by its id otherwise.
    /// </summary>
    public static IReadOnlySet<string> MermaidEdges(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var block = MermaidBlock().Matches(markdown).Select(m => m.Groups["body"].Value).FirstOrDefault(b => b.TrimStart().StartsWith("graph", StringComparison.Ordinal))
            ?? throw new InvalidDataException("no ```mermaid block with a graph");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var edges = new List<(string From, string To)>();
        foreach (var line in block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("%%", StringComparison.Ordinal)))
        {
            var edge = Edge().Match(line);
            if (!edge.Success)
            {
                // A node declared alone (Cli[ChatonsFed.Cli]) names its label.
                if (NodeText().IsMatch(line))
                {
                    Node(line, labels);
                }

                continue;
            }

            edges.Add((Node(edge.Groups["from"].Value, labels), Node(edge.Groups["to"].Value, labels)));
        }

        return edges.Select(e => $"{Label(e.From, labels)} --> {Label(e.To, labels)}").ToHashSet(StringComparer.Ordinal);
    }

    private static string Node(string text, Dictionary<string, string> labels)
    {
        var node = NodeText().Match(text.Trim());
        var id = node.Groups["id"].Value;
        if (node.Groups["label"].Success)
        {
            labels[id] = node.Groups["label"].Value.Trim().Trim('"');
        }

        return id;
    }

    private static string Label(string id, Dictionary<string, string> labels) => labels.TryGetValue(id, out var label) ? label : id;

    [GeneratedRegex(@"```mermaid\s*\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();

    [GeneratedRegex(@"^(?<from>[\w.]+(\[[^\]]*\])?)\s*-->\s*(?<to>[\w.]+(\[[^\]]*\])?)\s*;?$")]
    private static partial Regex Edge();

    [GeneratedRegex(@"^(?<id>[\w.]+)(\[(?<label>[^\]]*)\])?$")]
    private static partial Regex NodeText();
}
