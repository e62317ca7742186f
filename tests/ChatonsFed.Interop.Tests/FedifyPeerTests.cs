using System.Diagnostics;

namespace ChatonsFed.Interop.Tests;

/// <summary>The harness itself: a missing install fails loudly, and a peer never outlives its owner.</summary>
public class FedifyPeerTests
{
    [Fact]
    public async Task Missing_node_modules_fails_with_the_install_hint()
    {
        var empty = Path.Combine(Path.GetTempPath(), "chatonsfed-no-peer-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(empty);
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(
                () => FedifyPeer.StartAsync(new FedifyPeerOptions { PeerDirectory = empty }));

            Assert.Contains("run ./test.sh (it installs the Fedify peer) or: cd tests/fedify-peer && npm ci", error.Message);
        }
        finally
        {
            System.IO.Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task A_peer_that_dies_before_ready_fails_with_its_stderr()
    {
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-bad-peer-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            System.IO.Directory.CreateSymbolicLink(Path.Combine(folder, "node_modules"), Path.Combine(FedifyPeer.DefaultPeerDirectory, "node_modules"));
            File.WriteAllText(Path.Combine(folder, "peer.mjs"), "console.error('cannot listen: EADDRINUSE'); process.exit(3);\n");

            var error = await Assert.ThrowsAsync<InvalidOperationException>(
                () => FedifyPeer.StartAsync(new FedifyPeerOptions { PeerDirectory = folder }));

            Assert.Contains("exited with code 3 before printing READY", error.Message);
            Assert.Contains("cannot listen: EADDRINUSE", error.Message);
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Dispose_ends_the_peer_process()
    {
        var peer = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "short-lived" });
        var pid = peer.ProcessId;
        Assert.Equal(peer.ActorUrl, (await peer.GetStateAsync()).Actor);

        await peer.DisposeAsync();

        Assert.True(peer.HasExited);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }
}
