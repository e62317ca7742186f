using ChatonsFed.Aggregator.Verification;
using LiteDB;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>The store's bounded log of refusals, in one LiteDB collection: past its capacity, the oldest go first.</summary>
internal sealed class DiagnosticsLog
{
    private readonly ILiteCollection<DiagnosticRecord> _records;
    private readonly int _capacity;

    public DiagnosticsLog(ILiteCollection<DiagnosticRecord> records, int capacity)
    {
        _records = records;
        _capacity = capacity;
        _records.EnsureIndex(d => d.ActorId);
    }

    /// <summary>Logs each of <paramref name="refusals"/> about the chaton <paramref name="actorId"/>, at <paramref name="at"/>.</summary>
    public void Record(string? actorId, IReadOnlyList<DocumentRejection> refusals, DateTimeOffset at)
    {
        foreach (var refusal in refusals)
        {
            var id = _records.Insert(new DiagnosticRecord
            {
                At = at.UtcTicks,
                ActorId = actorId,
                DocumentId = refusal.DocumentId,
                Kind = refusal.Kind,
                Reason = refusal.Reason,
                Message = refusal.Message,
            }).AsInt32;
            if (id > _capacity)
            {
                var cutoff = id - _capacity;
                _records.DeleteMany(d => d.Id <= cutoff);
            }
        }
    }

    /// <summary>The latest refusals, newest first, of one chaton or of all.</summary>
    public IReadOnlyList<DirectoryDiagnostic> Latest(string? actorId, int limit)
    {
        var query = _records.Query();
        if (actorId is not null)
        {
            query = query.Where(d => d.ActorId == actorId);
        }

        return [.. query.OrderByDescending(d => d.Id).Limit(limit).ToEnumerable().Select(d => new DirectoryDiagnostic(
            d.Id, new DateTimeOffset(d.At, TimeSpan.Zero), d.ActorId, d.Kind, d.DocumentId, d.Reason, d.Message))];
    }
}
