using System.Collections.Concurrent;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Storage;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// A damaged chatonsfed.db is refused at start, by 'chatonsfed serve' and by the offline commands, in one line naming
/// the file, what is wrong and how to restore it; the file is left as it was, and the node never comes up as a new,
/// empty identity. The aggregator's directory.db, a cache, is set aside and made again, with a warning.
/// </summary>
public sealed class StoreCheckTests
{
    private const int Page = 8192;

    [Theory]
    [InlineData("empty", "is empty (0 bytes)")]
    [InlineData("half", "is truncated (")]
    [InlineData("garbage", "is not a LiteDB database")]
    [InlineData("damaged pages", "cannot be read (")]
    [InlineData("missing", "is missing")]
    public async Task A_damaged_store_is_refused_in_one_line_and_left_as_it_is(string damage, string expected)
    {
        await using var node = await TestNode.InitAsync(start: false);
        var path = Path.Combine(node.Folder, "chatonsfed.db");
        var good = await File.ReadAllBytesAsync(path);
        byte[]? damaged = damage switch
        {
            "empty" => [],
            "half" => good[..(good.Length / 2)],
            "garbage" => Garbage(good.Length),
            // A whole LiteDB header in front of pages that are not LiteDB's: LiteDB itself opens it.
            "damaged pages" => [.. good[..Page], .. Garbage(good.Length - Page)],
            _ => null,
        };
        if (damaged is null)
        {
            File.Delete(path);
        }
        else
        {
            await File.WriteAllBytesAsync(path, damaged);
        }

        var line = $"{path} {expected}";
        var serve = await ServeProcess.RefusedAsync(node.Folder, TestHost.AnyLoopbackPort);
        ServeProcess.AssertOneLine(serve, line);
        Assert.Contains("restore it from a backup (docs/operator-guide.md, \"Restoring from a backup\")", serve.Error, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync("service", "list", "--data", node.Folder);
        Assert.True(list.ExitCode != 0, list.ToString());
        Assert.Contains(line, list.Error, StringComparison.Ordinal);
        Assert.Single(list.Error.Trim().Split('\n'));
        await Assert.ThrowsAsync<DamagedStoreException>(() => node.StartAsync());

        Assert.Equal(damaged, File.Exists(path) ? await File.ReadAllBytesAsync(path) : null);
        Assert.False(File.Exists(Path.Combine(node.Folder, "chatonsfed-log.db")), "LiteDB wrote a log file beside the damaged store");

        // Restored from its backup, the node starts as itself.
        await File.WriteAllBytesAsync(path, good);
        await node.StartAsync();
        Assert.Equal("Lynx Net", (await node.GetJsonAsync("/actor"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_damaged_directory_cache_is_set_aside_with_a_warning_and_made_again()
    {
        await using var aggregator = await TestAggregator.InitAsync([], start: false);
        var path = Path.Combine(aggregator.Folder, "directory.db");
        var garbage = Garbage(5 * Page);
        await File.WriteAllBytesAsync(path, garbage);
        var lines = new ConcurrentQueue<string>();
        using (var serve = ServeProcess.Start(aggregator.Folder, aggregator.PublicUrl, lines))
        {
            try
            {
                await ServeProcess.WaitUntilServingAsync(aggregator.PublicUrl, serve);
                using var http = new HttpClient();
                using var search = await http.GetAsync(aggregator.PublicUrl + "/api/directory/search");
                Assert.True(search.IsSuccessStatusCode, $"{(int)search.StatusCode}");
            }
            finally
            {
                await ServeProcess.KillAsync(serve);
            }
        }

        var output = string.Join('\n', lines);
        Assert.Contains($"The directory cache {path} is not a LiteDB database (its first page has no LiteDB header): set aside as {path}.unreadable", output, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(path + ".unreadable"));

        // The offline commands say so too, on stderr.
        await File.WriteAllBytesAsync(path, []);
        var status = await CliRunner.RunAsync("directory", "status", "--data", aggregator.Folder);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"chatonsfed: warning: The directory cache {path} is empty (0 bytes): set aside as {path}.unreadable", status.Error, StringComparison.Ordinal);
        Assert.Empty(await File.ReadAllBytesAsync(path + ".unreadable"));
    }

    /// <summary>Bytes that are not a LiteDB file, the same at every run.</summary>
    private static byte[] Garbage(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 7919) ^ (i >> 8)))];

    [Fact]
    public void A_new_store_is_never_made_over_an_existing_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "chatonsfed-store-" + Guid.NewGuid().ToString("N") + ".db");
        File.WriteAllBytes(path, []);
        try
        {
            var refused = Assert.Throws<IOException>(() => DataStore.Create(path));
            Assert.Contains("already exists", refused.Message, StringComparison.Ordinal);
            Assert.Empty(File.ReadAllBytes(path));
            Assert.Throws<DamagedStoreException>(() => DataStore.Open(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_check_passes_a_whole_store_and_its_collections_are_read()
    {
        await using var node = await TestNode.InitAsync(start: false);
        var folder = new DataFolder(node.Folder);
        using var store = folder.OpenStore(folder.LoadOptions());
        Assert.Null(StoreFile.Problem(folder.DatabaseFile(folder.LoadOptions())));
        Assert.Equal(1, store.AdminCredentials.Count());
    }
}
