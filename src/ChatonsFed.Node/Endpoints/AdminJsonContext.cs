using System.Text.Json;
using System.Text.Json.Serialization;
using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Endpoints;

/// <summary>
/// Source-generated serialization metadata for the admin API's requests and answers. Without it the generated
/// endpoint code builds reflection metadata (with emitted accessors) for every admin type when the routes are first
/// built, that is at start, though the admin API is seldom called (every endpoint also asks for <see cref="object"/>'s
/// metadata). The settings of the HTTP JSON options still apply.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProfileRecord))]
[JsonSerializable(typeof(ProfileChanges))]
[JsonSerializable(typeof(IReadOnlyList<ServiceRecord>))]
[JsonSerializable(typeof(ServiceChanges))]
[JsonSerializable(typeof(AttestationRecord))]
[JsonSerializable(typeof(AttestationChanges))]
[JsonSerializable(typeof(ChangeResult))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(DeliveryCounts))]
[JsonSerializable(typeof(EndorseRequest))]
[JsonSerializable(typeof(RevokeRequest))]
[JsonSerializable(typeof(AdminPasswordRequest))]
[JsonSerializable(typeof(EndorseResult))]
[JsonSerializable(typeof(RevokeResult))]
[JsonSerializable(typeof(MembershipOverview))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(object))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
