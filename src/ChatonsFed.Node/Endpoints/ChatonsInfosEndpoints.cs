using ChatonsFed.ChatonsInfos;
using ChatonsFed.Hosting.ChatonsInfos;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.ChatonsInfos;
using ChatonsFed.Node.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ChatonsFed.Node.Endpoints;

/// <summary>
/// The chaton's profile and services as ChatonsInfos files under <c>/.well-known/chatonsinfos/</c>, for the
/// collective's statistics tools: made from the records the signed documents are made from, served with an ETag.
/// </summary>
public static class ChatonsInfosEndpoints
{
    public const string ContentType = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapChatonsInfos(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(ChatonsInfosMapping.WellKnownPath + "/", (NodeOutbox node) =>
            TypedResults.Redirect(ChatonsInfosMapping.OrganizationPath(node.Profile().Handle)));
        routes.MapGet(ChatonsInfosMapping.WellKnownPath + "/{file}", (NodeOutbox node, string file) => File(node, file));
        return routes;
    }

    private static IResult File(NodeOutbox node, string file)
    {
        var profile = node.Store.Profile;
        if (profile is null || !file.EndsWith(".properties", StringComparison.Ordinal))
        {
            return TypedResults.NotFound("no such file; the organization file is " + (profile is null ? "not available" : ChatonsInfosMapping.OrganizationPath(profile.Handle)));
        }

        if (profile.Deleted is not null)
        {
            return TypedResults.Text("this chaton has left the network", ContentType, statusCode: StatusCodes.Status410Gone);
        }

        var name = file[..^".properties".Length];
        var services = node.Services();
        string text;
        if (name == profile.Handle)
        {
            text = ChatonsInfosWriter.Write(NodeChatonsInfos.Organization(profile, services, node.Builder.Urls));
        }
        else if (name.StartsWith(profile.Handle + "-", StringComparison.Ordinal)
            && services.FirstOrDefault(s => s.Id == name[(profile.Handle.Length + 1)..]) is { } service)
        {
            text = ChatonsInfosWriter.Write(NodeChatonsInfos.Service(service, profile.Handle, node.Builder.Urls));
        }
        else
        {
            return TypedResults.NotFound($"no such file; the organization file {ChatonsInfosMapping.OrganizationPath(profile.Handle)} lists the service files");
        }

        // Removed services count too: a removal changes the organization file's subs. lines.
        var modified = node.Store.Services.FindAll().Select(s => s.Updated).Append(profile.Updated).Max();
        return new DocumentResult(text, ContentType, DocumentResult.ETagOf(text), modified);
    }
}
