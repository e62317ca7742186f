using ChatonsFed.Hosting;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Hosting;

/// <summary>The chaton node's store and features, as a started host runs them.</summary>
public static class RunningNodeExtensions
{
    extension(RunningNode running)
    {
        public NodeStore NodeStore => running.Services.GetRequiredService<NodeStore>();

        public ProfileService Profile => running.Services.GetRequiredService<ProfileService>();

        public ServiceCatalogue ServiceCatalogue => running.Services.GetRequiredService<ServiceCatalogue>();

        public AttestationService Attestation => running.Services.GetRequiredService<AttestationService>();

        public BlockList BlockList => running.Services.GetRequiredService<BlockList>();

        public MembershipService Membership => running.Services.GetRequiredService<MembershipService>();
    }
}
