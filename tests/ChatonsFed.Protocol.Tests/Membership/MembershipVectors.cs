using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>tests/vectors/membership.json: fetching an actor id returns actors[id], a status list URL statusLists[url].document.</summary>
internal static class MembershipVectors
{
    private static readonly Lazy<JsonObject> Root = new(() => RepositoryFiles.LoadVector("membership.json").AsObject());

    public static JsonObject File => Root.Value;

    public static DateTimeOffset Now => Instant(File["now"]!.GetValue<string>());

    public const string ChatonA = "https://chaton-a.example/actor";
    public const string ChatonB = "https://chaton-b.example/actor";
    public const string StatusListUrl = "https://chaton-a.example/membership/status";
    public const string KeyA = "https://chaton-a.example/actor#ed25519-key";

    public static IEnumerable<string> CredentialNames =>
        File["credentials"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());

    public static JsonObject Credential(string name) =>
        File["credentials"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!.AsObject();

    /// <summary>A fresh copy of a credential document.</summary>
    public static JsonObject CredentialDocument(string name) => Credential(name)["document"]!.DeepClone().AsObject();

    public static byte[] CredentialBytes(string name) => Encoding.UTF8.GetBytes(Credential(name)["document"]!.ToJsonString());

    public static JsonObject? Actor(string id) =>
        File["actors"]![id]?.DeepClone().AsObject();

    public static JsonObject StatusList => File["statusLists"]![StatusListUrl]!.AsObject();

    public static byte[] StatusListBytes => Encoding.UTF8.GetBytes(StatusList["document"]!.ToJsonString());

    /// <summary>The list as a verifier holds it once verified, by URL.</summary>
    public static Func<string, StatusListBits?> HeldLists()
    {
        var verdict = StatusListDocument.Verify(StatusListBytes, StatusListUrl, ChatonA, Actor(ChatonA), Now);
        Assert.True(verdict.Accepted, verdict.Detail);
        return url => url == StatusListUrl ? verdict.Bits : null;
    }

    public static Ed25519KeyPair Key(string verificationMethod) =>
        Ed25519KeyPair.FromSeed(Convert.FromHexString(File["keys"]![verificationMethod]!["seed_hex"]!.GetValue<string>()));

    public static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
