using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Inbox;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Endpoints;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Inbox;
using ChatonsFed.Node.Pages.Admin;
using ChatonsFed.Node.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Node;

/// <summary>
/// The chaton node role. Every data folder has it: the folder's profile dates the keys' owner (<see cref="NodeOutbox"/>
/// is the host's <see cref="ISigningIdentity"/>), and the owner's admin API, discovery and the profile stay available.
/// <c>ChatonsFed:ServeChaton</c> decides whether the chaton itself is served: its actor, documents, ChatonsInfos files
/// and inbox (false on a folder made for an aggregator only).
/// </summary>
public sealed class NodeRole : IHostRole
{
    public bool IsEnabled(IConfiguration configuration) => true;

    public void AddServices(IServiceCollection services, IConfiguration configuration, DataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        services.AddSingleton(provider => new NodeStore(provider.GetRequiredService<DataStore>()));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<NodeOptions>>().Value;
            var time = provider.GetRequiredService<TimeProvider>();
            return new NodeOutbox(provider.GetRequiredService<NodeStore>(), HostKeys.Load(folder.KeysFolder(options)), new NodeDocumentBuilder(new NodeUrls(options.BaseUrl), options.Handle, time), time);
        });
        services.AddSingleton<ISigningIdentity>(provider => provider.GetRequiredService<NodeOutbox>());
        services.AddSingleton(provider => new ServedDocuments(provider.GetRequiredService<NodeStore>(), provider.GetRequiredService<NodeOutbox>().Builder.Urls));
        services.AddSingleton<ProfileService>();
        services.AddSingleton<ServiceCatalogue>();
        services.AddSingleton<AttestationService>();
        services.AddSingleton<BlockList>();
        services.AddSingleton<FollowersService>();
        services.AddSingleton<Leaving>();
        services.AddSingleton(provider => new KeyRotation(
            provider.GetRequiredService<NodeOutbox>(),
            folder.KeysFolder(provider.GetRequiredService<IOptions<NodeOptions>>().Value),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IssuedEndorsements>();
        services.AddSingleton<HeldEndorsements>();
        services.AddSingleton<SubjectFinder>();
        services.AddSingleton<MembershipService>();
        services.AddSingleton<IInboxProcessor, InboxProcessor>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
    }

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapDiscovery();
        if (SettingFlag.Get(app.Configuration, $"{NodeOptions.Section}:{nameof(NodeOptions.ServeChaton)}", absent: true))
        {
            app.MapActorDocuments();
            app.MapMembershipDocuments();
            app.MapChatonsInfos();
            app.MapInbox();
            app.MapAdminPages();
        }

        app.MapAdmin();
    }
}
