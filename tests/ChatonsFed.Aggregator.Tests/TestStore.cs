using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Cli.Tests;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Aggregator.Tests;

/// <summary>A directory store in a LiteDB file of a temporary folder, with a clock the test moves.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly TempFolder _folder = new();

    public TestStore(DirectoryStoreOptions? options = null)
    {
        Options = options;
        Path = _folder.File("directory.db");
        Store = DirectoryStore.Open(Path, Time, options);
    }

    public FakeTimeProvider Time { get; } = new(TestChaton.Start);

    public DirectoryStoreOptions? Options { get; }

    public string Path { get; }

    public DirectoryStore Store { get; private set; }

    /// <summary>Closes the file and opens it again, as a restarted aggregator does.</summary>
    public DirectoryStore Reopen()
    {
        Store.Dispose();
        Store = DirectoryStore.Open(Path, Time, Options);
        return Store;
    }

    public void Dispose()
    {
        Store.Dispose();
        _folder.Dispose();
    }
}
