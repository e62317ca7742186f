using System.Buffers.Binary;
using System.Text;
using LiteDB;

namespace ChatonsFed.Hosting.Storage;

/// <summary>
/// Checks a LiteDB file before LiteDB opens it, and once open reads each of its collections, so that a damaged store
/// is found at start, with one line naming the file and what is wrong, rather than met later as errors 500. The
/// checks only read: LiteDB itself would turn an empty file into a new, empty database.
/// </summary>
public static class StoreFile
{
    /// <summary>Where the operator guide says how to put a store back.</summary>
    private const string RestoreHint = "restore it from a backup (docs/operator-guide.md, \"Restoring from a backup\")";

    private const int PageSize = 8192;
    private const int HeaderInfoAt = 32;
    private const int FileVersionAt = 59;
    private const byte FileVersion = 8;
    private const int LastPageIdAt = 64;
    private static readonly byte[] HeaderInfo = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    /// <summary>What is wrong with the file at <paramref name="path"/> as far as its size and header show, or null.</summary>
    public static string? Problem(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return "is missing (init makes it beside the keys; a folder without it has lost its data)";
        }

        if (file.Length == 0)
        {
            return "is empty (0 bytes)";
        }

        if (file.Length < PageSize)
        {
            return $"is truncated ({file.Length} bytes, less than its first {PageSize}-byte page)";
        }

        var header = new byte[PageSize];
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            stream.ReadExactly(header);
        }

        if (!header.AsSpan(HeaderInfoAt, HeaderInfo.Length).SequenceEqual(HeaderInfo))
        {
            return "is not a LiteDB database (its first page has no LiteDB header)";
        }

        if (header[FileVersionAt] != FileVersion)
        {
            return $"is a LiteDB file of format {header[FileVersionAt]}, not {FileVersion}";
        }

        // Pages not yet copied from the log file (FILE-log.db, after a crash) are put back when LiteDB opens it.
        var length = ((long)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(LastPageIdAt)) + 1) * PageSize;
        if (file.Length < length && !File.Exists(LogFileOf(path)))
        {
            return $"is truncated ({file.Length} bytes where its header counts {length})";
        }

        return null;
    }

    /// <summary>Reads each collection of an open database (its size and its first record), so that damage shows now.</summary>
    internal static void ReadEachCollection(LiteDatabase database)
    {
        foreach (var name in database.GetCollectionNames().ToList())
        {
            var collection = database.GetCollection(name);
            _ = collection.Count();
            _ = collection.Query().Limit(1).ToList();
        }
    }

    /// <summary>
    /// Whether <paramref name="error"/>, met while opening or first reading a file that passed <see cref="Problem"/>,
    /// says that the file is damaged (LiteDB reports a damaged page with errors of many types: "Ticks must be…",
    /// invalid casts, indexes out of range), rather than that it cannot be reached now (in use, no permission).
    /// </summary>
    public static bool IsDamage(Exception error) =>
        error is not (OutOfMemoryException or UnauthorizedAccessException or OperationCanceledException)
        && (error is not IOException || error is EndOfStreamException);

    /// <summary>The one-line refusal for <paramref name="path"/>, whose <paramref name="problem"/> starts with a verb.</summary>
    public static DamagedStoreException Damaged(string path, string problem, Exception? error = null)
    {
        var left = File.Exists(path) ? "; the file is left as it is" : string.Empty;
        var message = $"{path} {problem}: the store is damaged, so it is not opened; {RestoreHint}{left}";
        return error is null ? new DamagedStoreException(message) : new DamagedStoreException(message, error);
    }

    /// <summary>LiteDB's log file beside <paramref name="path"/> (FILE-log.db), where pages wait for a checkpoint.</summary>
    public static string LogFileOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));
}

/// <summary>A store that is missing, empty, truncated or unreadable; the message is one line naming the file and how to restore it.</summary>
public sealed class DamagedStoreException : IOException
{
    public DamagedStoreException()
    {
    }

    public DamagedStoreException(string message)
        : base(message)
    {
    }

    public DamagedStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
