using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Node.Tests;

/// <summary>Every log message of the shipped assemblies has its own event id, in the range of its area.</summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] Shipped =
    [
        typeof(ChatonsFed.Hosting.NodeHost).Assembly,
        typeof(NodeRole).Assembly,
        typeof(Aggregator.AggregatorRole).Assembly,
        typeof(Federation.Delivery.DeliveryWorker).Assembly,
        typeof(Cli.HostRoles).Assembly,
    ];

    private static List<(string Method, int Id)> Messages() =>
        [.. Shipped.SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.FullName}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(found => found.Attribute is not null)
            .Select(found => (found.Method, found.Attribute!.EventId))];

    [Fact]
    public void Event_ids_are_set_and_unique()
    {
        var messages = Messages();
        Assert.True(messages.Count >= 10, $"only {messages.Count} log messages found");
        Assert.Empty(messages.Where(m => m.Id <= 0).Select(m => m.Method));
        var duplicates = messages.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Event_ids_are_grouped_by_area()
    {
        // 1xxx operations, 2xxx inbox (Hosting), 3xxx delivery (Federation), 4xxx aggregator crawl, membership admission, notes and service observatory, 5xxx admin API and store.
        // A log message in any other namespace fails: its area is to be chosen and added here.
        foreach (var (method, id) in Messages())
        {
            var area = method switch
            {
                _ when method.StartsWith("ChatonsFed.Hosting.Inbox.", StringComparison.Ordinal) => 2,
                _ when method.StartsWith("ChatonsFed.Federation.Delivery.", StringComparison.Ordinal) => 3,
                _ when method.StartsWith("ChatonsFed.Aggregator.Aggregation.", StringComparison.Ordinal) => 4,
                _ when method.StartsWith("ChatonsFed.Aggregator.Trust.", StringComparison.Ordinal) => 4,
                _ when method.StartsWith("ChatonsFed.Aggregator.News.", StringComparison.Ordinal) => 4,
                _ when method.StartsWith("ChatonsFed.Aggregator.Observatory.", StringComparison.Ordinal) => 4,
                _ when method.StartsWith("ChatonsFed.Hosting.Operations.", StringComparison.Ordinal) => 1,
                _ when method.StartsWith("ChatonsFed.Hosting.Admin.", StringComparison.Ordinal) => 5,
                _ when method.StartsWith("ChatonsFed.Hosting.Storage.", StringComparison.Ordinal) => 5,
                _ => -1,
            };
            Assert.True(id / 1000 == area, area < 0 ? $"{method} (event id {id}) is in no log area" : $"{method} has event id {id}, outside its area's {area}xxx");
        }
    }
}
