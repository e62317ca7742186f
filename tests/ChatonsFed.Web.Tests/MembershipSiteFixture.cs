using System.Text.Json.Nodes;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// A small federation with membership: five real chaton nodes on 127.0.0.2 to 127.0.0.6, and one aggregator on
/// 127.0.0.7 whose trust roots are Alouette (by its handle) and Blaireau (by its actor URL), quorum 2. Before the
/// aggregator starts, the roots endorse Castor (admitted, 2 endorsements), Alouette endorses Dauphin (a candidate), both
/// endorse Fouine, and Blaireau revokes its endorsement of Fouine (revoked); the aggregator's poll at start reads it all.
/// </summary>
public sealed class MembershipSiteFixture : IAsyncLifetime
{
    private ChatonNodes _chatons = null!;

    internal TestAggregator Aggregator { get; private set; } = null!;

    /// <summary>The aggregator's origin, e.g. <c>http://127.0.0.7:PORT</c>.</summary>
    public string Origin => Aggregator.PublicUrl;

    public ChatonNode Alouette => _chatons[0];

    public ChatonNode Blaireau => _chatons[1];

    public ChatonNode Castor => _chatons[2];

    public ChatonNode Dauphin => _chatons[3];

    public ChatonNode Fouine => _chatons[4];

    public IReadOnlyList<ChatonNode> Chatons => _chatons.Nodes;

    public async Task InitializeAsync()
    {
        _chatons = await ChatonNodes.StartAsync([("alouette", "Alouette"), ("blaireau", "Blaireau"), ("castor", "Castor"), ("dauphin", "Dauphin"), ("fouine", "Fouine")]);
        await Alouette.EndorseAsync(Castor.Mention);
        await Blaireau.EndorseAsync(Castor.Mention);
        await Alouette.EndorseAsync(Dauphin.Mention);
        await Alouette.EndorseAsync(Fouine.Mention);
        var revoked = await Blaireau.EndorseAsync(Fouine.Mention);
        await Blaireau.RevokeAsync(revoked.Id);

        Aggregator = await _chatons.StartAggregatorAsync(7, [Alouette.Acct, Blaireau.ActorId], quorum: 2, s => s["FollowChatons"] = false);
        string[] expected = ["admitted", "admitted", "admitted", "candidate", "revoked"];
        await TestHost.WaitForAsync(async () => (await Task.WhenAll(Chatons.Select(StatusAsync))).SequenceEqual(expected), 30, "the poll at start computed every chaton's admission");
    }

    /// <summary>The chaton's admission status in the directory API, or null when it is not listed (yet).</summary>
    public async Task<string?> StatusAsync(ChatonNode chaton)
    {
        ArgumentNullException.ThrowIfNull(chaton);
        var entry = await Aggregator.EntryAsync(chaton.ActorId);
        return (entry?["admission"] as JsonObject)?["status"]?.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        // Either may be missing when the start failed half-way.
        if (Aggregator is not null)
        {
            await Aggregator.DisposeAsync();
        }

        if (_chatons is not null)
        {
            await _chatons.DisposeAsync();
        }
    }
}
