using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Hosting;

/// <summary>The chaton node of a started host.</summary>
public static class RunningNodeExtensions
{
    extension(RunningNode running)
    {
        /// <summary>The node's operations, as the host runs them.</summary>
        public ChatonNode Node => running.Services.GetRequiredService<ChatonNode>();
    }
}
