using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatonsFed.Hosting;

/// <summary>
/// The one-writer lock of a data folder: DIR/run/writer.lock, held open with no sharing (an exclusive flock on Linux)
/// for as long as one process may write the folder's stores: the serving host for its whole life, or an offline
/// command. The system releases it when the process ends, even on kill -9, so it never goes stale. Beside it,
/// DIR/run/writer.json says who holds it (process id, what, URL), for the others' messages: the lock file itself
/// cannot be read while it is held.
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    /// <summary>What the serving host calls itself in the lock's description.</summary>
    public const string ServeHolder = "chatonsfed serve";

    private readonly FileStream _file;
    private readonly DataFolder _folder;
    private readonly string _holder;
    private bool _disposed;

    private DataFolderLock(FileStream file, DataFolder folder, string holder)
    {
        _file = file;
        _folder = folder;
        _holder = holder;
    }

    /// <summary>
    /// Takes the lock for <paramref name="holder"/> (what the others' messages call this process, e.g.
    /// "chatonsfed serve"), or fails with <see cref="DataFolderInUseException"/>, naming the process that holds it.
    /// </summary>
    public static DataFolderLock Take(DataFolder folder, string holder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        if (!System.IO.Directory.Exists(folder.Path))
        {
            throw new DirectoryNotFoundException($"{folder.Path} does not exist; create the data folder with 'chatonsfed init --data {folder.Path} …'");
        }

        System.IO.Directory.CreateDirectory(folder.RunFolder);
        FileStream file;
        try
        {
            // Read access is enough for the lock, and works on a lock file another user (root) made.
            file = new FileStream(folder.WriterLockFile, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException))
        {
            // A sharing violation (EWOULDBLOCK from flock): another process, or another host in this one, holds it.
            throw DataFolderInUseException.For(folder, LockHolder.Read(folder), ex);
        }

        var taken = new DataFolderLock(file, folder, holder);
        taken.Describe(null);
        return taken;
    }

    /// <summary>Records where the holder serves, once it listens, for the others' messages (which do without it).</summary>
    public void Describe(Uri? url)
    {
        var content = new JsonObject { ["pid"] = Environment.ProcessId, ["holder"] = _holder, ["url"] = url?.AbsoluteUri.TrimEnd('/') }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var temporary = _folder.WriterFile + ".tmp";
        try
        {
            File.WriteAllText(temporary, content + "\n");
            File.Move(temporary, _folder.WriterFile, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without it, the others' messages say "another process"; the lock itself is what keeps them out.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            // While the lock is still held, so that the next holder's description is never the one removed.
            File.Delete(_folder.WriterFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A description left behind is harmless: it is read only while someone holds the lock, who rewrites it.
        }

        _file.Dispose();
    }
}

/// <summary>Who holds a data folder's lock, as DIR/run/writer.json says; null fields when it does not say.</summary>
public sealed record LockHolder(int? Pid, string? Holder, string? Url)
{
    /// <summary>The description beside the lock, or null when there is none (the holder is starting, or it was deleted).</summary>
    public static LockHolder? Read(DataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(folder.WriterFile))?.AsObject();
            if (json is null)
            {
                return null;
            }

            return new LockHolder(
                json["pid"]?.GetValue<int>(),
                json["holder"]?.GetValue<string>(),
                json["url"]?.GetValue<string>());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>"process 1234 (chatonsfed serve, http://127.0.0.1:8080)", as far as known.</summary>
    public override string ToString()
    {
        var what = string.Join(", ", new[] { Holder, Url }.Where(s => !string.IsNullOrEmpty(s)));
        var process = Pid is { } pid ? $"process {pid}" : "another process";
        return what.Length > 0 ? $"{process} ({what})" : process;
    }
}

/// <summary>Another process (or another host in this one) holds the data folder's lock: it alone writes the folder's stores.</summary>
public sealed class DataFolderInUseException : IOException
{
    public DataFolderInUseException()
    {
    }

    public DataFolderInUseException(string message)
        : base(message)
    {
    }

    public DataFolderInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Who holds it, when DIR/run/writer.json says.</summary>
    public LockHolder? Holder { get; init; }

    internal static DataFolderInUseException For(DataFolder folder, LockHolder? holder, IOException refusal)
    {
        var who = holder is null ? $"another process ({refusal.Message.TrimEnd('.')}; {folder.WriterFile} does not say which)" : holder.ToString();
        return new($"{folder.Path} is in use by {who}: one process at a time writes a data folder; stop it first, or use a command that goes through its admin API", refusal)
        {
            Holder = holder,
        };
    }
}
